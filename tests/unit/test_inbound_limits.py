"""What a stored message may hold is bounded by design, whatever a sender puts in it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from inbox.adapters.dynamodb import InboxStore
from inbox.domain.inbound_limits import KEPT_HEADERS, bounded, delivery_digest, not_imported
from inbox.models import Attachment, Channel, InboundAttachment, InboundMessage, Message, Party, PendingMedia

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def hostile() -> InboundMessage:
    """Every list and string far past anything a real message needs."""
    long = "🙂" * 5_000  # four bytes each
    return InboundMessage(
        tenant_id="t1",
        integration_id="i1",
        channel=Channel.EMAIL,
        external_id="<x@example.net>",
        message_id="<" + "m" * 5_000 + "@example.net>",
        sender=Party(name=long, email="a" * 5_000 + "@example.net"),
        to=[Party(name=long, email=f"{n}{'b' * 400}@example.org") for n in range(3_000)],
        subject=long,
        subject_key=long,
        text="x" * 200,
        references=[f"<{n}{'r' * 1_000}@example.net>" for n in range(1_000)],
        headers={**{name: long for name in KEPT_HEADERS}, **{f"x-filler-{n}": long for n in range(500)}},
        defects=[long] * 1_000,
        attachments=[
            InboundAttachment(filename=long, content_type=long, data=b"%PDF", content_id=long) for _ in range(1_000)
        ],
        pending_media=[PendingMedia(kind="image", url="https://x/" + long, name=long) for _ in range(1_000)],
    )


def stored_item(inbound: InboundMessage) -> dict:
    """The message item ingest would write, with the largest keys it can have."""
    message = Message(
        **inbound.model_dump(exclude={"raw", "raw_key", "attachments", "subject_key", "thread_key"}),
        id="0" * 26,
        conversation_id="0" * 26,
        body_key="t1/bodies/" + "0" * 32 + ".json",
        raw_key="t1/raw/email/" + "0" * 32 + ".eml",
        attachments=[
            Attachment(
                filename=a.filename,
                content_type=a.content_type,
                size=len(a.data),
                inline=a.inline,
                content_id=a.content_id,
                key="t1/attachments/" + "0" * 32 + "/99/" + a.filename[:60],
            )
            for a in inbound.attachments
        ],
        received_at=NOW,
    )
    return InboxStore._message_item(message)


def test_the_largest_message_a_sender_can_make_fits_an_item_with_room_to_spare():
    item = stored_item(bounded(hostile()))
    size = len(json.dumps(item, ensure_ascii=False).encode())
    assert size < 350_000, size  # DynamoDB's limit is 400 KB


def test_bounding_says_what_was_cut_and_keeps_the_named_headers():
    message = bounded(hostile())
    assert set(message.headers) == set(KEPT_HEADERS)
    assert len(message.to) == 50
    assert len(message.attachments) == 50
    assert len(message.references) == 20
    assert message.references[0].startswith("<0r")  # the most direct reference stays first
    cuts = message.defects[-3:]
    assert cuts[0] == "headers: 500 not kept, all are in the original"
    assert cuts[1] == "recipients: 3000, the first 50 kept, all are in the original"
    assert cuts[2] == "attachments: 1000, the first 50 kept, all are in the original"
    assert len(message.defects) == 20


def test_an_ordinary_message_is_stored_as_it_came():
    ordinary = InboundMessage(
        tenant_id="t1",
        integration_id="i1",
        channel=Channel.SMS,
        external_id="sms-1",
        sender=Party(phone="+33612345678"),
        text="Bonjour",
        headers={"list-id": "<news.example>"},
    )
    assert bounded(ordinary) == ordinary


def test_a_stub_keeps_who_when_what_about_and_where_it_threads_but_no_content():
    stub = not_imported(hostile().model_copy(update={"sent_at": NOW}), "the store refused it")
    assert len(stub.sender.email) == 320
    assert len(stub.subject or "") == 1_000
    assert stub.sent_at == NOW
    assert len(stub.references) == 20
    assert (stub.text, stub.html, stub.headers, stub.attachments) == ("", None, {}, [])
    assert stub.defects == ["not imported: the store refused it"]


def test_a_delivery_names_its_blobs_the_same_way_on_every_retry_and_apart_from_others():
    first = hostile()
    assert delivery_digest(first) == delivery_digest(first.model_copy())
    assert delivery_digest(first) != delivery_digest(first.model_copy(update={"external_id": "<y@example.net>"}))
    assert delivery_digest(first) != delivery_digest(first.model_copy(update={"integration_id": "i2"}))
