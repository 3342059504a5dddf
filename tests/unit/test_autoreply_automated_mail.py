"""The loop guard never answers a machine, nor ourselves: real automated mail from the shared corpus
(read in place, see shared/corpora/README.md), and each header rule on a small message of its own."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from inbox.domain.autoreply import AutoReplyCase, RefusalReason, auto_reply_refusal, own_identities
from inbox.domain.email import parse_email
from inbox.models import Channel, Conversation, Integration, Message, Party
from inbox.services.email_inbound import inbound_from_email

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "email"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SHOP_ADDRESS = "support@shop.example"
OURS = own_identities([SHOP_ADDRESS, "sales@shop.example", "+33 1 23 45 67 89"])
INTEGRATION = Integration(
    id="i1",
    tenant_id="t1",
    kind="email",
    name="Shop",
    settings={
        "address": SHOP_ADDRESS,
        "imap": {"host": "mail.shop.example", "port": 993, "tls": "implicit", "username": "support"},
        "smtp": {"host": "mail.shop.example", "port": 465, "tls": "implicit", "username": "support"},
    },
    created_at=NOW,
    updated_at=NOW,
)


def stored(raw: bytes) -> tuple[Conversation, Message]:
    """The conversation and the message ingest would store for this mail (only what the guard reads)."""
    inbound = inbound_from_email(parse_email(raw), raw, INTEGRATION)
    message = Message(
        id="m1",
        tenant_id="t1",
        conversation_id="c1",
        integration_id="i1",
        channel=Channel.EMAIL,
        direction=inbound.direction,
        sender=inbound.sender,
        subject=inbound.subject,
        text=inbound.text,
        automated=inbound.automated,
        headers=inbound.headers,
        received_at=NOW,
    )
    conversation = Conversation(
        id="c1",
        tenant_id="t1",
        channel=Channel.EMAIL,
        integration_id="i1",
        contact_id="k1",
        contact=inbound.sender,
        subject=inbound.subject,
        created_at=NOW,
        last_activity_at=NOW,
        last_inbound_at=NOW,
    )
    return conversation, message


def reason_for(raw: bytes) -> RefusalReason | None:
    conversation, message = stored(raw)
    refusal = auto_reply_refusal(
        AutoReplyCase(conversation=conversation, message=message, own_identities=OURS, now=NOW)
    )
    return refusal.reason if refusal else None


def mail(*headers: str, sender: str = "Ann Smith <ann@example.com>") -> bytes:
    lines = [
        f"From: {sender}",
        f"To: {SHOP_ADDRESS}",
        "Subject: Where is my order #12345?",
        "Date: Mon, 2 Mar 2026 09:59:00 +0000",
        "Message-ID: <q1@example.com>",
        *headers,
        "",
        "Hello, where is my order?",
    ]
    return "\r\n".join(lines).encode()


# --- real mail ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chatwoot/auto_reply.eml", RefusalReason.AUTOMATED_MAIL),  # X-Autoreply: yes
        ("chatwoot/auto_reply_with_auto_submitted.eml", RefusalReason.AUTOMATED_MAIL),  # auto-generated
        ("chatwoot/non_utf_encoded_mail.eml", RefusalReason.AUTOMATED_MAIL),  # auto-replied, Precedence: bulk
        ("chatwoot/bounced_gmail.eml", RefusalReason.AUTOMATED_MAIL),  # multipart/report, mailer-daemon
        ("chatwoot/bounced_with_no_from.eml", RefusalReason.NO_RECIPIENT),  # no From: nobody to answer
        ("zammad/mail018.box", RefusalReason.AUTOMATED_MAIL),  # postmaster, Return-Path: <>
        ("zammad/mail033-undelivered-mail-returned-to-sender.box", RefusalReason.AUTOMATED_MAIL),
        ("zammad/mail043.box", RefusalReason.AUTOMATED_MAIL),  # List-Unsubscribe, Precedence: bulk
        ("zammad/mail089.box", RefusalReason.AUTOMATED_MAIL),  # a service desk's notification
        ("zammad/mail098.box", RefusalReason.AUTOMATED_MAIL),  # noreply sender with a Reply-To
        ("freescout/message-5-iso-2022-jp.eml", RefusalReason.AUTOMATED_MAIL),  # noreply sender
        ("zammad/mail035.box", RefusalReason.AUTOMATED_MAIL),  # spam with Return-Path: <> and nothing else
        ("zammad/mail026.box", RefusalReason.AUTOMATED_SENDER),  # Return-Path: <noreply@bounce...>
    ],
)
def test_autoreply_guard_never_answers_real_automated_mail(name, expected):
    assert reason_for((CORPUS / name).read_bytes()) is expected


@pytest.mark.parametrize(
    "name", ["chatwoot/support.eml", "chatwoot/reply.eml", "zammad/mail001.box", "freescout/message-1.eml"]
)
def test_autoreply_guard_answers_real_mail_written_by_people(name):
    assert reason_for((CORPUS / name).read_bytes()) is None


# --- each header rule --------------------------------------------------------------------------------


def test_autoreply_guard_answers_a_plain_customer_mail():
    assert reason_for(mail()) is None


def test_autoreply_guard_answers_auto_submitted_no():
    assert reason_for(mail("Auto-Submitted: no")) is None
    assert reason_for(mail("AUTO-SUBMITTED: No")) is None


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "Auto-Submitted: auto-notified; owner-email=x@example.com",
        "AUTO-SUBMITTED: AUTO-REPLIED",
        "auto-submitted: auto-replied",
        "List-Id: <customers.shop.example>",
        "List-Unsubscribe: <mailto:leave@example.com>",
        "Precedence: bulk",
        "Precedence: list",
        "Precedence: junk",
        "Precedence: auto_reply",
        "PRECEDENCE: BULK",
        "X-Auto-Response-Suppress: All",
        "X-Auto-Response-Suppress: OOF, AutoReply",
        "X-Autoreply: yes",
        "X-Autorespond: Out of office",
        "X-Loop: support@example.com",
        "X-LOOP: yes",
        "Return-Path: <>",
        "Return-Path: < >",
        "X-Failed-Recipients: someone@example.com",
    ],
)
def test_autoreply_guard_never_answers_mail_whose_headers_say_a_machine_wrote_it(header):
    assert reason_for(mail(header)) is RefusalReason.AUTOMATED_MAIL


def test_autoreply_guard_never_answers_a_delivery_report():
    report = (
        b"From: Mail Delivery System <bounces@mx.example.com>\r\nTo: support@shop.example\r\n"
        b"Subject: Your message\r\nMessage-ID: <r1@mx.example.com>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nIt did not arrive.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n"
        b"Final-Recipient: rfc822; ann@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n"
    )
    assert reason_for(report) is RefusalReason.AUTOMATED_MAIL


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.example.com",
        "postmaster@example.com",
        "noreply@example.com",
        "no-reply@example.com",
        "do-not-reply@example.com",
        "DoNotReply@example.com",
    ],
)
def test_autoreply_guard_never_answers_a_machines_address(sender):
    assert reason_for(mail(sender=sender)) is RefusalReason.AUTOMATED_MAIL  # the parser files these as automated


def test_autoreply_guard_never_answers_a_machine_return_path():
    assert reason_for(mail("Return-Path: <MAILER-DAEMON>")) is RefusalReason.AUTOMATED_SENDER
    assert reason_for(mail("Return-Path: <noreply@bounce.example.com>")) is RefusalReason.AUTOMATED_SENDER
    assert reason_for(mail("Return-Path: <ann@example.com>")) is None


def test_autoreply_guard_never_answers_a_noreply_reply_to():
    # GIVEN a contact form's mail: from the form, the customer in Reply-To (whom the reply goes to)
    form = mail("Reply-To: noreply@example.com", sender="Shop form <form@forms.example>")
    assert reason_for(form) is RefusalReason.AUTOMATED_SENDER


@pytest.mark.parametrize("sender", [SHOP_ADDRESS, "SUPPORT@Shop.Example", "Sales <sales@shop.example>"])
def test_autoreply_guard_never_answers_our_own_address(sender):
    assert reason_for(mail(sender=sender)) is RefusalReason.OWN_ADDRESS


def test_autoreply_guard_never_answers_when_the_reply_would_go_to_us():
    assert reason_for(mail(f"Reply-To: {SHOP_ADDRESS}")) is RefusalReason.OWN_ADDRESS


def test_autoreply_guard_never_answers_an_unreadable_sender():
    # no usable From: ingest keeps it as from unknown-sender@sender.invalid
    assert reason_for(mail(sender="Nobody")) is RefusalReason.NO_RECIPIENT


def test_autoreply_guard_reads_header_names_in_any_case():
    # GIVEN headers as another source may store them, not lower-cased by our parser
    conversation, message = stored(mail())
    for headers in ({"X-Loop": "yes"}, {"RETURN-PATH": "<>"}):
        refusal = auto_reply_refusal(
            AutoReplyCase(conversation=conversation, message=message.model_copy(update={"headers": headers}), now=NOW)
        )
        assert refusal is not None
        assert refusal.reason is RefusalReason.AUTOMATED_MAIL


def test_autoreply_guard_never_answers_our_own_numbers():
    # GIVEN an SMS from one of the tenant's numbers (as Vonage writes it, without the +)
    ours = Party(phone="33123456789")
    conversation, message = stored(mail())
    conversation = conversation.model_copy(update={"channel": Channel.SMS, "contact": ours})
    message = message.model_copy(update={"channel": Channel.SMS, "sender": ours, "headers": {}})
    refusal = auto_reply_refusal(
        AutoReplyCase(conversation=conversation, message=message, own_identities=OURS, now=NOW)
    )
    assert refusal is not None
    assert refusal.reason is RefusalReason.OWN_ADDRESS


def test_autoreply_guard_an_sms_needs_a_number_to_answer():
    conversation, message = stored(mail())
    conversation = conversation.model_copy(update={"channel": Channel.SMS, "contact": Party(name="SHOPINFO")})
    refusal = auto_reply_refusal(AutoReplyCase(conversation=conversation, message=message, now=NOW))
    assert refusal is not None
    assert refusal.reason is RefusalReason.NO_RECIPIENT
