"""The web app's list filters, sort and bulk bar in a real browser (issue 11, item 3)."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import requests

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


def test_a_conversation_is_assigned_to_a_colleague_by_keyboard_and_in_bulk_and_named_in_the_list(web_stack):
    """The seed's second person (an agent): assigned from the conversation with `a`, then in bulk; the list,
    the conversation and the assignee filter name her; axe-core finds nothing with the pickers open."""
    token = id_token(web_stack)
    people = api_get(web_stack, token, "/users")["items"]
    colleague = next(p for p in people if p["role"] == "agent" and p["email"] != web_stack["admin"]["username"])
    fresh = [deliver_sms(web_stack, f"3362020{n:04d}", f"Who takes this {n} {secrets.token_hex(3)}") for n in range(3)]
    ids = [c["id"] for c in reversed(fresh)]  # newest first, as the All view lists them
    login = {
        "INBOX_URL": web_stack["web_url"],
        "INBOX_EMAIL": web_stack["admin"]["username"],
        "INBOX_PASSWORD": web_stack["admin"]["password"],
    }
    person = {"IDS": ",".join(ids), "PERSON_ID": colleague["id"], "PERSON_NAME": colleague["name"]}
    try:
        seen = run_browser("assignees.mjs", login | person, timeout=180)

        assert seen["problems"] == []
        assert seen["usersRequestsAtOpen"] == 0  # the people are read when needed, not to open the app
        assert seen["usersRequests"] == 1  # then once, for the picker, the names and the filter
        assert seen["pickerFocused"] is True
        assert seen["choices"][0].startswith("Me (")  # me first, named, then nobody, then the others
        assert seen["choices"][1] == "Nobody"
        assert f"{colleague['name']} {colleague['email']}" in seen["choices"][2:]
        assert seen["activeBeforeEnter"].startswith(colleague["name"])
        assert seen["pickerClosed"] is True
        assert seen["conversationSays"] == f"Assigned to {colleague['name']}"
        assert seen["firstRowSays"] == seen["otherRowsSay"][0] == seen["otherRowsSay"][1]
        assert seen["firstRowSays"] == f"Assigned: {colleague['name']}"
        assert seen["accessibility"] == {"conversation": [], "bulk": [], "filtered": []}
        assert colleague["name"] in seen["filterOptions"]
        assert seen["filterShows"] == colleague["name"]
        assert f"assignee={colleague['id']}" in seen["url"]
        assert sorted(seen["filteredIds"]) == sorted(ids)
        details = [api_get(web_stack, token, f"/conversations/{i}")["conversation"] for i in ids]
        assert [d["assignee_id"] for d in details] == [colleague["id"]] * 3
        assert sorted(
            c["id"] for c in api_get(web_stack, token, f"/conversations?assignee={colleague['id']}")["items"]
        ) == sorted(ids)
    finally:
        # Unassigned again: the later benchmark opens the app on a list with nobody else's names to read.
        requests.post(
            f"{web_stack['api_url']}/conversations/bulk",
            json={"ids": ids, "changes": {"assignee_id": None}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).raise_for_status()
