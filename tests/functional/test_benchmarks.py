"""The benchmarks' harness still runs end to end; what it measures is judged by reading it, not here."""

from __future__ import annotations

from pathlib import Path

from helpers.benchmarks import run_benchmark


def test_email_sync_benchmark_runs_on_a_small_mailbox_and_reports_its_three_measures():
    # GIVEN a mailbox of a few dozen messages (timings at this size mean nothing: only the harness is checked)
    command = ["benchmarks.email_sync", "--messages", "30", "--aws-messages", "20"]

    # WHEN the email benchmark runs, once per side
    result = run_benchmark(*command, "--repeats", "1", timeout=120)

    # THEN it completes and prints each section with a verdict
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for heading in ("1. Throughput", "2. Poll of an unchanged mailbox", "3. AWS requests per imported message"):
        assert heading in report, report
    assert "ratio ours / mbsync" in report
    assert "-> 20 imported" in report
    assert report.count("PASS") + report.count("FAIL") >= 4, report


def test_classify_benchmark_runs_and_reports_rules_model_calls_and_prompt_tokens():
    result = run_benchmark("benchmarks.classify", "--messages", "60")
    assert result.returncode == 0, result.stderr[-3000:]
    for heading in ("1. Rules", "2. Model calls", "3. Prompt tokens"):
        assert heading in result.stdout, result.stdout
    assert "goal < 1,500" in result.stdout


def test_cold_start_benchmark_reports_every_function_next_to_boto3():
    result = run_benchmark("benchmarks.cold_start", "--runs", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    for function in ("WebhookSmsFunction", "ApiFunction", "ClassifyFunction", "SyncMailboxFunction"):
        assert function in result.stdout, result.stdout
    # Every function of template.yaml has its line, its budget and a verdict.
    template = (Path(__file__).resolve().parents[2] / "template.yaml").read_text()
    verdicts = [line for line in result.stdout.splitlines() if "PASS" in line or "FAIL" in line]
    assert len(verdicts) == template.count("Type: AWS::Serverless::Function"), result.stdout
    assert all(" <= " in line for line in verdicts), result.stdout
    assert "imports openai" not in result.stdout  # only a model call imports it


def test_autoreply_benchmark_reports_prompt_tokens_the_cache_share_and_model_calls_per_message():
    # Six SMS: each job delivered once, twice, three times in a row, and three times at once. The local
    # stack's section is checked by tests/e2e/test_autoreply_benchmark.py.
    result = run_benchmark("benchmarks.autoreply", "--messages", "6", "--stack-messages", "0")
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for heading in ("1. Prompt tokens per auto-reply", "2. Model calls per inbound message"):
        assert heading in report, report
    assert "share served from the cache" in report
    for delivered in ("once", "twice in a row", "3 times in a row", "3 times at once"):
        assert f"job delivered {delivered}" in report, report
    assert "reply calls per message        1.00" in report, report
    assert report.count("PASS") == 2, report


def test_search_benchmark_reports_latency_as_a_ratio_index_size_and_indexer_requests():
    # A small index (timings at this size mean nothing: only the harness is checked).
    command = ("benchmarks.search", "--sizes", "500", "--conversations", "20", "--indexed", "20", "--runs", "1")
    result = run_benchmark(*command, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for heading in ("1. Search latency", "2. Index size per message", "3. Indexer cost per 1,000 messages"):
        assert heading in report, report
    assert "warm `GET /inbox/conversations` (25)" in report
    assert "`zanzibar` (rare word, 1 hits)" in report  # the 8th message of every thousand has it
    for line in ("batches of 10", "batches of 1", "s3:PutObject", "dynamodb:PutItem", "sqs:SendMessageBatch"):
        assert line in report, report
