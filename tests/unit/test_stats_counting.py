"""What a write adds to the statistics (issue 14, item 2): pure rules, one write at a time."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from inbox.domain.events import ItemWrite
from inbox.domain.stats_counting import Calendar, counter_items, counts
from inbox.domain.stats_figures import breakdown, merged
from inbox.models import Channel, DeliveryState, Direction, Message, Party, Status
from inbox.models.business_hours import BusinessHours
from samples import NOW, sample_conversation

CALENDAR = Calendar(ZoneInfo("UTC"), BusinessHours(time_zone="UTC"))


def write(kind: str, before, after, at=NOW) -> ItemWrite:
    return ItemWrite(record_id="r", at=at, tenant_id="t", kind=kind, before=before, after=after)


def day_of(increments, dimension="all") -> dict[str, int]:
    items = counter_items(increments)
    return merged(c for (g, d, _, p), c in items.items() if g == "day" and d == dimension and not p)


def reply(**changes) -> Message:
    fields = dict(
        id="m2",
        tenant_id="t",
        conversation_id="c1",
        integration_id="i",
        channel=Channel.CUSTOM,
        direction=Direction.OUTBOUND,
        sender=Party(email="shop@x.co"),
        author_id="u1",
        delivery=DeliveryState.SENDING,
        received_at=NOW + timedelta(minutes=5),
        answers_since=NOW,
        first_response=True,
        answers_person_since=NOW,
        first_person_response=True,
    )
    return Message(**(fields | changes))


def test_a_reply_counts_when_it_has_gone_out_once_with_its_wait():
    conversation = sample_conversation()
    sending = reply()
    assert counts(write("message", None, sending), conversation, CALENDAR) == []  # not gone out yet
    sent = sending.model_copy(update={"delivery": DeliveryState.SENT})
    counted = counts(write("message", sending, sent), conversation, CALENDAR)
    all_ = day_of(counted)
    assert (all_["out"], all_["h:rt.person:s"], all_["h:frt.person:s"]) == (1, 300, 300)
    person = merged(c for (g, _, _, p), c in counter_items(counted).items() if g == "day" and p == "u1")
    assert (person["replies"], person["h:rt.person:n"]) == (1, 1)
    delivered = sent.model_copy(update={"delivery": DeliveryState.DELIVERED})
    assert counts(write("message", sent, delivered), conversation, CALENDAR) == []  # told once


def test_a_reply_nobody_waited_for_counts_no_time_and_an_auto_reply_counts_apart():
    conversation = sample_conversation()
    plain = reply(answers_since=None, first_response=False, answers_person_since=None, delivery=None)
    assert "h:rt.person:n" not in day_of(counts(write("message", None, plain), conversation, CALENDAR))
    auto = reply(author_id=None, auto_reply=True, delivery=None)
    counted = day_of(counts(write("message", None, auto), conversation, CALENDAR))
    assert (counted["h:frt.auto:n"], counted["ai.auto_replies"]) == (1, 1)
    assert "h:frt.person:n" not in counted
    assert counted["h:frt.all:n"] == 1


def test_a_person_answering_after_the_automatic_reply_has_their_time_but_not_in_all():
    """Issue 14 review, statistics item 1: the auto-reply ended the wait for any answer, not for a person."""
    after_auto = reply(answers_since=None, first_response=False, delivery=None)
    counted = day_of(counts(write("message", None, after_auto), sample_conversation(), CALENDAR))
    assert (counted["h:frt.person:n"], counted["h:rt.person:s"]) == (1, 300)
    assert "h:frt.all:n" not in counted
    assert "h:rt.all:n" not in counted


def test_a_conversation_moved_takes_its_creation_with_it_and_reopening_counts():
    created = sample_conversation(status=Status.NEW)
    assert breakdown(day_of(counts(write("conversation", None, created), None, CALENDAR))) == {
        "channel": {"custom": 1},
        "folder": {"none": 1},
        "status": {"new": 1},
    }
    filed = created.model_copy(update={"folder_id": "f1", "status": Status.RESOLVED})
    moved = counts(write("conversation", created, filed, at=NOW + timedelta(hours=1)), None, CALENDAR)
    assert day_of(moved, "folder:none")["created"] == -1
    assert day_of(moved, "folder:f1")["created"] == 1
    assert breakdown(day_of(moved))["status"] == {"new": -1, "resolved": 1}
    assert (day_of(moved)["resolved"], day_of(moved)["h:res:s"]) == (1, 3600)
    reopened = filed.model_copy(update={"status": Status.OPEN})
    assert day_of(counts(write("conversation", filed, reopened), None, CALENDAR))["reopened"] == 1
