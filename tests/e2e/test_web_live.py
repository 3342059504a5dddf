"""The web app's live updates in two browser contexts, driven step by step by the test."""

from __future__ import annotations

import secrets
import time
from typing import Any

import boto3
import pytest
import requests

from helpers.local_stack import id_token, post_webhook
from helpers.web import api_get, drive_browser

pytestmark = pytest.mark.e2e

# The 2 s, from the webhook's 202 to the row and the counter on screen in both apps, on the
# local stack after the other browser tests, on two shared cores.
LOCAL_STACK_BUDGET_MS = 2000


def test_live_updates_reach_two_open_apps_notify_and_catch_up_after_a_drop(own_tenant):
    from inbox.adapters.dynamodb import keys

    # A tenant of its own: the counters it expects are moved by its own messages only.
    web_stack = own_tenant
    token = id_token(web_stack)
    me = api_get(web_stack, token, "/me")["user_id"]
    headers = {"Authorization": f"Bearer {token}"}
    management = "http" + web_stack["websocket_url"].removeprefix("ws")
    table = boto3.resource(
        "dynamodb",
        endpoint_url=web_stack["aws_endpoint_url"],
        region_name=web_stack["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table(web_stack["tables"]["InboxTable"])
    done: dict[str, Any] = {}

    def customer_writes(thread: str, text: str) -> str:
        message = {
            "external_id": secrets.token_hex(8),
            "from": {"name": "Live Customer", "email": f"{thread}@example.net"},
            "subject": thread,
            "text": text,
            "thread_key": thread,
        }
        response = post_webhook(web_stack, message)
        assert response.status_code == 202, response.text
        return response.json()["conversation_id"]

    def assign_to_me(conversation_id: str) -> None:
        response = requests.patch(
            f"{web_stack['api_url']}/conversations/{conversation_id}",
            json={"assignee_id": me},
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text

    def inbox_unread() -> dict[str, int]:
        return {f["id"]: f["unread"] for f in api_get(web_stack, token, "/folders")["items"]}

    def answer(name: str, data: dict[str, Any]) -> dict[str, Any]:
        if name == "ready":
            before = inbox_unread()
            done["posted_at"] = time.time() * 1000
            done["first"] = customer_writes("live-" + secrets.token_hex(4), "Bonjour, une petite question.")
            done["accepted_at"] = time.time() * 1000
            done["unread"] = sum(n for folder, n in before.items() if folder != "automated") + 1
            return {"conversationId": done["first"], "inboxUnread": before["inbox"] + 1}
        if name == "notify-setup":
            assign_to_me(done["first"])
            done["open"] = customer_writes("open-" + secrets.token_hex(4), "Une autre question.")
            assign_to_me(done["open"])
            return {"openId": done["open"], "mineId": done["first"]}
        if name == "open":
            open_thread = api_get(web_stack, token, f"/conversations/{done['open']}")["conversation"]["subject"]
            first_thread = api_get(web_stack, token, f"/conversations/{done['first']}")["conversation"]["subject"]
            reply = "Je précise ma question " + secrets.token_hex(3)
            assert customer_writes(open_thread, reply) == done["open"]
            assert customer_writes(first_thread, "Et aussi ceci.") == done["first"]
            return {"openReply": reply}
        if name == "drop":
            connections = table.query(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": keys.connections_pk(web_stack["tenant_id"])},
            )["Items"]
            dropped = 0
            for item in connections:
                response = requests.delete(f"{management}/@connections/{item['connection_id']}", timeout=10)
                assert response.status_code in (200, 204, 410), response.text
                dropped += response.status_code != 410
            return {"dropped": dropped}
        if name == "missed":
            before = inbox_unread()
            done["missed"] = customer_writes("missed-" + secrets.token_hex(4), "Vous êtes là ?")
            return {"conversationId": done["missed"], "inboxUnread": before["inbox"] + 1}
        raise AssertionError(f"unknown step {name}")

    seen = drive_browser(
        "live-updates.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
        },
        answer,
    )

    assert seen["problems"] == []
    # In the open list of both apps, with the inbox's counter, within 2 s of the message's delivery
    # (the webhook's 202; the post itself took `post` ms, in which moto serves one request at a time).
    delays = {context: round(at - done["accepted_at"]) for context, at in seen["arrival"].items()}
    post = round(done["accepted_at"] - done["posted_at"])
    assert all(delay <= LOCAL_STACK_BUDGET_MS for delay in delays.values()), {"after the 202": delays, "post": post}
    assert seen["reloaded"] == [False, False]
    assert seen["titleAfter"] == f"({done['unread']}) Inbox"
    assert seen["favicon"] == str(done["unread"])
    assert (seen["popoverViolations"], seen["popoverClosed"]) == ([], True)
    # The customer wrote on both conversations assigned to me: told of the one not open only.
    assert [(n["title"], n["tag"]) for n in seen["notifications"]] == [("New reply from a customer", done["first"])]
    # The customer's message on the open conversation made it unread; the app, reading it, marked it read.
    assert api_get(web_stack, token, f"/conversations/{done['open']}")["conversation"]["unread"] is False
    # The server dropped both sockets; the one that could not reconnect for a while caught up.
    assert seen["dropped"] >= 2
    assert seen["reconnectingText"] == "Reconnecting…"
    assert seen["missedWhileOffline"] is True
    assert seen["caughtUp"] is True
    for statuses in seen["statuses"].values():
        assert "reconnecting" in statuses, seen["statuses"]
        assert statuses[-1] == "online", seen["statuses"]
