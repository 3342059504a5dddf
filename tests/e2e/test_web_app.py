"""The web app in a real browser (Debian's Chromium, driven by web/e2e/*.mjs with playwright-core),
against the local stack started as `make run` starts it. `make test` builds the app first.

UPDATE_SCREENSHOTS=1 also writes the main view to docs/screenshot-main.png (the README shows it).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import boto3
import pytest
import requests
from test_local_stack import LocalStack, free_port, id_token, post_webhook

from inbox.domain.signatures import sign
from local.seed import DEMO_SMS_NUMBER
from local.vonage_webhooks import VonageWebhooks

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "web"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

MISSING = [
    reason
    for reason, ok in (
        ("web/dist is not built (make web)", (WEB / "dist" / "index.html").is_file()),
        ("web/node_modules is not installed (make web)", (WEB / "node_modules").is_dir()),
        ("node is not installed", shutil.which("node") is not None),
        (f"no Chromium at {CHROMIUM} (make system)", CHROMIUM.is_file()),
    )
    if not ok
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if MISSING:  # `make test` provides all of it; a test never skips itself
        pytest.fail("; ".join(MISSING))
    root = tmp_path_factory.mktemp("web-stack")
    local = LocalStack(root / "state", free_port(), root / "stack.log")
    try:
        yield local.start()
    finally:
        local.stop()


def api_get(info: dict[str, Any], token: str, path: str) -> Any:
    response = requests.get(f"{info['api_url']}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    response.raise_for_status()
    return response.json()


def settled_counters(info: dict[str, Any], token: str, timeout: float = 90) -> dict[str, int]:
    """The folders' unread counters once the seed's messages are all classified: the same in three
    reads two seconds apart (classification is asynchronous, and slower on a busy machine)."""
    reads: list[dict[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reads.append({f["id"]: f["unread"] for f in api_get(info, token, "/folders")["items"]})
        if len(reads) >= 3 and reads[-1] == reads[-2] == reads[-3] and sum(reads[-1].values()) > 0:
            return reads[-1]
        time.sleep(2)
    pytest.fail(f"the folders' counters did not settle: {reads[-3:]}")


def run_browser(script: str, env: dict[str, str], timeout: float = 120) -> dict[str, Any]:
    result = subprocess.run(
        ["node", f"e2e/{script}"],
        cwd=WEB,
        env={**os.environ, "CHROMIUM": str(CHROMIUM), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sign_in_counters_and_a_conversation(stack, tmp_path):
    token = id_token(stack)
    counters = settled_counters(stack, token)
    first = api_get(stack, token, "/conversations?folder=inbox&limit=1")["items"][0]
    screenshot = tmp_path / "main.png"

    seen = run_browser(
        "main-view.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
            "SCREENSHOT": str(screenshot),
        },
    )

    assert seen["problems"] == []
    assert seen["counters"] == counters
    folders = api_get(stack, token, "/folders")["items"]
    system = [f["id"] for f in folders if f.get("system")]
    assert seen["folderNames"][:2] == ["Inbox", "Automated"]
    tenant_folders = sorted((f for f in folders if not f.get("system")), key=lambda f: f["position"])
    assert [f for f in seen["counters"] if f not in system] == [f["id"] for f in tenant_folders]
    assert seen["conversationId"] == first["id"]
    detail = api_get(stack, token, f"/conversations/{first['id']}")
    actions = seen["actions"]
    # What the conversation showed when opened: every message the API has, but the reply sent after.
    assert seen["messageIds"] == [m["id"] for m in detail["messages"] if m["text"] != actions["reply"]]
    assert actions["markedRead"] is True  # opening it marked it read (the app saw the API say so)
    me = api_get(stack, token, "/me")
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


def test_first_sign_in_sign_out_forgotten_password_and_french(stack):
    email = "agent.web@demo.example.com"
    temporary, chosen, reset = "Temporary-Pass-1", "Chosen-Password-22", "Reset-Password-333"
    idp = boto3.client(
        "cognito-idp",
        endpoint_url=stack["aws_endpoint_url"],
        region_name=stack["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    idp.admin_create_user(
        UserPoolId=stack["user_pool_id"],
        Username=email,
        TemporaryPassword=temporary,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:tenant_id", "Value": stack["tenant_id"]},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_add_user_to_group(UserPoolId=stack["user_pool_id"], Username=email, GroupName="agent")

    seen = run_browser(
        "accounts.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": email,
            "INBOX_TEMPORARY_PASSWORD": temporary,
            "INBOX_NEW_PASSWORD": chosen,
            "INBOX_RESET_PASSWORD": reset,
        },
    )

    assert seen["problems"] == []
    assert seen["firstSignIn"] == email
    assert seen["signedOut"] is True
    assert seen["wrongPassword"] == "Wrong email or password."
    assert seen["resetNotice"] == "Your password was changed: sign in with it."
    assert seen["afterReset"] == email
    assert seen["frenchSignIn"] == "Boîte de réception"
    assert seen["frenchFolders"][:2] == ["Boîte de réception", "Automatiques"]
    assert seen["frenchLang"] == "fr"


class Canary:
    """A loopback server that records every path a browser asks it for."""

    def __init__(self):
        paths = self.paths = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(200)
                self.send_header("content-type", "image/gif")
                self.end_headers()
                self.wfile.write(b"GIF89a")

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_hostile_email_runs_and_loads_nothing_until_images_are_asked_for(stack):
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
            stack,
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
                "INBOX_URL": stack["web_url"],
                "INBOX_EMAIL": stack["admin"]["username"],
                "INBOX_PASSWORD": stack["admin"]["password"],
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


def test_a_long_conversation_shows_its_earlier_messages_on_demand(stack):
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
        assert post_webhook(stack, message).status_code == 202
    token = id_token(stack)
    # The app is checked against what the API holds, as long as it is more than a page: one busy run
    # held 54 of the 55 while moto failed concurrent transactions ("dictionary changed size").
    deadline = time.monotonic() + 60
    while not (
        mine := [c for c in api_get(stack, token, "/conversations?limit=100")["items"] if c["subject"] == subject]
    ):
        assert time.monotonic() < deadline, "the long conversation did not arrive"
        time.sleep(1)
    path = f"/conversations/{mine[0]['id']}"
    latest = api_get(stack, token, path)
    earlier = api_get(stack, token, f"{path}?before={quote(latest['earlier_messages'])}")
    assert earlier["earlier_messages"] is None
    latest_texts = [m["text"] for m in latest["messages"]]
    all_texts = [m["text"] for m in earlier["messages"]] + latest_texts
    assert len(latest_texts) == 50
    assert len(all_texts) > 50
    assert all_texts == sorted(all_texts)

    seen = run_browser(
        "long-conversation.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
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
        f"{stack['api_url']}/conversations/{seen['conversationId']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert gone.status_code == 404


def test_every_screen_passes_axe_without_serious_or_critical_violations(stack):
    report = run_browser(
        "accessibility.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
        },
    )

    assert set(report) == {
        "signIn",
        "forgotPassword",
        "mainView",
        "conversation",
        "phoneConversation",
        "phoneList",
        "signInFrench",
    }
    assert {screen: found for screen, found in report.items() if found} == {}


def test_a_keyboard_only_walk_reads_replies_and_resolves(stack):
    # A fresh SMS (answerable, unlike the custom webhook's conversations) is the newest of All.
    vonage = stack["vonage"]
    hooks = VonageWebhooks()
    hooks.api_key, hooks.signature_secret, hooks.signature_method = (
        vonage["api_key"],
        vonage["signature_secret"],
        "md5hash",
    )
    hooks.attempts, hooks.retry_delay = 3, 0.5
    text = "Bonjour, vous livrez le dimanche ? " + secrets.token_hex(3)
    assert hooks.deliver_sms(vonage["webhooks"]["sms"], "33611223344", DEMO_SMS_NUMBER.lstrip("+"), text).ok
    token = id_token(stack)
    deadline = time.monotonic() + 30
    while (newest := api_get(stack, token, "/conversations?limit=1")["items"][0])["preview"] != text:
        assert time.monotonic() < deadline, f"the SMS did not arrive: {newest}"
        time.sleep(0.5)

    reply = "Answered from the keyboard " + secrets.token_hex(3)
    seen = run_browser(
        "keyboard.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
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
    assert seen["helpAfterEscape"] == 0
    assert seen["focusAfterClose"] == first
    detail = api_get(stack, token, f"/conversations/{first}")
    assert detail["conversation"]["status"] == "resolved"
    assert [m["text"] for m in detail["messages"] if m["direction"] == "outbound"] == [reply]


# ---------------------------------------------------------------- the channel composers (issue 11, item 3)


def deliver_sms(stack: dict[str, Any], sender: str, text: str) -> dict[str, Any]:
    """An SMS from `sender` to the demo number through the fake Vonage's signed webhook; its conversation."""
    vonage = stack["vonage"]
    hooks = VonageWebhooks()
    hooks.api_key, hooks.signature_secret, hooks.signature_method = (
        vonage["api_key"],
        vonage["signature_secret"],
        "md5hash",
    )
    hooks.attempts, hooks.retry_delay = 3, 0.5
    assert hooks.deliver_sms(vonage["webhooks"]["sms"], sender, DEMO_SMS_NUMBER.lstrip("+"), text).ok
    token = id_token(stack)
    deadline = time.monotonic() + 30
    while not (found := [c for c in api_get(stack, token, "/conversations?limit=20")["items"] if c["preview"] == text]):
        assert time.monotonic() < deadline, f"the SMS {text!r} did not arrive"
        time.sleep(0.5)
    return found[0]


def email_conversation(stack: dict[str, Any], mailbox, smtp_server, subject: str) -> dict[str, Any]:
    """A mail in a Dovecot mailbox connected through the API (SMTP: the test's aiosmtpd), synced."""
    mailbox.append(
        "INBOX",
        f"From: Ana Ruiz <ana@example.es>\r\nSubject: {subject}\r\nMessage-ID: <{secrets.token_hex(6)}@example.es>"
        "\r\n\r\nQuiero cambiar mi pedido.\r\n".encode(),
    )
    token = id_token(stack)
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "kind": "email",
        "name": "Support",
        "address": "support@shop.test",
        "imap": mailbox.imap_settings(),
        "smtp": smtp_server.smtp_settings(),
    }
    created = requests.post(f"{stack['api_url']}/integrations", json=body, headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    sync = requests.post(f"{stack['api_url']}/integrations/{created.json()['id']}/sync", headers=headers, timeout=30)
    assert sync.status_code == 202, sync.text
    deadline = time.monotonic() + 45
    while not (
        found := [c for c in api_get(stack, token, "/conversations?channel=email")["items"] if c["subject"] == subject]
    ):
        assert time.monotonic() < deadline, "the mail was not synced"
        time.sleep(0.5)
    return found[0]


def test_composers_reply_by_email_with_its_subject_and_by_sms_with_its_parts_counted(stack, mailbox, smtp_server):
    tag = secrets.token_hex(3)
    subject = f"Cambio de pedido {tag}"
    email = email_conversation(stack, mailbox, smtp_server, subject)
    sms_text = f"Vous livrez à Lyon ? {tag}"
    sms = deliver_sms(stack, "33622334455", sms_text)
    replies = {
        "EMAIL_REPLY_SUBJECT": f"Su pedido {tag}",
        "EMAIL_REPLY": f"Lo cambiamos hoy. {tag}",
        "SMS_REPLY": f"Oui, le mardi. {tag}",
    }

    seen = run_browser(
        "composers.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
            "EMAIL_SUBJECT": subject,
            "SMS_TEXT": sms_text,
            "WHATSAPP_CONTACT": "Karim Benali",
            **replies,
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"email": [], "sms": [], "whatsapp": []}
    # Email: prefilled as the API's default, sent with the subject written, to the SMTP server.
    assert (seen["emailChannel"], seen["subjectPrefilled"]) == ("email", f"Re: {subject}")
    assert seen["emailDelivery"] == "Sent"
    [received] = smtp_server.wait_for(1)
    assert received.rcpt_tos == ("ana@example.es",)
    assert received.message["Subject"] == replies["EMAIL_REPLY_SUBJECT"]
    assert received.message.get_body(("plain",)).get_content().strip() == replies["EMAIL_REPLY"]
    token = id_token(stack)
    [stored] = [
        m for m in api_get(stack, token, f"/conversations/{email['id']}")["messages"] if m["direction"] == "outbound"
    ]
    assert stored["subject"] == replies["EMAIL_REPLY_SUBJECT"]
    # SMS: no subject; 160 GSM characters are one part, 161 two; the reply reached the fake Vonage.
    assert (seen["smsChannel"], seen["smsSubjectFields"]) == ("sms", 0)
    assert seen["sms160"] == {"parts": 1, "encoding": "GSM-7"}
    assert seen["sms161"] == {"parts": 2, "encoding": "GSM-7"}
    assert seen["sms161Text"] == "SMS parts: 2 · 145 characters left in this part · GSM-7"
    assert seen["smsEuro"] == {"parts": 2, "encoding": "GSM-7"}
    assert seen["smsCyrillic"] == {"parts": 1, "encoding": "UCS-2"}
    assert seen["smsDelivery"] in ("Sent", "Delivered")
    vonage = stack["vonage"]
    log = requests.get(
        f"{vonage['base_url']}/_fake/sent", auth=(vonage["api_key"], vonage["api_secret"]), timeout=30
    ).json()
    assert [(s["channel"], s["to"], s["from"]) for s in log if s.get("text") == replies["SMS_REPLY"]] == [
        ("sms", "33622334455", DEMO_SMS_NUMBER.lstrip("+"))
    ]
    assert sms["channel"] == "sms"
    # WhatsApp: the demo customer wrote at start-up, so the window is open for most of a day.
    assert seen["whatsappWindow"].startswith("WhatsApp window open, closes in ")
    assert seen["whatsappSendEnabled"] is True


def test_settings_build_a_folder_rule_make_a_webhook_secret_once_and_change_the_ai_model(stack):
    """Issue 11, item 4: the settings screens as the demo admin would use them; an agent has none."""
    token = id_token(stack)
    settled_counters(stack, token)  # the seed's conversations are in, so the preview has them to show
    agent_email, agent_password = "agent.settings@demo.example.com", "Agent-Password-4242"
    idp = boto3.client(
        "cognito-idp",
        endpoint_url=stack["aws_endpoint_url"],
        region_name=stack["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    idp.admin_create_user(
        UserPoolId=stack["user_pool_id"],
        Username=agent_email,
        UserAttributes=[
            {"Name": "email", "Value": agent_email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:tenant_id", "Value": stack["tenant_id"]},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(
        UserPoolId=stack["user_pool_id"], Username=agent_email, Password=agent_password, Permanent=True
    )
    idp.admin_add_user_to_group(UserPoolId=stack["user_pool_id"], Username=agent_email, GroupName="agent")
    names = {"FOLDER_NAME": "Billing or Sofia", "WEBHOOK_NAME": "Shop form (e2e)", "AI_MODEL": "gpt-4o-mini-e2e"}

    seen = run_browser(
        "settings.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
            "INBOX_AGENT_EMAIL": agent_email,
            "INBOX_AGENT_PASSWORD": agent_password,
            **names,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert {screen: found for screen, found in seen["axe"].items() if found} == {}
    assert set(seen["axe"]) == {"integrations", "mailboxForm", "webhookSecret", "folders", "folderEditor", "ai"}
    # A mailbox: the preset fills the servers; nothing is saved before the connection is tested.
    assert (seen["presetHost"], seen["saveBeforeTest"]) == ("ssl0.ovh.net", True)

    # The folder's rule is the builder's two-condition OR, as GET /folders holds it.
    rule = {
        "any": [
            {"field": "subject", "op": "contains", "value": "Invoice", "not": False},
            {"field": "from_name", "op": "contains", "value": "Sofia", "not": False},
        ]
    }
    folders = api_get(stack, token, "/folders")["items"]
    [folder] = [f for f in folders if f["name"] == names["FOLDER_NAME"]]
    assert folder["rules"] == rule
    # The preview listed what the API's preview of the same rule lists: James's invoice and Sofia's quote.
    preview = requests.post(
        f"{stack['api_url']}/folders/preview",
        json={"rules": rule},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert sorted(seen["previewIds"]) == sorted(c["id"] for c in preview["items"])
    assert len(seen["previewIds"]) >= 2
    assert seen["previewCount"] == f"{len(preview['items'])} of the latest {preview['examined']} conversations."
    # Alt+Up moved it above the folder before it, in the list and in the API's order.
    assert seen["orderAfter"][-2] == names["FOLDER_NAME"]
    assert seen["orderAfter"][-1] == seen["orderBefore"][-2]
    assert seen["focusAfterMove"] == f"Move {names['FOLDER_NAME']}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        order = [f["name"] for f in api_get(stack, token, "/folders")["items"] if not f["system"]]
        if order == seen["orderAfter"]:
            break
        time.sleep(0.5)
    assert order == seen["orderAfter"]

    # The webhook's secret was shown once, and it is the one the API checks signatures with.
    assert re.fullmatch(r"whsec_[0-9a-f]{64}", seen["secret"]), seen["secret"]
    assert seen["secretShownAgain"] is False
    [hook] = [i for i in api_get(stack, token, "/integrations") if i["name"] == names["WEBHOOK_NAME"]]
    assert seen["webhookUrl"] == seen["cardUrl"] == f"{stack['web_url'].rstrip('/')}{hook['webhook_path']}"
    message = {"external_id": "e2e-settings-1", "from": {"name": "Ana", "email": "ana@example.com"}, "text": "Hi"}
    body = json.dumps(message).encode()
    delivered = requests.post(
        seen["webhookUrl"],
        data=body,
        headers={"Content-Type": "application/json", "X-Inbox-Signature": sign(seen["secret"], body, int(time.time()))},
        timeout=30,
    )
    assert delivered.status_code == 202, delivered.text

    # The AI model changed; the key stays write-only.
    assert api_get(stack, token, "/settings/ai")["model"] == names["AI_MODEL"]
    assert seen["keyState"] in ("(set)", "(not set)")
    assert seen["keyFieldEmpty"] is True
    assert seen["backToInbox"] is True

    # An agent has no Settings in the header; reached by its address, the screen refuses.
    assert seen["agentSeesSettings"] == 0
    assert "Only admins change the settings." in seen["agentSettingsScreen"]


def drive_browser(script: str, env: dict[str, str], answer, timeout: float = 240) -> dict[str, Any]:
    """Runs a browser script that stops at each `STEP <name> <json>` line for `answer(name, data)`,
    whose JSON goes back on its stdin; returns what the script printed last."""
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            ["node", f"e2e/{script}"],
            cwd=WEB,
            env={**os.environ, "CHROMIUM": str(CHROMIUM), **env},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        lines: list[str] = []
        try:
            for line in process.stdout or ():
                lines.append(line)
                if line.startswith("STEP ") and process.stdin is not None:
                    _, name, data = line.rstrip("\n").split(" ", 2)
                    process.stdin.write(json.dumps(answer(name, json.loads(data))) + "\n")
                    process.stdin.flush()
            process.wait(timeout)
        finally:
            watchdog.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
        log.seek(0)
        assert process.returncode == 0, f"{script} failed:\n{''.join(lines)}\n{log.read()}"
    return json.loads(lines[-1])


def test_live_updates_reach_two_open_apps_notify_and_catch_up_after_a_drop(stack):
    from inbox.adapters.dynamodb import keys

    token = id_token(stack)
    counters = settled_counters(stack, token)
    me = api_get(stack, token, "/me")["user_id"]
    headers = {"Authorization": f"Bearer {token}"}
    management = "http" + stack["websocket_url"].removeprefix("ws")
    table = boto3.resource(
        "dynamodb",
        endpoint_url=stack["aws_endpoint_url"],
        region_name=stack["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table(stack["tables"]["InboxTable"])
    done: dict[str, Any] = {}

    def customer_writes(thread: str, text: str) -> str:
        message = {
            "external_id": secrets.token_hex(8),
            "from": {"name": "Live Customer", "email": f"{thread}@example.net"},
            "subject": thread,
            "text": text,
            "thread_key": thread,
        }
        response = post_webhook(stack, message)
        assert response.status_code == 202, response.text
        return response.json()["conversation_id"]

    def assign_to_me(conversation_id: str) -> None:
        response = requests.patch(
            f"{stack['api_url']}/conversations/{conversation_id}",
            json={"assignee_id": me},
            headers=headers,
            timeout=30,
        )
        assert response.status_code == 200, response.text

    def inbox_unread() -> dict[str, int]:
        return {f["id"]: f["unread"] for f in api_get(stack, token, "/folders")["items"]}

    def answer(name: str, data: dict[str, Any]) -> dict[str, Any]:
        if name == "ready":
            before = inbox_unread()
            assert before == counters
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
            open_thread = api_get(stack, token, f"/conversations/{done['open']}")["conversation"]["subject"]
            first_thread = api_get(stack, token, f"/conversations/{done['first']}")["conversation"]["subject"]
            reply = "Je précise ma question " + secrets.token_hex(3)
            assert customer_writes(open_thread, reply) == done["open"]
            assert customer_writes(first_thread, "Et aussi ceci.") == done["first"]
            return {"openReply": reply}
        if name == "drop":
            connections = table.query(
                KeyConditionExpression="PK = :pk",
                ExpressionAttributeValues={":pk": keys.connections_pk(stack["tenant_id"])},
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
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
        },
        answer,
    )

    assert seen["problems"] == []
    # In the open list of both apps, with the inbox's counter, within 2 s of the message's delivery
    # (the webhook's 202; the post itself took `post` ms, in which moto serves one request at a time).
    delays = {context: round(at - done["accepted_at"]) for context, at in seen["arrival"].items()}
    post = round(done["accepted_at"] - done["posted_at"])
    assert all(delay <= 2000 for delay in delays.values()), {"after the 202": delays, "post": post}
    assert seen["reloaded"] == [False, False]
    assert seen["titleAfter"] == f"({done['unread']}) Inbox"
    assert seen["favicon"] == str(done["unread"])
    assert (seen["popoverViolations"], seen["popoverClosed"]) == ([], True)
    # The customer wrote on both conversations assigned to me: told of the one not open only.
    assert [(n["title"], n["tag"]) for n in seen["notifications"]] == [("New reply from a customer", done["first"])]
    # The customer's message on the open conversation made it unread; the app, reading it, marked it read.
    assert api_get(stack, token, f"/conversations/{done['open']}")["conversation"]["unread"] is False
    # The server dropped both sockets; the one that could not reconnect for a while caught up.
    assert seen["dropped"] >= 2
    assert seen["reconnectingText"] == "Reconnecting…"
    assert seen["missedWhileOffline"] is True
    assert seen["caughtUp"] is True
    for statuses in seen["statuses"].values():
        assert "reconnecting" in statuses, seen["statuses"]
        assert statuses[-1] == "online", seen["statuses"]


# ---------------------------------------------------------------- the list's filters, sort, bulk bar (issue 11, item 3)


def _same_query(info: dict[str, Any], token: str, query: str) -> list[str]:
    """The API's answer to the query the app made (its limit included), read here with our own token."""
    return [c["id"] for c in api_get(info, token, f"/conversations?{query}")["items"]]


def test_list_filters_and_sort_show_what_the_api_says_and_a_bulk_resolve_counts(stack):
    token = id_token(stack)
    settled_counters(stack, token)
    login = {
        "INBOX_URL": stack["web_url"],
        "INBOX_EMAIL": stack["admin"]["username"],
        "INBOX_PASSWORD": stack["admin"]["password"],
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
        assert scenario["ids"] == _same_query(stack, token, scenario["query"]), scenario["name"]
    assert seen["reload"].pop("urls") == ["?status=new&channel=sms&assignee=none&sort=urgency"] * 2
    assert seen["reload"] == {
        "sameUrl": True,
        "sameIds": True,
        "title": "Inbox",
        "bar": {"status": "new", "channel": "sms", "assignee": "none", "sort": "urgency", "folderOffered": 0},
    }

    # Three fresh SMS, new and unassigned: the newest of All, SMS, New.
    fresh = [deliver_sms(stack, f"3361010{n:04d}", f"Bulk please {n} {secrets.token_hex(3)}") for n in range(3)]
    counters_before = settled_counters(stack, token)
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
    details = [api_get(stack, token, f"/conversations/{i}")["conversation"] for i in ids]
    assert [d["status"] for d in details] == ["resolved"] * 3
    expected = dict(counters_before)
    for detail in details:  # each was new and unread: off its folder's unread count
        expected[detail["folder"]] -= 1
    assert seen["countersAfter"] == expected
    assert expected == {f["id"]: f["unread"] for f in api_get(stack, token, "/folders")["items"]}


# ---------------------------------------------------------------- the deployed app's headers (issue 11, item 10)


def deployed_csp(stack: dict[str, Any]) -> str:
    """The CSP of the template's CloudFront distribution, its AWS URLs replaced by the local stack's."""
    from cfn_tools import load_yaml

    template = load_yaml((REPO / "template.yaml").read_text())
    policy = template["Resources"]["WebSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    websocket = stack["websocket_url"].split("://", 1)
    local = {
        "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}": stack["api_url"].removesuffix("/inbox"),
        "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}": stack["aws_endpoint_url"],
        "${WebSocketApi.ApiEndpoint}": f"{websocket[0]}://{websocket[1].split('/', 1)[0]}",
    }
    for aws, here in local.items():
        assert aws in csp, aws
        csp = csp.replace(aws, here)
    assert "${" not in csp, csp
    return " ".join(csp.split())


class HttpsImage:
    """A remote image on https (the test CA's certificate), as an email's would be."""

    def __init__(self, directory: Path):
        from servers.tls import certificates

        paths = self.paths = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(200)
                self.send_header("content-type", "image/gif")
                self.end_headers()
                # A 1x1 transparent GIF.
                self.wfile.write(
                    bytes.fromhex(
                        "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
                    )
                )

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = certificates().server_context(directory)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_the_deployed_csp_lets_the_app_sign_in_read_show_images_and_go_live(stack, tmp_path):
    csp = deployed_csp(stack)
    image = HttpsImage(tmp_path / "tls")
    subject = "Under the CSP " + secrets.token_hex(4)
    try:
        html = f'<p>Bonjour</p><p><img src="{image.url}/logo.gif" alt="logo" width="1" height="1"></p>'
        message = {"external_id": secrets.token_hex(8), "from": {"name": "Léa", "email": "lea@example.fr"}}
        message |= {"subject": subject, "text": "Bonjour", "html": html, "thread_key": subject}
        assert post_webhook(stack, message).status_code == 202
        seen = run_browser(
            "deployed-csp.mjs",
            {
                "INBOX_URL": stack["web_url"],
                "INBOX_EMAIL": stack["admin"]["username"],
                "INBOX_PASSWORD": stack["admin"]["password"],
                "CSP": csp,
                "SUBJECT": subject,
            },
        )
    finally:
        image.close()

    assert seen["problems"] == []
    assert seen["refused"] == []
    assert "Bonjour" in seen["frameText"]
    assert seen["imageLoaded"] is True
    assert image.paths == ["/logo.gif"]
    assert seen["live"] is True
    assert seen["styled"] == "grid"


def test_the_web_benchmark_runs_and_opening_the_app_asks_the_api_for_me_folders_and_the_list_only(stack, tmp_path):
    # The harness of benchmarks/web_app.py on this module's stack, one run: its timings mean nothing
    # here, but its request count is a count: opening the app asks the API for three things.
    stack_json = tmp_path / "stack.json"
    stack_json.write_text(json.dumps(stack))
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.web_app", "--runs", "1", "--stack-json", str(stack_json)],
        cwd=REPO,
        env={**os.environ, "CHROMIUM": str(CHROMIUM)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    report = result.stdout
    for heading in ("1. Size", "2. Navigation to the conversation list", "3. Requests made to open the app"):
        assert heading in report, report
    assert "API requests: 3 (goal: me + folders + the list, once each)   PASS" in report, report
