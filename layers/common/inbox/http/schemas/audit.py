"""`/audit` and a conversation's `/history` (issue 14, item 3): the trail's entries as the API gives them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from inbox.domain.audit import ActorType, AuditKind, TargetType
from inbox.domain.audit import AuditEntry as Entry

__all__ = ["AuditActor", "AuditChangeOut", "AuditEntry", "AuditKind", "AuditPage", "AuditTarget"]


class AuditActor(BaseModel):
    type: ActorType
    id: str = Field(description="A person's user id, or the part of the system that acted (e.g. `classify`).")


class AuditTarget(BaseModel):
    type: TargetType
    id: str


class AuditChangeOut(BaseModel):
    field: str
    before: Any = Field(None, description="The field's value before (JSON); a secret reads `••••`.")
    after: Any = Field(None, description="The field's value after (JSON); a secret reads `••••`.")


class AuditEntry(BaseModel):
    id: str
    at: datetime
    actor: AuditActor
    kind: AuditKind
    conversation_id: str | None
    target: AuditTarget
    changes: list[AuditChangeOut]
    summary: str | None

    @classmethod
    def of(cls, entry: Entry) -> AuditEntry:
        return cls(
            id=entry.id,
            at=entry.at,
            actor=AuditActor(type=entry.actor_type, id=entry.actor_id),
            kind=entry.kind,
            conversation_id=entry.conversation_id,
            target=AuditTarget(type=entry.target_type, id=entry.target_id),
            changes=[AuditChangeOut(field=c.field, before=c.before, after=c.after) for c in entry.changes],
            summary=entry.summary,
        )


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None
