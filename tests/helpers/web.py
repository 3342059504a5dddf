"""What the web app's browser tests (tests/e2e/test_web_*.py) share: the browser scripts' runners
(web/e2e/*.mjs on Debian's Chromium), reads of the API, messages delivered as customers send them."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests

from helpers.local_stack import REPO, id_token
from local.seed import DEMO_SMS_NUMBER, DEMO_WHATSAPP_NUMBER
from local.vonage_templates import DEMO_WABA_ID
from local.vonage_webhooks import VonageWebhooks

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


def demo_answered(info: dict[str, Any], token: str, timeout: float = 90) -> None:
    """Wait until the demo's automatic folder has answered its SMS (local/seed_ai_replies.py): that
    reply moves its conversation to the top of the list, which must not happen under a browser test."""
    from local.seed_ai_replies import HOURS_SMS

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sms = api_get(info, token, "/conversations?channel=sms&limit=100")["items"]
        asked = [c for c in sms if (c["contact"].get("phone") or "").lstrip("+") == HOURS_SMS[0]]
        drafts = api_get(info, token, f"/conversations/{asked[0]['id']}/drafts")["items"] if asked else []
        if drafts and all(d["status"] not in ("writing", "sending") for d in drafts):
            return
        time.sleep(1)
    pytest.fail("the demo's automatic folder did not answer its SMS")


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


def vonage_hooks(stack: dict[str, Any]) -> VonageWebhooks:
    """The fake Vonage's signed webhooks, as the stack's fake sends them."""
    vonage = stack["vonage"]
    hooks = VonageWebhooks()
    hooks.api_key, hooks.signature_secret, hooks.signature_method = (
        vonage["api_key"],
        vonage["signature_secret"],
        "md5hash",
    )
    hooks.attempts, hooks.retry_delay = 3, 0.5
    return hooks


def deliver_sms(stack: dict[str, Any], sender: str, text: str) -> dict[str, Any]:
    """An SMS from `sender` to the demo number through the fake Vonage's signed webhook; its conversation."""
    vonage = stack["vonage"]
    assert vonage_hooks(stack).deliver_sms(vonage["webhooks"]["sms"], sender, DEMO_SMS_NUMBER.lstrip("+"), text).ok
    token = id_token(stack)
    deadline = time.monotonic() + 30
    while not (found := [c for c in api_get(stack, token, "/conversations?limit=20")["items"] if c["preview"] == text]):
        assert time.monotonic() < deadline, f"the SMS {text!r} did not arrive"
        time.sleep(0.5)
    return found[0]


def email_conversation(stack: dict[str, Any], mailbox, smtp_server, subject: str) -> dict[str, Any]:
    """A mail in a Dovecot mailbox connected through the API (SMTP: the test's aiosmtpd), synced."""
    mail = (
        f"From: Ana Ruiz <ana@example.es>\r\nSubject: {subject}\r\nMessage-ID: <{secrets.token_hex(6)}@example.es>"
        "\r\n\r\nQuiero cambiar mi pedido.\r\n"
    )
    return synced_conversation(stack, mailbox, smtp_server, mail.encode(), subject)


def synced_conversation(stack: dict[str, Any], mailbox, smtp_server, mail: bytes, subject: str) -> dict[str, Any]:
    """`mail` put in a Dovecot mailbox that is then connected through the API as the shop's
    support@shop.test (SMTP: the test's aiosmtpd) and synced: the conversation it became."""
    mailbox.append("INBOX", mail)
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


def list_demo_templates(stack: dict[str, Any], token: str) -> None:
    """The demo WhatsApp Business Account's id set on the demo Vonage integration: its templates listed from
    the fake Vonage (local/vonage_templates.py)."""
    response = requests.put(
        f"{stack['api_url']}/integrations/{stack['vonage']['integration_id']}",
        json={"vonage": {"whatsapp_business_account_id": DEMO_WABA_ID}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text


def closed_window_conversation(stack: dict[str, Any], token: str, customer: str, name: str) -> dict[str, Any]:
    """A WhatsApp customer of the test's own whose last message is moved 26 hours back in the table."""
    from inbox.adapters.dynamodb import keys

    vonage = stack["vonage"]
    text = f"Des nouvelles de ma demande ? {secrets.token_hex(3)}"
    hooks = vonage_hooks(stack)
    hooks.application_id = vonage["application_id"]
    inbound = hooks.whatsapp_inbound(DEMO_WHATSAPP_NUMBER.lstrip("+"), customer, name=name, text=text)
    assert hooks.deliver(vonage["webhooks"]["messages_inbound"], inbound).ok
    deadline = time.monotonic() + 30
    while not (found := [c for c in api_get(stack, token, "/conversations?limit=20")["items"] if c["preview"] == text]):
        assert time.monotonic() < deadline, "the WhatsApp message did not arrive"
        time.sleep(0.5)
    table = boto3.resource(
        "dynamodb",
        endpoint_url=stack["aws_endpoint_url"],
        region_name=stack["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table(stack["tables"]["InboxTable"])
    pk = keys.conversation_pk(stack["tenant_id"], found[0]["id"])
    then = (datetime.now(UTC) - timedelta(hours=26)).isoformat()
    table.update_item(
        Key={"PK": pk, "SK": keys.CONVERSATION},
        UpdateExpression="SET last_inbound_at = :t",
        ExpressionAttributeValues={":t": then},
    )
    for item in table.query(KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": pk})["Items"]:
        if item["SK"].startswith(keys.MESSAGE_PREFIX):
            table.update_item(
                Key={"PK": pk, "SK": item["SK"]},
                UpdateExpression="SET received_at = :t",
                ExpressionAttributeValues={":t": then},
            )
    return found[0]
