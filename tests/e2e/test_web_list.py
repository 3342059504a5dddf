"""The web app's list filters, sort and bulk bar in a real browser (issue 11, item 3)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from helpers.local_stack import id_token
from helpers.web import (
    api_get,
    deliver_sms,
    run_browser,
    settled_counters,
)

pytestmark = pytest.mark.e2e


def _same_query(info: dict[str, Any], token: str, query: str) -> list[str]:
    """The API's answer to the query the app made (its limit included), read here with our own token."""
    return [c["id"] for c in api_get(info, token, f"/conversations?{query}")["items"]]


def test_list_filters_and_sort_show_what_the_api_says_and_a_bulk_resolve_counts(web_stack):
    token = id_token(web_stack)
    settled_counters(web_stack, token)
    login = {
        "INBOX_URL": web_stack["web_url"],
        "INBOX_EMAIL": web_stack["admin"]["username"],
        "INBOX_PASSWORD": web_stack["admin"]["password"],
    }
    seen = run_browser("list-filters.mjs", login | {"MODE": "filters"}, timeout=180)

    assert seen["problems"] == []
    assert [s for s in seen["scenarios"] if s.get("timedOut")] == []
    asked = {s["name"]: s["query"] for s in seen["scenarios"]}
    assert "sort=urgency" in asked["all, sort urgency"].split("&")
    assert "folder" not in asked["all, sort urgency"]
    assert {"channel=sms", "status=new"} <= set(asked["all new sms"].split("&"))
    assert "sort" not in asked["all new sms"]  # newest first is the API's default
    assert {"folder=inbox", "status=new", "channel=sms", "assignee=none", "sort=urgency"} <= set(
        asked["inbox: new unassigned sms by urgency"].split("&")
    )
    for scenario in seen["scenarios"]:  # what the list showed is what the API answers to the same query
        assert scenario["ids"] == _same_query(web_stack, token, scenario["query"]), scenario["name"]
    assert seen["reload"].pop("urls") == ["?status=new&channel=sms&assignee=none&sort=urgency"] * 2
    assert seen["reload"] == {
        "sameUrl": True,
        "sameIds": True,
        "title": "Inbox",
        "bar": {"status": "new", "channel": "sms", "assignee": "none", "sort": "urgency", "folderOffered": 0},
    }

    # Three fresh SMS, new and unassigned: the newest of All, SMS, New.
    fresh = [deliver_sms(web_stack, f"3361010{n:04d}", f"Bulk please {n} {secrets.token_hex(3)}") for n in range(3)]
    counters_before = settled_counters(web_stack, token)
    ids = [c["id"] for c in reversed(fresh)]
    seen = run_browser("list-filters.mjs", login | {"MODE": "bulk", "BULK_IDS": ",".join(ids)}, timeout=180)

    assert seen["problems"] == []
    assert seen["firstThree"] == ids
    assert seen["countersBefore"] == counters_before
    assert (seen["tickedByRange"], seen["tickedAfterX"], seen["tickedAfterXX"]) == (ids, [ids[0], ids[2]], ids)
    assert seen["bulkCount"] == "3 selected"
    assert seen["accessibility"] == []
    assert seen["bulkOutcome"] == "3 changed"
    assert seen["bulkBarAfter"] == 0
    assert seen["resolvedShown"] == ["Resolved"] * 3
    details = [api_get(web_stack, token, f"/conversations/{i}")["conversation"] for i in ids]
    assert [d["status"] for d in details] == ["resolved"] * 3
    expected = dict(counters_before)
    for detail in details:  # each was new and unread: off its folder's unread count
        expected[detail["folder"]] -= 1
    assert seen["countersAfter"] == expected
    assert expected == {f["id"]: f["unread"] for f in api_get(web_stack, token, "/folders")["items"]}
