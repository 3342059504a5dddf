"""What each write of the table adds to the statistics (issue 14, item 2): pure. The stream recorder
(services/stats_recorder.py) hands the writes of conversations and messages over; this says which
counters move, on which local day, in which dimensions (`all`, `channel:x`, `folder:x`, `assignee:x`)
and for which person.

- a conversation created: `created` and its breakdown (`created:channel|folder|status:<value>`), and
  the customer's message that opened it (`in`, `in:<channel>`), on its creation day; when its
  folder, assignee or status changes later, that creation moves with it (out of the old dimension's
  counters and breakdown, into the new ones, still on the creation day), so a period's breakdown is
  where its conversations are now, and a folder's messages in include their first ones;
- resolved (its status becomes resolved from an open one; archived -> resolved is not a resolution):
  `resolved` and the time since it was created, or since it was last reopened (`res`), on that day:
  each resolution counts, each timed from its own start; the assignee, if any, counts it `handled`;
  resolved or archived becoming open again: `reopened`;
- a customer's later message stored: `in`, `in:<channel>`; one of ours once it has gone out (as
  domain.events tells `message.sent`): `out`, `out:<channel>`, and when it answered a customer who
  was waiting (`Message.answers_since`), the reply time (`rt.all`, and `rt.auto` for the automatic
  reply), and the first response time (`frt.*`) when it was the conversation's first; a person's
  reply is timed against the wait for a person (`answers_person_since`), which an automatic reply
  does not end (`rt.person`, `frt.person`, also in their own counters with `replies`).

A mailbox's past, imported by its first sync (`history`), counts nothing: neither its conversations'
creations nor its messages (they would all land on the import day); a history conversation's later
resolution counts, timed only from a reopening.

Every duration is counted twice: wall clock, and within the tenant's business hours (`.bh`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from inbox.domain import stats_histogram
from inbox.domain.business_hours import periods as open_periods
from inbox.domain.stats_figures import ALL, AUTO, BUSINESS, FIRST_RESPONSE, PERSON, REPLY_TIME, RESOLUTION
from inbox.domain.stats_periods import Granularity, period_start
from inbox.domain.stats_waits import CLOSED, reopening
from inbox.models import Conversation, DeliveryState, Direction, Message, Status
from inbox.models.business_hours import BusinessHours

if TYPE_CHECKING:  # the stream's event models: the store imports this module for its keys, every function loads it
    from inbox.domain.events import ItemWrite

PEOPLE = "PEOPLE"  # the dimension of a person's own counters
CounterKey = tuple[str, str, str, str]  # granularity, dimension or PEOPLE, period start, person or ""

_GONE_OUT = frozenset((DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.READ))


@dataclass(frozen=True)
class Increment:
    """Counters to add on a local day: to each of `dimensions`, or to `person`'s own."""

    day: date
    counters: dict[str, int]
    dimensions: tuple[str, ...] = ()
    person: str | None = None


@dataclass(frozen=True)
class Calendar:
    """A tenant's time zone (the statistics' days) and business hours (the `.bh` durations)."""

    zone: ZoneInfo
    hours: BusinessHours | None  # None: never set, so every hour is open (business-hours times = wall clock)


@dataclass
class Counted:
    increments: list[Increment] = field(default_factory=list)

    def add(self, day: date, counters: dict[str, int], dimensions: tuple[str, ...] = (), person: str | None = None):
        self.increments.append(Increment(day, counters, dimensions, person))


def dimensions_of(conversation: Conversation | None, channel: str) -> tuple[str, ...]:
    """The dimensions a conversation's counts go to (a message of a conversation gone: all and its channel)."""
    if conversation is None:
        return ("all", f"channel:{channel}")
    return (
        "all",
        f"channel:{conversation.channel}",
        f"folder:{conversation.folder_id or 'none'}",
        f"assignee:{conversation.assignee_id or 'none'}",
    )


def business_seconds(hours: BusinessHours, start: datetime, end: datetime) -> float:
    """How much of [start, end) was within business hours."""
    if end <= start:
        return 0.0
    total = timedelta(0)
    for opens, closes in open_periods(hours, start.astimezone(hours.zone).date() - timedelta(days=1)):
        if opens >= end:
            break
        overlap = min(closes, end) - max(opens, start)
        if overlap > timedelta(0):
            total += overlap
    return total.total_seconds()


def durations(calendar: Calendar, name: str, start: datetime, end: datetime) -> dict[str, int]:
    """A duration's counters, wall clock and within business hours."""
    seconds = (end - start).total_seconds()
    within = max(0.0, seconds) if calendar.hours is None else business_seconds(calendar.hours, start, end)
    return stats_histogram.increments(name, seconds) | stats_histogram.increments(name + BUSINESS, within)


def waits(calendar: Calendar, who: str, since: datetime, first: bool, replied_at: datetime) -> dict[str, int]:
    """A reply's wait as `who`'s (all, person or auto) reply time, and first response time when `first`."""
    waited = durations(calendar, f"{REPLY_TIME}.{who}", since, replied_at)
    if first:
        waited |= durations(calendar, f"{FIRST_RESPONSE}.{who}", since, replied_at)
    return waited


def creation(conversation: Conversation, sign: int) -> dict[str, int]:
    """What moves with a conversation: its creation, and the customer's message that opened it (it
    came before classification: counted alone, it stayed in folder:none when the conversation was filed)."""
    opening = {"in": sign, f"in:{conversation.channel}": sign} if conversation.opened_by_customer else {}
    return opening | {
        "created": sign,
        f"created:channel:{conversation.channel}": sign,
        f"created:folder:{conversation.folder_id or 'none'}": sign,
        f"created:status:{conversation.status}": sign,
    }


def conversation_counts(write: ItemWrite, calendar: Calendar) -> Iterator[Increment]:
    before: Conversation | None = write.before
    after: Conversation | None = write.after
    if after is None:
        return iter(())  # a removal: what it counted stays counted
    if after.history and before is None:
        return iter(())  # a mailbox's past, imported: not created today
    counted = Counted()
    created_day = after.created_at.astimezone(calendar.zone).date()
    if before is None:
        counted.add(created_day, creation(after, 1), dimensions_of(after, after.channel))
        return iter(counted.increments)
    moved = not after.history and (before.folder_id, before.assignee_id, before.status) != (
        after.folder_id,
        after.assignee_id,
        after.status,
    )
    if moved:
        counted.add(created_day, creation(before, -1), dimensions_of(before, before.channel))
        counted.add(created_day, creation(after, 1), dimensions_of(after, after.channel))
    day = write.at.astimezone(calendar.zone).date()
    if after.status is Status.RESOLVED and before.status not in CLOSED:  # archived -> resolved: resolved already
        since = after.reopened_at or (None if after.history else after.created_at)  # again: since its reopening
        resolved = {"resolved": 1} | (durations(calendar, RESOLUTION, since, write.at) if since else {})
        counted.add(day, resolved, dimensions_of(after, after.channel))
        if after.assignee_id:
            counted.add(day, {"handled": 1}, person=after.assignee_id)
    elif reopening(before.status, after.status, write.at):
        counted.add(day, {"reopened": 1}, dimensions_of(after, after.channel))
    return iter(counted.increments)


def _gone_out(message: Message | None) -> bool:
    return message is not None and (message.delivery is None or message.delivery in _GONE_OUT)


def message_counts(write: ItemWrite, conversation: Conversation | None, calendar: Calendar) -> Iterator[Increment]:
    """`conversation`: the message's conversation as the batch or the table has it (None: gone)."""
    before: Message | None = write.before
    after: Message | None = write.after
    if after is None or after.history:
        return iter(())  # a mailbox's past, imported: it happened before, not on the import day
    dimensions = dimensions_of(conversation, after.channel)
    counted = Counted()
    if after.direction is Direction.INBOUND:
        if before is None and not after.opens_conversation:  # that one counts with the creation
            day = after.received_at.astimezone(calendar.zone).date()
            counted.add(day, {"in": 1, f"in:{after.channel}": 1}, dimensions)
        return iter(counted.increments)
    if not _gone_out(after) or _gone_out(before):
        return iter(counted.increments)
    replied_at = after.received_at  # when it was written and stored; sent_at is the provider's moment
    day = replied_at.astimezone(calendar.zone).date()
    counters = {"out": 1, f"out:{after.channel}": 1}
    person = after.author_id if not after.auto_reply else None
    mine: dict[str, int] = {"replies": 1} if person else {}
    if after.answers_since is not None:  # the wait for any answer: "all", and the automatic reply's
        counters |= waits(calendar, ALL, after.answers_since, after.first_response, replied_at)
        if after.auto_reply:
            counters |= waits(calendar, AUTO, after.answers_since, after.first_response, replied_at)
    if not after.auto_reply and after.answers_person_since is not None:  # the wait for a person, auto-reply or not
        waited = waits(calendar, PERSON, after.answers_person_since, after.first_person_response, replied_at)
        counters |= waited
        mine |= waited if person else {}
    if after.auto_reply:
        counters["ai.auto_replies"] = 1
    counted.add(day, counters, dimensions)
    if person and mine:
        counted.add(day, mine, person=person)
    return iter(counted.increments)


def counts(write: ItemWrite, conversation: Conversation | None, calendar: Calendar) -> list[Increment]:
    """The increments of one write (`conversation`: for a message's write, its conversation)."""
    if write.kind == "conversation":
        return list(conversation_counts(write, calendar))
    if write.kind == "message":
        return list(message_counts(write, conversation, calendar))
    return []


def counter_items(increments: Iterable[Increment]) -> dict[CounterKey, dict[str, int]]:
    """The increments summed per counters item: each of the day's, ISO week's and month's, in each of
    its dimensions or in its person's; zero sums dropped (a creation moved out and back)."""
    items: dict[CounterKey, dict[str, int]] = {}
    for increment in increments:
        for granularity in Granularity:
            start = period_start(increment.day, granularity).isoformat()
            targets = [(PEOPLE, increment.person)] if increment.person else [(d, "") for d in increment.dimensions]
            for dimension, person in targets:
                counters = items.setdefault((granularity.value, dimension, start, person), {})
                for name, value in increment.counters.items():
                    counters[name] = counters.get(name, 0) + value
    cleaned = {k: {n: v for n, v in c.items() if v} for k, c in items.items()}
    return {k: c for k, c in cleaned.items() if c}
