"""The headers of our email replies: an auto-reply says so (RFC 3834) and stays in the customer's thread."""

from datetime import UTC, datetime
from email.message import EmailMessage

from inbox.domain.autoreply import AutoReplyCase, RefusalReason, auto_reply_refusal, reply_headers
from inbox.domain.email import AutomatedKind, parse_email
from inbox.domain.references import reply_references
from inbox.models import Channel, Conversation, Direction, Message, Party

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CUSTOMER = Party(name="Ann Smith", email="ann@example.com")
SHOP = Party(name="Shop", email="support@shop.example")


def email(direction: Direction, message_id: str, references: list[str] | None = None, **fields) -> Message:
    return Message(
        id=message_id.split("@")[0],
        tenant_id="t1",
        conversation_id="c1",
        integration_id="i1",
        channel=Channel.EMAIL,
        direction=direction,
        sender=CUSTOMER if direction is Direction.INBOUND else SHOP,
        to=[SHOP] if direction is Direction.INBOUND else [CUSTOMER],
        subject="Re: Order 12345",
        text="Your order left this morning.",
        message_id=message_id,
        references=references or [],  # as stored: the most direct first
        received_at=NOW,
        **fields,
    )


def auto_reply_to(question: Message) -> Message:
    """Our auto-reply as the send path stores it: References chosen by reply_references, most direct first."""
    references = reply_references(question, [question], question)
    return email(Direction.OUTBOUND, "r1@shop.example", list(reversed(references)), auto_reply=True)


def test_autoreply_headers_say_auto_replied_and_thread_the_answer():
    # GIVEN the customer's second mail, which answered our first reply
    question = email(Direction.INBOUND, "q2@example.com", ["a1@shop.example", "q1@example.com"])

    # WHEN our auto-reply to it is given its headers
    headers = reply_headers(auto_reply_to(question))

    # THEN it says it was sent automatically, and answers the customer's mail in its thread
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["X-Auto-Response-Suppress"] == "All"
    assert headers["In-Reply-To"] == "<q2@example.com>"
    assert headers["References"] == "<q1@example.com> <a1@shop.example> <q2@example.com>"


def test_autoreply_headers_of_a_persons_reply_say_it_was_not_automatic():
    reply = email(Direction.OUTBOUND, "r2@shop.example", ["q1@example.com"], author_id="u1")

    headers = reply_headers(reply)

    assert headers == {"In-Reply-To": "<q1@example.com>", "References": "<q1@example.com>", "Auto-Submitted": "no"}


def test_autoreply_headers_without_references_carry_no_threading():
    headers = reply_headers(email(Direction.OUTBOUND, "r3@shop.example", auto_reply=True))
    assert "In-Reply-To" not in headers
    assert "References" not in headers
    assert headers["Auto-Submitted"] == "auto-replied"


def test_autoreply_headers_leave_out_ids_that_could_break_a_header():
    reply = email(Direction.OUTBOUND, "r4@shop.example", ["good@example.com", "bad id@x", "evil>\r\nBcc: x@y", ""])
    headers = reply_headers(reply)
    assert headers["References"] == "<good@example.com>"
    assert headers["In-Reply-To"] == "<good@example.com>"


def test_autoreply_our_auto_reply_coming_back_is_never_answered():
    # GIVEN our auto-reply, written with these headers, reaches another mailbox we serve (or comes back)
    question = email(Direction.INBOUND, "q1@example.com")
    mime = EmailMessage()
    mime["From"] = "Shop <support@shop.example>"
    mime["To"] = "Other shop <orders@other.example>"
    mime["Subject"] = "Re: Order 12345"
    mime["Message-ID"] = "<r1@shop.example>"
    for name, value in reply_headers(auto_reply_to(question)).items():
        mime[name] = value
    mime.set_content("Your order left this morning.")

    # WHEN it is read as inbound mail there
    parsed = parse_email(mime.as_bytes())

    # THEN it is filed as an auto-reply, keeps its thread, and the guard there does not answer it
    assert parsed.automated is AutomatedKind.AUTO_REPLY
    assert parsed.in_reply_to == ["q1@example.com"]
    inbound = Message(
        id="m9",
        tenant_id="t2",
        conversation_id="c9",
        integration_id="i9",
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        sender=parsed.sender,
        automated=parsed.automated,
        headers=parsed.headers,
        received_at=NOW,
    )
    conversation = Conversation(
        id="c9",
        tenant_id="t2",
        channel=Channel.EMAIL,
        integration_id="i9",
        contact_id="k9",
        contact=parsed.sender,
        created_at=NOW,
        last_activity_at=NOW,
    )
    refusal = auto_reply_refusal(AutoReplyCase(conversation=conversation, message=inbound, now=NOW))
    assert refusal is not None
    assert refusal.reason is RefusalReason.AUTOMATED_MAIL
