"""The audit trail's words (issue 14, item 3): what an entry records, and the kinds of action it names.

An entry is one action on one thing: who (a person, or a part of the system), when, what kind of
action, on which target, and the fields it changed, before and after (secrets masked). Entries are
made from the table's stream by `services.audit_trail`; nothing here reads or writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

TargetType = Literal[
    "conversation",
    "message",
    "note",
    "folder",
    "integration",
    "user",
    "knowledge",
    "settings",
    "project",
    "task",
    "follow_up",
    "webhook",
    "ai_lookup",
    "saved_reply",
]
ActorType = Literal["person", "system"]
MASK = "••••"  # what a secret's value reads as in an entry, before and after


class AuditKind(StrEnum):
    """What happened; the web app translates each value."""

    MESSAGE_REPLIED = "message.replied"
    MESSAGE_NOTED = "message.noted"
    CONVERSATION_STATUS = "conversation.status"
    CONVERSATION_ASSIGNED = "conversation.assigned"
    CONVERSATION_MOVED = "conversation.moved"
    CONVERSATION_PROJECT = "conversation.project"
    CONVERSATION_SNOOZED = "conversation.snoozed"
    CONVERSATION_DELETED = "conversation.deleted"
    SETTINGS_CHANGED = "settings.changed"
    INTEGRATION_CHANGED = "integration.changed"
    FOLDER_CHANGED = "folder.changed"
    USER_CHANGED = "user.changed"
    KNOWLEDGE_CHANGED = "knowledge.changed"
    WEBHOOK_CHANGED = "webhook.changed"
    AI_LOOKUP_CHANGED = "ai_lookup.changed"
    SAVED_REPLY_CHANGED = "saved_reply.changed"
    TASK_CHANGED = "task.changed"
    FOLLOW_UP_CHANGED = "follow_up.changed"
    CONVERSATION_CLASSIFIED = "conversation.classified"
    AUTO_REPLY_SENT = "auto_reply.sent"
    AUTO_REPLY_HELD = "auto_reply.held"
    FOLLOW_UP_FIRED = "follow_up.fired"
    SYNC_FAILED = "sync.failed"


@dataclass(frozen=True)
class AuditChange:
    field: str
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class AuditEntry:
    """One action. `id` comes from the stream record (and the kind), so reading a record twice
    makes the same entry, written twice over itself."""

    id: str
    tenant_id: str
    at: datetime
    actor_type: ActorType
    actor_id: str
    kind: AuditKind
    target_type: TargetType
    target_id: str
    conversation_id: str | None = None
    changes: tuple[AuditChange, ...] = field(default_factory=tuple)
    summary: str | None = None


@dataclass(frozen=True)
class AuditQuery:
    """What a page of the trail is limited to (every field optional but the period's bounds)."""

    start: datetime
    end: datetime
    person: str | None = None
    conversation_id: str | None = None
    kind: AuditKind | None = None
