"""What a stored message may hold is bounded by design, whatever a sender puts in it (the item's
size through the real store: tests/functional/test_poison_mail.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from inbox.domain.inbound_limits import KEPT_HEADERS, bounded, not_imported
from inbox.models import Channel, InboundMessage, Party
from samples import hostile_inbound as hostile

NOW = datetime(2026, 12, 1, tzinfo=UTC)


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


def test_an_address_too_long_to_be_one_is_dropped_not_cut_into_another():
    message = hostile().model_copy(update={"sender": Party(name="X", email="a" * 400 + "@example.net")})
    assert bounded(message).sender == Party(name="X")


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
    assert stub.sender.email == "a" * 300 + "@example.net"
    assert len(stub.sender.name or "") == 100
    assert len(stub.subject or "") == 1_000
    assert stub.sent_at == NOW
    assert len(stub.references) == 20
    assert (stub.text, stub.html, stub.headers, stub.attachments) == ("", None, {}, [])
    assert stub.defects == ["not imported: the store refused it"]
