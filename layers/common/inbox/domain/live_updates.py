"""What the open apps of a tenant are told when the table changes: conversations, AI drafts and
folder counters become small typed events (models/live.py), one per conversation per batch of
changes (and one more when its drafts changed), one for all the counters; a person's notifications
are told to that person's apps alone (personal_events). Pure: the stream's
records are read into changes by the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from inbox.domain.conversations import view_folder
from inbox.models import Conversation
from inbox.models.live import (
    ConversationChanged,
    CountersChanged,
    DraftsChanged,
    LiveEvent,
    NotificationsChanged,
    ViewsChanged,
)

# What a write bumps without the app showing anything new.
_UNSHOWN = frozenset(("version",))


@dataclass(frozen=True)
class ConversationChange:
    """A conversation's item before and after a write (None: it did not exist / was deleted)."""

    before: Conversation | None
    after: Conversation | None

    @property
    def tenant_id(self) -> str:
        return (self.after or self.before).tenant_id  # type: ignore[union-attr]

    @property
    def conversation_id(self) -> str:
        return (self.after or self.before).id  # type: ignore[union-attr]


@dataclass(frozen=True)
class CounterChange:
    """A folder's counters moved (`folder`: `inbox`, `automated` or a folder's id)."""

    tenant_id: str
    folder: str


@dataclass(frozen=True)
class DraftChange:
    """An AI draft of a conversation was written or changed (its status, its text)."""

    tenant_id: str
    conversation_id: str


@dataclass(frozen=True)
class AssigneeCounterChange:
    """The counters of an assignee's view moved (`assignee`: a user's id, or `none`)."""

    tenant_id: str
    assignee: str


@dataclass(frozen=True)
class NotificationChange:
    """A person's notification was created or read: only that person's apps are told."""

    tenant_id: str
    user_id: str
    notification_id: str
    created: bool


type TableChange = ConversationChange | CounterChange | DraftChange | AssigneeCounterChange | NotificationChange


def live_events(changes: Iterable[TableChange]) -> dict[str, list[LiveEvent]]:
    """The events of each tenant for a batch of changes, in the order they happened; a conversation
    changed several times in the batch is told once, as it is now (created and deleted in one batch:
    told as deleted); counters once, naming every folder that moved."""
    conversations: dict[str, dict[str, ConversationChange]] = {}
    counters: dict[str, dict[str, None]] = {}
    assignees: dict[str, dict[str, None]] = {}
    drafts: dict[str, dict[str, None]] = {}
    for change in changes:
        if isinstance(change, NotificationChange):
            continue  # a person's own: personal_events
        if isinstance(change, CounterChange):
            counters.setdefault(change.tenant_id, {})[change.folder] = None
            continue
        if isinstance(change, AssigneeCounterChange):
            assignees.setdefault(change.tenant_id, {})[change.assignee] = None
            continue
        if isinstance(change, DraftChange):
            drafts.setdefault(change.tenant_id, {})[change.conversation_id] = None
            continue
        if not _shows_a_difference(change):
            continue
        seen = conversations.setdefault(change.tenant_id, {})
        first = seen.pop(change.conversation_id, change)  # re-inserted last: the order of the latest change
        seen[change.conversation_id] = ConversationChange(before=first.before, after=change.after)
    events: dict[str, list[LiveEvent]] = {}
    for tenant_id, by_id in conversations.items():
        events[tenant_id] = [_conversation_event(change) for change in by_id.values()]
    for tenant_id, conversation_ids in drafts.items():
        events.setdefault(tenant_id, []).extend(DraftsChanged(conversation_id=c) for c in conversation_ids)
    for tenant_id, folders in counters.items():
        events.setdefault(tenant_id, []).append(CountersChanged(folder_ids=list(folders)))
    for tenant_id, moved in assignees.items():
        events.setdefault(tenant_id, []).append(ViewsChanged(assignees=list(moved)))
    return events


def personal_events(changes: Iterable[TableChange]) -> dict[tuple[str, str], list[LiveEvent]]:
    """The events told to one person's apps alone, by (tenant, user): their notifications, created or
    read, once each per batch (created and read in one batch: told as read)."""
    told: dict[tuple[str, str], dict[str, NotificationsChanged]] = {}
    for change in changes:
        if isinstance(change, NotificationChange):
            event = NotificationsChanged(
                change="created" if change.created else "read",
                user_id=change.user_id,
                notification_id=change.notification_id,
            )
            told.setdefault((change.tenant_id, change.user_id), {})[change.notification_id] = event
    return {person: list(events.values()) for person, events in told.items()}


def _shows_a_difference(change: ConversationChange) -> bool:
    if change.before is None or change.after is None:
        return True
    return change.before.model_dump(exclude=_UNSHOWN) != change.after.model_dump(exclude=_UNSHOWN)


def _conversation_event(change: ConversationChange) -> ConversationChanged:
    now = change.after or change.before
    assert now is not None
    if change.after is None:
        kind = "deleted"
    elif change.before is None:
        kind = "created"
    else:
        kind = "updated"
    folder = view_folder(now)
    previous = view_folder(change.before) if change.before is not None else None
    return ConversationChanged(
        change=kind,
        conversation_id=now.id,
        folder_id=folder,
        previous_folder_id=previous if previous != folder else None,
        status=now.status,
        assignee_id=now.assignee_id,
        unread=now.unread,
        channel=now.channel,
        message_count=now.message_count,
        last_activity_at=now.last_activity_at,
        last_inbound_at=now.last_inbound_at,
        customer_wrote=_customer_wrote(change),
    )


def _customer_wrote(change: ConversationChange) -> bool:
    """A new inbound message moves `last_inbound_at`; nothing else does."""
    if change.after is None or change.after.last_inbound_at is None:
        return False
    return change.before is None or change.before.last_inbound_at != change.after.last_inbound_at
