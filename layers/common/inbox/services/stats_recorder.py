"""The statistics' stream reader (issue 14, item 2): the table's writes of conversations and messages
turned into counter increments (domain/stats_counting.py), added per tenant in transactions of at
most 99 counters items plus a marker of the batch, so that a batch read twice (Lambda retries a
failed one) adds nothing the second time. And the AI's tokens, counted where the AI is called."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from inbox.domain.events import ItemWrite
from inbox.domain.stats_counting import Calendar, CounterKey, Increment, counter_items, counts
from inbox.domain.stats_figures import usage_counters
from inbox.models import Conversation
from inbox.models.business_hours import BusinessHours
from inbox.observability import logger

PER_TRANSACTION = 99  # DynamoDB's 100 items, less the batch's marker


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def apply_counters(
        self, tenant_id: str, token: str, increments: Mapping[CounterKey, Mapping[str, int]]
    ) -> bool: ...
    def count_ai(self, tenant_id: str, day: Any, counters: Mapping[str, int]) -> None: ...


class StatisticsRecorder:
    def __init__(self, store: Store, calendar: Callable[[str], tuple[BusinessHours, str]]):
        self._store = store
        self._calendar = calendar  # tenant -> business hours, and the zone its days are counted in

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
        increments: list[Increment] = []
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
            increments += counts(write, conversation, calendar)
        items = counter_items(increments)
        if not items:
            return 0
        ordered = sorted(items.items())
        batch = hashlib.sha256("\n".join(sorted(w.record_id for w in writes)).encode()).hexdigest()[:32]
        moved = 0
        for n in range(0, len(ordered), PER_TRANSACTION):
            chunk = dict(ordered[n : n + PER_TRANSACTION])
            if self._store.apply_counters(tenant_id, f"{batch}#{n // PER_TRANSACTION}", chunk):
                moved += len(chunk)
            else:
                logger.info("statistics of a batch read again: counted before", tenant_id=tenant_id)
        return moved

    def _conversation(self, tenant_id: str, message: Any) -> Conversation | None:
        return self._store.get_conversation(tenant_id, message.conversation_id)


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
