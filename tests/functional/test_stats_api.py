"""`GET /inbox/stats` (issue 14, item 2): who may read it, what it takes, what it answers."""

from __future__ import annotations

import json

from helpers.events import LambdaContext, api_request, load_event
from samples import AGENT


def test_an_agent_may_not_read_the_statistics(api):
    status, _ = api(api_request("GET", "/stats?from=2026-11-01&to=2026-11-30", **AGENT))
    assert status == 403


def test_an_empty_month_by_week_answers_every_week_with_zeros(api):
    status, body = api(api_request("GET", "/stats?from=2026-11-01&to=2026-11-30&granularity=week"))
    assert status == 200, body
    assert (body["from"], body["to"]) == ("2026-11-01", "2026-11-30")
    assert body["time_zone"] == "UTC"
    assert body["filter"] == {"folder": None, "channel": None, "assignee": None}
    assert [p["start"] for p in body["periods"]] == [
        "2026-10-26",
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
        "2026-11-30",
    ]
    assert body["totals"]["messages_in"] == 0
    assert body["totals"]["first_response"]["all"] == {
        "count": 0,
        "mean_seconds": None,
        "median_seconds": None,
        "p90_seconds": None,
    }
    assert body["ai"]["cached_share"] is None


def test_two_filters_at_once_is_a_422_naming_the_second(api):
    status, body = api(api_request("GET", "/stats?from=2026-11-01&to=2026-11-02&folder=f1&assignee=u1"))
    assert status == 422
    assert "assignee" in json.dumps(body)
    status, body = api(api_request("GET", "/stats?from=2026-11-01&to=2026-11-02&channel=sms&folder=f1"))
    assert status == 422
    assert "channel" in json.dumps(body)


def test_bad_periods_are_422s(api):
    assert api(api_request("GET", "/stats?from=2026-11-05&to=2026-11-01"))[0] == 422
    assert api(api_request("GET", "/stats?from=2025-01-01&to=2026-11-01&granularity=day"))[0] == 422
    assert api(api_request("GET", "/stats?from=2026-11-01&to=2026-11-02&granularity=year"))[0] == 422
    assert api(api_request("GET", "/stats?from=yesterday&to=2026-11-02"))[0] == 422


def test_csv_is_text_csv_with_a_header_and_a_row_per_period(aws):
    from functions.api import app

    event = api_request("GET", "/stats?from=2026-11-01&to=2026-11-03&format=csv")
    response = app.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"].startswith("text/csv")
    lines = response["body"].split("\r\n\r\n")[0].split("\r\n")  # the periods' table, then the sections
    assert lines[0].startswith("start,messages_in,messages_out")
    assert [line.split(",")[0] for line in lines[1:]] == ["2026-11-01", "2026-11-02", "2026-11-03", "total"]


def test_the_sample_events_ask_a_month_by_week_and_a_week_as_csv(api):
    from functions.api import app

    status, body = api(load_event("api/stats_week.json"))
    assert status == 200, body
    assert (body["granularity"], body["filter"]["channel"], len(body["periods"])) == ("week", "email", 6)
    response = app.lambda_handler(load_event("api/stats_csv.json"), LambdaContext())
    assert response["statusCode"] == 200
    table = response["body"].split("\r\n\r\n")[0].split("\r\n")  # then the sections, after an empty line
    assert len(table) == 1 + 7 + 1  # the header, a row per day, the totals
