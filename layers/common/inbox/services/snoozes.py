"""Snooze (issue 13, item 6): a conversation hidden from the lists until a time, or until the customer
writes, whichever comes first.

`snoozed_until` on the conversation moves it out of the list views into the Snoozed one
(adapters/dynamodb/conversations.ConversationItem.snoozed says why the keys move rather than the
lists filter). A one-time schedule (SnoozeEndsJob) wakes it at the time; the customer's message
wakes it in the ingest's own write (services/ingest.py), and the schedule then finds nothing to do."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.clock import EARLY_FIRE
from inbox.domain.follow_ups import check_time, snooze_still_holds
from inbox.errors import ConcurrentUpdateError, ConflictError, InboxError, NotFoundError
from inbox.models import Conversation, Principal
from inbox.models.jobs import SnoozeEndsJob
from inbox.observability import logger


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def save_conversation(self, before: Conversation, after: Conversation) -> None: ...


class Schedules(Protocol):
    def put(self, name: str, at: datetime, job: Any) -> None: ...
    def cancel(self, name: str) -> None: ...


def change_conversation(
    store: Store, tenant_id: str, conversation_id: str, change: Callable[[Conversation], dict[str, Any] | None]
) -> Conversation | None:
    """Apply `change` (the fields to set, or None for nothing) to the conversation as it is now,
    read again on a concurrent write; None when it is gone."""
    for attempt in range(4):
        before = store.get_conversation(tenant_id, conversation_id)
        if before is None:
            return None
        changes = change(before)
        if not changes:
            return before
        after = before.model_copy(update=changes)
        try:
            store.save_conversation(before, after)
        except ConcurrentUpdateError:
            time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security
            continue
        return after.model_copy(update={"version": before.version + 1})
    raise ConflictError("the conversation is being changed by someone else; try again")


def snooze_schedule(tenant_id: str, conversation_id: str) -> str:
    from inbox.domain.schedule_names import schedule_name

    return schedule_name("snooze", tenant_id, conversation_id)


class Snoozes:
    def __init__(self, store: Store, schedules: Callable[[], Schedules], clock: Callable[[], datetime]):
        self._store = store
        self._schedules = schedules
        self._clock = clock

    def snooze(self, who: Principal, conversation_id: str, until: datetime) -> Conversation:
        """Hide the conversation until `until` (422 on `until` in the past or over a year ahead). Snoozing
        again moves the time: the schedule is replaced, and the old one's job would find another time."""
        until = check_time("until", until, self._clock()).astimezone(UTC)
        if self._store.get_conversation(who.tenant_id, conversation_id) is None:
            raise NotFoundError(f"conversation {conversation_id}")
        # The schedule first: a snooze stored without its wake-up would hide the conversation for good.
        job = SnoozeEndsJob(tenant_id=who.tenant_id, conversation_id=conversation_id, until=until)
        self._schedules().put(snooze_schedule(who.tenant_id, conversation_id), until, job)
        snoozed = change_conversation(self._store, who.tenant_id, conversation_id, lambda _: {"snoozed_until": until})
        if snoozed is None:
            raise NotFoundError(f"conversation {conversation_id}")
        return snoozed

    def unsnooze(self, who: Principal, conversation_id: str) -> Conversation:
        """Back in the lists now (a conversation not snoozed is answered as it is)."""
        woken = change_conversation(
            self._store,
            who.tenant_id,
            conversation_id,
            lambda c: {"snoozed_until": None} if c.snoozed_until else None,
        )
        if woken is None:
            raise NotFoundError(f"conversation {conversation_id}")
        try:
            self._schedules().cancel(snooze_schedule(who.tenant_id, conversation_id))
        except InboxError:  # it fires then, and finds the conversation awake: nothing to do
            logger.warning("snooze schedule not cancelled", conversation_id=conversation_id)
        return woken

    def wake(self, job: SnoozeEndsJob) -> str:
        """The snooze's time came: the conversation back in the lists, on top (its activity now),
        unless it woke already or was snoozed to another time. Twice is the same as once."""
        now = self._clock()
        if now < job.until - EARLY_FIRE:  # a stale fire: the snooze was moved
            return "early"
        outcome = "not_snoozed"

        def wake_up(conversation: Conversation) -> dict[str, Any] | None:
            nonlocal outcome
            outcome = "not_snoozed"  # as read this time (a concurrent write reads it again)
            if not snooze_still_holds(conversation, job.until):
                return None
            outcome = "woken"
            return {"snoozed_until": None, "last_activity_at": max(now, conversation.last_activity_at)}

        if change_conversation(self._store, job.tenant_id, job.conversation_id, wake_up) is None:
            return "conversation_gone"
        return outcome
