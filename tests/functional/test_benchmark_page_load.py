"""The harness of benchmarks/page_load.py (issue 15, item 3): on a local stack it starts itself, as
`python -m benchmarks.page_load` does without --stack-json, a few conversations seeded through the store
and a few requests per page. Its timings mean nothing at this size and are not checked: the report's
structure, every page's count and that every page answered 2xx are."""

from __future__ import annotations

import re

import pytest

from helpers.benchmarks import run_benchmark

pytestmark = pytest.mark.e2e  # it starts the local stack as a user would

SORTS = ("activity", "urgency", "status")
PAGES = (
    "GET /inbox/me",
    "GET /inbox/folders",
    "GET /inbox/conversations inbox",
    "GET /inbox/conversations automated",
    "GET /inbox/conversations folder Orders",
    "GET /inbox/conversations mine",
    "GET /inbox/conversations unassigned",
    "GET /inbox/conversations all",
    "GET /inbox/conversations snoozed",
    "GET /inbox/conversations status new",
    "GET /inbox/conversations status urgent",
    "GET /inbox/conversations status resolved",
    "GET /inbox/conversations channel sms",
    *(f"GET /inbox/conversations {view} sort={sort}" for view in ("inbox", "all") for sort in SORTS),
    "GET /inbox/conversations/{id}",
    "GET /inbox/conversations/{id}/history",
    "GET /inbox/contacts/{id}",
    "GET /inbox/search?q=",
    "GET /inbox/stats (30 days)",
)
ROW = re.compile(r"^   (GET .+?)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)$")


def test_the_page_load_benchmark_times_every_page_under_concurrent_users_next_to_the_me_page():
    command = ("--conversations", "30", "--users", "2", "--requests", "3", "--seconds", "240", "--index-wait", "90")
    result = run_benchmark("benchmarks.page_load", *command, timeout=600)

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = result.stdout
    assert "Pages under load: 30 conversations" in report, report
    assert "2 concurrent users on loopback, 3 requests per page" in report, report
    assert "load average before the load" in report, report
    rows = {m[1].strip(): m.groups()[1:] for line in report.splitlines() if (m := ROW.match(line))}
    assert list(rows) == list(PAGES), report
    for page, (requests, errors, p50, p95, _, _, size) in rows.items():
        assert (requests, errors) == ("3", "0"), f"{page}: {requests} requests, {errors} errors\n{report}"
        assert float(p50) <= float(p95), page
        assert int(size) > 0, page
    assert rows["GET /inbox/me"][4:6] == ("1.00", "1.00"), report  # the yardstick over itself
    assert "FAILED" not in report, report
    assert "COUNT OFF" not in report, report
    assert "every page answered 2xx, 3 requests each   PASS" in report, report
