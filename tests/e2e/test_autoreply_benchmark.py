"""The auto-reply benchmark's harness (issue 12, Speed and cost), its local-stack section included:
it starts a stack of its own, as `python -m benchmarks.autoreply` does without --stack-json."""

from __future__ import annotations

import pytest

from helpers.benchmarks import run_benchmark

pytestmark = pytest.mark.e2e


def test_the_autoreply_benchmark_times_the_local_stacks_auto_reply_next_to_its_classification():
    # Timings at this size mean nothing: the harness runs, reports each measure, and its counts hold.
    result = run_benchmark("benchmarks.autoreply", "--messages", "3", "--stack-messages", "2", timeout=300)

    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for heading in ("1. Prompt tokens per auto-reply", "2. Model calls per inbound message", "3. Local stack, 2 SMS"):
        assert heading in report, report
    assert "median     classified" in report, report
    assert "(auto-reply / classification; the 2 answered)" in report, report
    assert "one SMS and one sent draft per message   PASS" in report, report
    assert report.count("PASS") == 3, report
