"""`GET /inbox/stats` after the issue 14 review (statistics items 7, 8, 12, 13): what a user sees."""

from __future__ import annotations

from helpers.events import api_request
from samples import AGENT


def test_an_agent_may_not_read_the_ai_accuracy(api):
    status, _ = api(api_request("GET", "/stats/classification?days=7", **AGENT))
    assert status == 403
    assert api(api_request("GET", "/stats/classification?days=7"))[0] == 200


def test_dates_far_out_are_a_422_naming_the_field_not_a_500(api):
    status, body = api(api_request("GET", "/stats?from=9999-12-31&to=9999-12-31&granularity=month"))
    assert status == 422, body
    assert body["error"]["message"].startswith("from:")
    status, body = api(api_request("GET", "/stats?from=2026-11-01&to=9999-12-31&granularity=week"))
    assert status == 422, body
    assert body["error"]["message"].startswith("to:")
    assert api(api_request("GET", "/stats?from=1999-12-31&to=2000-01-31"))[0] == 422
    assert api(api_request("GET", "/stats?from=2000-01-01&to=2000-01-31"))[0] == 200


def test_by_day_a_page_spans_at_most_92_days_and_the_422_says_to_ask_by_week_or_month(api):
    assert api(api_request("GET", "/stats?from=2026-09-01&to=2026-12-01&granularity=day"))[0] == 200  # 92 days
    status, body = api(api_request("GET", "/stats?from=2026-09-01&to=2026-12-02&granularity=day"))
    assert status == 422, body
    assert body["error"]["message"].startswith("granularity:")
    assert "by week or month" in body["error"]["message"]
    assert api(api_request("GET", "/stats?from=2026-09-01&to=2026-12-02&granularity=week"))[0] == 200
