"""Follow-ups and snooze in a real browser (issue 13, item 6): scheduled from the conversation, listed,
cancelled; snoozed with a preset, out of the list, in the Snoozed view, back with Unsnooze; axe on the
form, the menu and the view; French. Then the local stack fires one-time schedules at their time: a
reminder "only if no answer" due in a few seconds notifies, and a snooze of a few seconds wakes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from helpers.local_stack import sign_in
from helpers.web import api_get, run_browser

pytestmark = pytest.mark.e2e


def api_post(info: dict[str, Any], token: str, path: str, body: dict[str, Any]) -> Any:
    response = requests.post(
        f"{info['api_url']}{path}", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def soon(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


def eventually(read, timeout: float = 60) -> Any:
    """`read()` once it answers something true (the local stack's firer polls every second or so)."""
    deadline = time.monotonic() + timeout
    while True:
        found = read()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(1)


def test_follow_ups_are_scheduled_and_cancelled_and_a_snoozed_conversation_comes_back(own_tenant):
    admin = own_tenant["admin"]
    text = "Avez-vous pu regarder notre proposition ?"
    seen = run_browser(
        "followups.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "FOLLOW_UP_TEXT": text,
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"form": [], "snoozeMenu": [], "snoozedView": []}
    assert seen["onlyIfNoAnswer"] is True
    assert seen["scheduled"].startswith("Follow-up scheduled for ")
    assert seen["states"] == ["Cancelled", "Scheduled"]
    assert seen["cancelButtons"] == 1
    assert seen["presets"] == ["Later today", "Tomorrow", "Next week"]
    assert seen["snoozedUntil"].startswith("Snoozed until ")
    assert (seen["leftTheList"], seen["inSnoozedView"], seen["backInAll"]) == (True, [seen["conversationId"]], True)
    assert seen["french"]["view"] == "En attente"
    assert seen["french"]["snoozed"].startswith("En attente jusqu'au ")
    assert seen["french"]["states"] == ["Annulée", "Programmée"]

    token = sign_in(own_tenant, admin["username"], admin["password"])
    conversation_id = seen["conversationId"]
    listed = api_get(own_tenant, token, f"/conversations/{conversation_id}/follow-ups")["items"]
    assert [(f["action"], f["state"], f["only_if_no_answer"]) for f in listed] == [
        ("remind", "cancelled", True),
        ("send", "scheduled", True),
    ]
    assert listed[1]["text"] == text
    assert [f["id"] for f in api_get(own_tenant, token, "/follow-ups")["items"]] == [listed[1]["id"]]
    assert api_get(own_tenant, token, f"/conversations/{conversation_id}")["conversation"]["snoozed_until"] is None

    # The local stack fires one-time schedules at their time: nobody wrote, so the reminder goes off...
    reminder = api_post(
        own_tenant,
        token,
        f"/conversations/{conversation_id}/follow-ups",
        {"due_at": soon(3), "action": "remind", "text": "Rappeler", "only_if_no_answer": True},
    )

    def reminded() -> bool:
        items = api_get(own_tenant, token, f"/conversations/{conversation_id}/follow-ups")["items"]
        return any(f["id"] == reminder["id"] and f["outcome"] == "reminded" for f in items)

    assert eventually(reminded)

    # ...and a snooze of a few seconds ends by itself.
    api_post(own_tenant, token, f"/conversations/{conversation_id}/snooze", {"until": soon(3)})
    assert conversation_id not in [c["id"] for c in api_get(own_tenant, token, "/conversations")["items"]]

    def awake() -> bool:
        return api_get(own_tenant, token, f"/conversations/{conversation_id}")["conversation"]["snoozed_until"] is None

    assert eventually(awake)
    assert conversation_id in [c["id"] for c in api_get(own_tenant, token, "/conversations")["items"]]
    notices = api_get(own_tenant, token, "/notifications")["items"]
    assert [(n["kind"], n["conversation_id"], n["text"]) for n in notices] == [
        ("follow_up_due", conversation_id, "Rappeler")
    ]
