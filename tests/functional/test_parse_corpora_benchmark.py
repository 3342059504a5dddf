"""The harness of benchmarks/parse_compare.py runs end to end; its timings are judged by reading them, not here."""

from helpers.benchmarks import run_benchmark


def test_parse_compare_benchmark_reports_each_corpus_its_fallbacks_and_no_message_read_worse():
    # GIVEN a small generated mailbox (timings at this size mean nothing) and the shared corpora
    # WHEN the comparison runs once per path
    result = run_benchmark("benchmarks.parse_compare", "--messages", "40", "--repeats", "1", timeout=300)

    # THEN it prints a row per corpus with its message count, the fallbacks by reason, and the verdict
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = result.stdout
    for corpus, count in (
        ("benchmark (40 generated)", "40"),
        ("help desks (chatwoot, freescout)", "48"),
        ("zammad", "106"),
    ):
        row = next(line for line in report.splitlines() if line.strip().startswith(corpus))
        assert row.split()[len(corpus.split())] == count, row
        assert f"{corpus}: fell back to the standard library" in report
        assert f"{corpus}: 0 differences (0 explained, 0 read worse)" in report
    assert "a multipart/report" in report  # the generated bounces fall back, by reason
    assert "goal: no message read worse than by the standard library: 0 read worse  PASS" in report
