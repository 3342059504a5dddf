"""The web app's main view in a real browser (Debian's Chromium, driven by web/e2e/*.mjs with playwright-core),
against the local stack started as `make run` starts it (one for all the web tests: tests/e2e/conftest.py):
sign-in, counters and a conversation, a hostile email, a long conversation, the keyboard, axe-core, the phone layout.
`make test` builds the app first.

UPDATE_SCREENSHOTS=1 also writes the main view to docs/screenshot-main.png (the README shows it).
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import requests

from helpers.local_stack import REPO, create_user, id_token, post_webhook
from helpers.web import (
    Canary,
    api_get,
    run_browser,
    settled_counters,
    vonage_hooks,
)
from local.seed import DEMO_SMS_NUMBER

pytestmark = pytest.mark.e2e


def test_sign_in_counters_and_a_conversation(web_stack, tmp_path):
    token = id_token(web_stack)
    counters = settled_counters(web_stack, token)
    first = api_get(web_stack, token, "/conversations?folder=inbox&limit=1")["items"][0]
    screenshot = tmp_path / "main.png"

    seen = run_browser(
        "main-view.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "SCREENSHOT": str(screenshot),
        },
    )

    assert seen["problems"] == []
    assert seen["counters"] == counters
    folders = api_get(web_stack, token, "/folders")["items"]
    system = [f["id"] for f in folders if f.get("system")]
    assert seen["folderNames"][:2] == ["Inbox", "Automated"]
    tenant_folders = sorted((f for f in folders if not f.get("system")), key=lambda f: f["position"])
    assert [f for f in seen["counters"] if f not in system] == [f["id"] for f in tenant_folders]
    assert seen["conversationId"] == first["id"]
    detail = api_get(web_stack, token, f"/conversations/{first['id']}")
    actions = seen["actions"]
    # What the conversation showed when opened: every message the API has, but the reply sent after.
    assert seen["messageIds"] == [m["id"] for m in detail["messages"] if m["text"] != actions["reply"]]
    assert actions["markedRead"] is True  # opening it marked it read (the app saw the API say so)
    me = api_get(web_stack, token, "/me")
    assert {
        k: detail["conversation"][k] for k in ("status", "assignee_id", "unread", "folder_id", "folder_pinned")
    } == {
        "status": "resolved",
        "assignee_id": me["user_id"],
        "unread": True,
        "folder_id": actions["movedTo"],
        "folder_pinned": True,
    }
    replies = [m for m in detail["messages"] if m["direction"] == "outbound" and m["text"] == actions["reply"]]
    assert len(replies) == 1
    assert replies[0]["delivery"] in ("sent", "delivered", "read")
    assert actions["replyDelivery"] in ("Sent", "Delivered", "Read")
    assert [n["text"] for n in detail["notes"]] == [actions["note"]]
    assert actions["phone"] == {"listWhileOpen": False, "conversationWhileOpen": True, "conversationAfterBack": False}
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copyfile(screenshot, REPO / "docs" / "screenshot-main.png")


def test_a_hostile_email_runs_and_loads_nothing_until_images_are_asked_for(web_stack):
    canary = Canary()
    subject = "Hostile " + secrets.token_hex(4)
    c = canary.url
    html = (
        f"<p>Hello</p><script>alert('script');fetch('{c}/script')</script>"
        f"<img src=x onerror=\"alert('onerror');fetch('{c}/onerror')\">"
        f'<img src="{c}/image.gif" alt="remote">'
        f'<link rel="stylesheet" href="{c}/link.css"><iframe src="{c}/frame"></iframe>'
        f'<div style="position:fixed;top:0;left:0;width:100vw;height:100vh;z-index:99999;background:red">overlay</div>'
        f'<a href="javascript:fetch(\'{c}/js\')">click</a><form action="{c}/form"><button>go</button></form>'
        f"<svg onload=\"fetch('{c}/svg')\"></svg>"
    )
    try:
        response = post_webhook(
            web_stack,
            {
                "external_id": secrets.token_hex(8),
                "from": {"name": "Mallory", "email": "mallory@example.net"},
                "subject": subject,
                "text": "Hello",
                "html": html,
                "thread_key": subject,
            },
        )
        assert response.status_code == 202, response.text
        seen = run_browser(
            "hostile-email.mjs",
            {
                "INBOX_URL": web_stack["web_url"],
                "INBOX_EMAIL": web_stack["admin"]["username"],
                "INBOX_PASSWORD": web_stack["admin"]["password"],
                "SUBJECT": subject,
                "CANARY": canary.url,
            },
        )
    finally:
        canary.close()

    assert seen["problems"] == []
    assert seen["dialogs"] == []
    assert seen["sandbox"] == ""
    assert seen["imagesHeld"] is True
    assert seen["topIsApp"] is True
    assert seen["signOutClickable"] is True
    assert "Hello" in seen["frameText"]
    # Before "Show images" nothing was asked of the canary; after, the remote image only.
    assert seen["requests"] == {"before": [], "after": ["/image.gif"]}
    assert canary.paths == ["/image.gif"]


def test_a_long_conversation_shows_its_earlier_messages_on_demand(web_stack):
    subject = "Long " + secrets.token_hex(4)
    base = int(time.time()) - 3600
    for number in range(1, 56):  # one page is 50 messages
        message = {
            "external_id": f"{subject}-{number}",
            "from": {"name": "Long Talker", "email": "long@example.net"},
            "subject": subject,
            "text": f"message {number:02d}",
            "thread_key": subject,
            "sent_at": datetime.fromtimestamp(base + number * 10, UTC).isoformat(),
        }
        assert post_webhook(web_stack, message).status_code == 202
    token = id_token(web_stack)
    # The app is checked against what the API holds, as long as it is more than a page: one busy run
    # held 54 of the 55 while moto failed concurrent transactions ("dictionary changed size").
    deadline = time.monotonic() + 60
    while not (
        mine := [c for c in api_get(web_stack, token, "/conversations?limit=100")["items"] if c["subject"] == subject]
    ):
        assert time.monotonic() < deadline, "the long conversation did not arrive"
        time.sleep(1)
    path = f"/conversations/{mine[0]['id']}"
    latest = api_get(web_stack, token, path)
    earlier = api_get(web_stack, token, f"{path}?before={quote(latest['earlier_messages'])}")
    assert earlier["earlier_messages"] is None
    latest_texts = [m["text"] for m in latest["messages"]]
    all_texts = [m["text"] for m in earlier["messages"]] + latest_texts
    assert len(latest_texts) == 50
    assert len(all_texts) > 50
    assert all_texts == sorted(all_texts)

    seen = run_browser(
        "long-conversation.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "SUBJECT": subject,
        },
    )

    assert seen["problems"] == []
    assert seen["first"] == latest_texts
    assert seen["all"] == all_texts
    assert seen["moreButton"] == 0
    assert seen["confirm"].startswith("Delete this conversation")
    assert seen["afterDelete"] == "Choose a conversation."
    gone = requests.get(
        f"{web_stack['api_url']}/conversations/{seen['conversationId']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert gone.status_code == 404


def test_every_screen_passes_axe_without_serious_or_critical_violations(web_stack):
    # A user an admin created, for the first sign-in's new-password screen (shown, never answered).
    new_user, temporary = "a11y.web@demo.example.com", "Temporary-Pass-2"
    create_user(
        web_stack,
        new_user,
        tenant_id=web_stack["tenant_id"],
        group="agent",
        temporary_password=temporary,
        email_verified=True,
    )
    report = run_browser(
        "accessibility.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "INBOX_NEW_USER_EMAIL": new_user,
            "INBOX_TEMPORARY_PASSWORD": temporary,
        },
    )

    signing_in = {"signIn", "forgotPassword", "forgotPasswordCode", "newPassword"}
    assert set(report) == signing_in | {f"{screen}French" for screen in signing_in} | {
        "mainView",
        "conversation",
        "phoneConversation",
        "phoneList",
    }
    assert {screen: found for screen, found in report.items() if found} == {}


def test_the_phone_layout_walks_list_conversation_settings_and_back_without_sideways_scroll(web_stack):
    seen = run_browser(
        "phone-layout.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
        },
        timeout=240,
    )

    assert seen["problems"] == []
    for language in ("en", "fr"):
        walk = seen[language]
        assert walk["listHiddenWithConversation"] is True, language  # one pane at a time
        assert walk["backToList"] is True, language
        assert walk["backToInbox"] is True, language
        for name in ("list", "conversation", "settings", "inboxAgain"):
            screen = walk[name]
            assert screen["scrollWidth"] <= screen["innerWidth"] == 390, (language, name)
            assert screen["small"] == [], (language, name)  # the main actions are 44 px tap targets
            assert screen["axe"] == [], (language, name)


def test_a_keyboard_only_walk_reads_replies_and_resolves(web_stack):
    # A fresh SMS (answerable, unlike the custom webhook's conversations) is the newest of All.
    text = "Bonjour, vous livrez le dimanche ? " + secrets.token_hex(3)
    sms_webhook = web_stack["vonage"]["webhooks"]["sms"]
    assert vonage_hooks(web_stack).deliver_sms(sms_webhook, "33611223344", DEMO_SMS_NUMBER.lstrip("+"), text).ok
    token = id_token(web_stack)
    deadline = time.monotonic() + 30
    while (newest := api_get(web_stack, token, "/conversations?limit=1")["items"][0])["preview"] != text:
        assert time.monotonic() < deadline, f"the SMS did not arrive: {newest}"
        time.sleep(0.5)

    reply = "Answered from the keyboard " + secrets.token_hex(3)
    seen = run_browser(
        "keyboard.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "REPLY": reply,
        },
    )

    assert seen["problems"] == []
    first, second = seen["ids"][:2]
    assert first == newest["id"]
    assert (seen["afterJ"], seen["afterJJ"], seen["afterJJK"]) == (first, second, first)
    assert seen["focusVisible"] is True
    assert seen["opened"] == first
    assert seen["help"] is True
    assert seen["helpAxe"] == []
    assert seen["helpKeepsFocus"] is True
    assert seen["helpAfterEscape"] == 0
    assert seen["helpGaveFocusBack"] is True
    assert seen["focusAfterClose"] == first
    detail = api_get(web_stack, token, f"/conversations/{first}")
    assert detail["conversation"]["status"] == "resolved"
    assert [m["text"] for m in detail["messages"] if m["direction"] == "outbound"] == [reply]
