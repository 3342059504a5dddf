"""The statistics' stream reader (issue 14, item 2): the table's writes of conversations and messages
turned into counter increments (domain/stats_counting.py), added per tenant in transactions of at
most 100 items: the counters items, and a marker per stream record they come from, so that a record
read again (Lambda retries a failed batch whole, or split in halves) adds nothing the second time.
And the AI's tokens, counted where the AI is called."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from inbox.domain.events import ItemWrite
from inbox.domain.stats_counting import Calendar, CounterKey, counter_items, counts
from inbox.domain.stats_figures import usage_counters
from inbox.models import Conversation
from inbox.models.business_hours import BusinessHours
from inbox.observability import logger

PER_TRANSACTION = 100  # DynamoDB's most: a marker per record and the counters items they move


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def apply_counters(
        self, tenant_id: str, record_ids: Sequence[str], increments: Mapping[CounterKey, Mapping[str, int]]
    ) -> list[str]: ...
    def count_ai(self, tenant_id: str, day: Any, counters: Mapping[str, int]) -> None: ...


class StatisticsRecorder:
    def __init__(self, store: Store, calendar: Callable[[str], tuple[BusinessHours | None, str]]):
        self._store = store
        self._calendar = calendar  # tenant -> business hours (None: never set), and the zone its days are counted in

    def take(self, writes: Sequence[ItemWrite]) -> int:
        """Count a batch of the stream's writes; the number of counters items moved."""
        by_tenant: dict[str, list[ItemWrite]] = {}
        for write in writes:
            if write.kind in ("conversation", "message"):
                by_tenant.setdefault(write.tenant_id, []).append(write)
        return sum(self._take_tenant(tenant_id, tenant_writes) for tenant_id, tenant_writes in by_tenant.items())

    def _take_tenant(self, tenant_id: str, writes: list[ItemWrite]) -> int:
        hours, zone = self._calendar(tenant_id)
        calendar = Calendar(ZoneInfo(zone), hours)
        latest: dict[str, Conversation] = {}  # a message's conversation, as this batch last wrote it
        counted: list[tuple[str, dict[CounterKey, dict[str, int]]]] = []  # per record, its counters items
        for write in writes:
            conversation = None
            if write.kind == "conversation":
                if write.after is not None:
                    latest[write.after.id] = write.after
            else:
                message = write.after or write.before
                conversation = latest.get(message.conversation_id) or self._conversation(tenant_id, message)
                if conversation is not None:
                    latest[conversation.id] = conversation
            items = counter_items(counts(write, conversation, calendar))
            if items:
                counted.append((write.record_id, items))
        return sum(self._apply(tenant_id, group) for group in groups(counted))

    def _apply(self, tenant_id: str, group: list[tuple[str, dict[CounterKey, dict[str, int]]]]) -> int:
        """One transaction for a group of records; those counted before (a batch read again) are left
        out and the rest tried again. The counters items moved."""
        while group:
            records = [record_id for record_id, _ in group]
            items = summed(items for _, items in group)
            again = self._store.apply_counters(tenant_id, records, items)
            if not again:
                return len(items)
            logger.info("statistics of stream records read again: counted before", records=len(again))
            group = [(record_id, items) for record_id, items in group if record_id not in again]
        return 0

    def _conversation(self, tenant_id: str, message: Any) -> Conversation | None:
        return self._store.get_conversation(tenant_id, message.conversation_id)


def summed(parts: Iterable[Mapping[CounterKey, Mapping[str, int]]]) -> dict[CounterKey, dict[str, int]]:
    total: dict[CounterKey, dict[str, int]] = {}
    for part in parts:
        for at, counters in part.items():
            into = total.setdefault(at, {})
            for name, value in counters.items():
                into[name] = into.get(name, 0) + value
    return total


def groups(
    counted: list[tuple[str, dict[CounterKey, dict[str, int]]]],
) -> Iterator[list[tuple[str, dict[CounterKey, dict[str, int]]]]]:
    """The records in order, cut so that each group's markers and distinct counters items fit one
    transaction (a record alone moves at most 4 dimensions and a person, in 3 granularities: 15)."""
    group: list[tuple[str, dict[CounterKey, dict[str, int]]]] = []
    keys: set[CounterKey] = set()
    for record_id, items in counted:
        if group and len(group) + 1 + len(keys | items.keys()) > PER_TRANSACTION:
            yield group
            group, keys = [], set()
        group.append((record_id, items))
        keys |= items.keys()
    if group:
        yield group


class UsageCounter:
    """The tokens an AI call spent, ADDed to the tenant's `ai` counters of the day (UTC): never fails
    the call it counts (a lost count is logged)."""

    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None):
        self._store = store
        self._clock = clock or (lambda: datetime.now(UTC))

    def __call__(self, tenant_id: str, model: str, spent: Any) -> None:
        counters = usage_counters(
            model,
            int(getattr(spent, "prompt_tokens", 0) or 0),
            int(getattr(spent, "cached_tokens", 0) or 0),
            int(getattr(spent, "completion_tokens", 0) or 0),
        )
        try:
            self._store.count_ai(tenant_id, self._clock().astimezone(UTC).date(), counters)
        except Exception:
            logger.exception("AI usage not counted", model=model)
