"""The seed's case 1 end to end in the local stack (issue 16, item 2): "Où est ma commande #12345 ?"
reaches the demo tenant's mailbox, is filed in the demo's orders folder (automatic mode), and its
auto-reply, written by the fake OpenAI after a function call to the demo's `find_order` lookup on the
demo shop (local/shop.py, signed calls only), carries the order's date and tracking number: sent by
email and seen in the browser. An order the shop does not know (its 404) holds the reply as a draft
for a person, with the reason."""

from __future__ import annotations

import secrets
import time
from email.message import EmailMessage
from typing import Any

import pytest

from helpers.local_stack import id_token
from helpers.web import api_get, run_browser, synced_conversation
from local.seed_lookups import CASE_1

pytestmark = pytest.mark.e2e

SHIPPED_ON, TRACKING = "28/11/2026", "6A12345678901"
SETTLED = ("sent", "failed", "pending", "refused", "not_configured")


def customer_mail(sender: str, subject: str, question: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "support@shop.test"
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{secrets.token_hex(6)}@example.fr>"
    mail.set_content(f"Bonjour,\n\n{question}\n\nMerci\n")
    return mail.as_bytes()


def email_titled(stack: dict[str, Any], token: str, subject: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while not (
        found := [c for c in api_get(stack, token, "/conversations?channel=email")["items"] if c["subject"] == subject]
    ):
        assert time.monotonic() < deadline, f"no email conversation {subject!r}"
        time.sleep(0.5)
    return found[0]


def settled_auto_reply(stack: dict[str, Any], token: str, conversation_id: str) -> dict[str, Any]:
    """The conversation's auto-reply once its outcome is known."""
    path = f"/conversations/{conversation_id}/drafts"
    deadline = time.monotonic() + 90
    while not (done := [d for d in api_get(stack, token, path)["items"] if d["status"] in SETTLED]):
        assert time.monotonic() < deadline, api_get(stack, token, path)
        time.sleep(0.5)
    [auto] = [d for d in done if d["source"] == "auto_reply"]
    return auto


def test_the_seeds_case_1_is_answered_with_the_shops_order_date_and_tracking_number(web_stack, mailbox, smtp_server):
    assert web_stack.get("lookups", {}).get("orders_folder"), "the seed did not make the demo's orders folder"
    assert web_stack["shop"]["lookup_id"], "the seed did not make the demo's find_order lookup"
    tag = secrets.token_hex(3)
    subject = f"{CASE_1} (réf. {tag})"
    unknown_subject = f"Ma commande #99999 n'arrive pas (réf. {tag})"
    # Both in the mailbox before its first sync; another customer, so that no guard's cap is shared.
    mailbox.append(
        "INBOX", customer_mail("Marc Petit <marc.petit@example.fr>", unknown_subject, "Où est ma commande #99999 ?")
    )
    conversation = synced_conversation(
        web_stack, mailbox, smtp_server, customer_mail("Léa Dubois <lea.dubois@example.fr>", subject, CASE_1), subject
    )
    token = id_token(web_stack)
    unknown = email_titled(web_stack, token, unknown_subject)

    # Filed by the orders folder's rule, answered by itself once the lookup has answered.
    auto = settled_auto_reply(web_stack, token, conversation["id"])
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
    # The order the shop does not know: the call failed, so the reply waits for a person, saying why.
    held = settled_auto_reply(web_stack, token, unknown["id"])
    assert (held["mode"], held["status"], held["reason"]) == ("automatic", "pending", "lookup_failed"), held
    assert "find_order" in held["detail"]
    [failed] = held["lookups"]
    assert (failed["name"], failed["arguments"], failed["ok"]) == ("find_order", {"order_number": "99999"}, False)
    assert "404" in failed["error"]

    seen = run_browser(
        "lookups-demo.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "SUBJECT": subject,
            "UNKNOWN_SUBJECT": unknown_subject,
            "TRACKING": TRACKING,
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"answered": [], "held": []}
    assert seen["folderListsBoth"] is True  # under "Commandes" in the sidebar
    assert seen["customerText"].strip().startswith("Bonjour")
    assert SHIPPED_ON in seen["replyText"]
    assert TRACKING in seen["replyText"]
    assert seen["replyDelivery"] in ("Sent", "Delivered")
    # The held draft says which lookup failed, and the call with the shop's answer in words.
    assert "find_order" in seen["heldReason"]
    assert "find_order" in seen["heldLookup"]
    assert "99999" in seen["heldLookup"]
    assert "404" in seen["heldLookup"]
    assert len(smtp_server.messages) == 1  # nothing went to the customer whose order is unknown
