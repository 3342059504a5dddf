"""The seed's case 1 end to end in the local stack (issue 16, item 2): "Où est ma commande #12345 ?"
reaches the demo tenant's mailbox, is filed in the demo's orders folder (automatic mode), and its
auto-reply, written by the fake OpenAI after a function call to the demo's `find_order` lookup on the
demo shop (local/shop.py, signed calls only), carries the order's date and tracking number: sent by
email and seen in the browser."""

from __future__ import annotations

import secrets
import time
from email.message import EmailMessage

import pytest

from helpers.local_stack import id_token
from helpers.web import api_get, run_browser, synced_conversation
from local.seed_lookups import CASE_1

pytestmark = pytest.mark.e2e

SHIPPED_ON, TRACKING = "28/11/2026", "6A12345678901"


def test_the_seeds_case_1_is_answered_with_the_shops_order_date_and_tracking_number(web_stack, mailbox, smtp_server):
    assert web_stack.get("lookups", {}).get("orders_folder"), "the seed did not make the demo's orders folder"
    assert web_stack["shop"]["lookup_id"], "the seed did not make the demo's find_order lookup"
    tag = secrets.token_hex(3)
    subject = f"{CASE_1} (réf. {tag})"
    mail = EmailMessage()
    mail["From"] = "Léa Dubois <lea.dubois@example.fr>"
    mail["To"] = "support@shop.test"
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{tag}@example.fr>"
    mail.set_content(f"Bonjour,\n\n{CASE_1}\n\nMerci,\nLéa\n")
    conversation = synced_conversation(web_stack, mailbox, smtp_server, mail.as_bytes(), subject)
    token = id_token(web_stack)

    # Filed by the orders folder's rule, answered by itself once the lookup has answered.
    drafts_path = f"/conversations/{conversation['id']}/drafts"
    deadline = time.monotonic() + 90
    settled = ("sent", "failed", "pending", "refused", "not_configured")
    while not [d for d in api_get(web_stack, token, drafts_path)["items"] if d["status"] in settled]:
        assert time.monotonic() < deadline, api_get(web_stack, token, drafts_path)
        time.sleep(0.5)
    [auto] = [d for d in api_get(web_stack, token, drafts_path)["items"] if d["source"] == "auto_reply"]
    assert (auto["mode"], auto["status"]) == ("automatic", "sent"), auto
    assert SHIPPED_ON in auto["text"]
    assert TRACKING in auto["text"]
    [call] = auto["lookups"]
    assert (call["name"], call["arguments"], call["ok"]) == ("find_order", {"order_number": "12345"}, True)
    assert call["answer"]["tracking"] == TRACKING  # the shop verified the call's signature, or it answers 401
    filed = api_get(web_stack, token, f"/conversations/{conversation['id']}")["conversation"]["folder_id"]
    assert filed == web_stack["lookups"]["orders_folder"]
    # Sent to the customer through the mailbox's SMTP server.
    [received] = smtp_server.wait_for(1, timeout=30)
    assert received.rcpt_tos == ("lea.dubois@example.fr",)
    sent_text = received.message.get_body(("plain",)).get_content()
    assert SHIPPED_ON in sent_text
    assert TRACKING in sent_text

    seen = run_browser(
        "lookups-demo.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "SUBJECT": subject,
            "TRACKING": TRACKING,
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"conversation": []}
    assert seen["folderListsIt"] is True  # under "Commandes" in the sidebar
    assert seen["customerText"].strip().startswith("Bonjour")
    assert SHIPPED_ON in seen["replyText"]
    assert TRACKING in seen["replyText"]
    assert seen["replyDelivery"] in ("Sent", "Delivered")
