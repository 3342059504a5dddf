"""Which domain events (models/events.py) a write to the table is: pure. The table's stream records
are read into `ItemWrite`s by the store (adapters/dynamodb/stream_events.py); this decides.

- a conversation created: `conversation.created`; its status changed: `conversation.status_changed`;
  its assignee changed (to someone or to nobody): `conversation.assigned`;
- a customer's message stored: `message.received`; one of ours once it has gone out (the provider took
  it, or it was copied from the mailbox's Sent folder, where it has no delivery state): `message.sent`,
  once (a reply `sending` then `sent` is told at `sent`; `delivered` and `read` later tell nothing);
- a task created: `task.created`; a task becoming done: `task.done`;
- a follow-up that fired (its state becomes `firing` or `done`, never `cancelled`): `follow_up.due`.

Every event's id is the record's id and the event's type, so reading a batch again gives the same ids;
but `follow_up.due`'s is the follow-up's id and due time: a follow-up given back after a failed fire
and claimed again is told again with the same id, for consumers to deduplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from inbox.models import Conversation, DeliveryState, Direction, Message, Party
from inbox.models.events import (
    MAX_EVENT_TEXT,
    Assigned,
    AssignedData,
    ContactRef,
    ConversationCreated,
    ConversationData,
    FollowUpData,
    FollowUpDue,
    InboxEvent,
    MessageData,
    MessageReceived,
    MessageSent,
    StatusChanged,
    StatusChangedData,
    TaskCreated,
    TaskData,
    TaskDone,
)

TASK = "task"  # the `type` of a task's item (models/task.py)
FOLLOW_UP = "follow_up"  # the `type` of a follow-up's item (models/follow_up.py)
_GONE_OUT = frozenset((DeliveryState.SENT, DeliveryState.DELIVERED, DeliveryState.READ))
_FIRED = frozenset(("firing", "done"))
_CANCELLED = frozenset(("cancelled", "customer_answered"))


@dataclass(frozen=True)
class ItemWrite:
    """One write of the stream: the item before and after (None: it did not exist / was removed).
    Conversations and messages come as their models; tasks and follow-ups as their fields."""

    record_id: str
    at: datetime
    tenant_id: str
    kind: str  # "conversation", "message", TASK or FOLLOW_UP
    before: Any
    after: Any
    changed_by: str | None = None  # who wrote it (inbox.actor's stamp; a removal: the last stamp): the audit


def domain_events(writes: Iterable[ItemWrite]) -> list[InboxEvent]:
    """The events of a batch of writes, in the order they happened."""
    events: list[InboxEvent] = []
    for write in writes:
        if write.after is None:
            continue  # a removal tells nothing (a deleted conversation is an admin's clean-up)
        if write.kind == "conversation":
            events += _conversation_events(write)
        elif write.kind == "message":
            events += _message_events(write)
        elif write.kind == TASK:
            events += _task_events(write)
        elif write.kind == FOLLOW_UP:
            events += _follow_up_events(write)
    return events


def _envelope(write: ItemWrite, kind: str) -> dict[str, Any]:
    return {"id": f"{write.record_id}:{kind}", "tenant_id": write.tenant_id, "time": write.at}


def _contact(party: Party) -> ContactRef:
    return ContactRef(name=party.name, email=party.email, phone=party.phone)


def _conversation_data(conversation: Conversation) -> dict[str, Any]:
    return {
        "conversation_id": conversation.id,
        "channel": conversation.channel,
        "contact_id": conversation.contact_id,
        "contact": _contact(conversation.contact),
        "subject": conversation.subject,
        "status": conversation.status,
        "folder_id": conversation.folder_id,
        "assignee_id": conversation.assignee_id,
        "created_at": conversation.created_at,
    }


def _conversation_events(write: ItemWrite) -> list[InboxEvent]:
    before: Conversation | None = write.before
    after: Conversation = write.after
    data = _conversation_data(after)
    if before is None:
        return [ConversationCreated(**_envelope(write, "conversation.created"), data=ConversationData(**data))]
    events: list[InboxEvent] = []
    if before.status != after.status:
        events.append(
            StatusChanged(
                **_envelope(write, "conversation.status_changed"),
                data=StatusChangedData(**data, previous_status=before.status),
            )
        )
    if before.assignee_id != after.assignee_id:
        events.append(
            Assigned(
                **_envelope(write, "conversation.assigned"),
                data=AssignedData(**data, previous_assignee_id=before.assignee_id),
            )
        )
    return events


def _gone_out(message: Message | None) -> bool:
    return message is not None and (message.delivery is None or message.delivery in _GONE_OUT)


def _message_data(message: Message) -> MessageData:
    text = message.text or ""
    return MessageData(
        conversation_id=message.conversation_id,
        message_id=message.id,
        channel=message.channel,
        direction=message.direction,
        sender=_contact(message.sender),
        subject=message.subject,
        text=text[:MAX_EVENT_TEXT],
        text_truncated=len(text) > MAX_EVENT_TEXT or message.body_key is not None,
        attachments=len(message.attachments),
        author_id=message.author_id,
        auto_reply=message.auto_reply,
        at=message.sent_at or message.received_at,
    )


def _message_events(write: ItemWrite) -> list[InboxEvent]:
    before: Message | None = write.before
    after: Message = write.after
    if after.direction == Direction.INBOUND:
        if before is None:
            return [MessageReceived(**_envelope(write, "message.received"), data=_message_data(after))]
        return []
    if _gone_out(after) and not _gone_out(before):
        return [MessageSent(**_envelope(write, "message.sent"), data=_message_data(after))]
    return []


def _task_data(fields: dict[str, Any]) -> TaskData | None:
    try:
        return TaskData(
            task_id=str(fields.get("id") or fields.get("task_id")),
            conversation_id=fields.get("conversation_id"),
            title=str(fields.get("title") or ""),
            due_at=fields.get("due_at"),
            assignee_id=fields.get("assignee_id"),
            done=_task_done(fields),
        )
    except ValidationError:
        return None  # not a task as we know it: told nothing rather than wrongly


def _task_done(fields: dict[str, Any] | None) -> bool:
    if not fields:
        return False
    return bool(fields.get("done")) or fields.get("status") == "done" or fields.get("done_at") is not None


def _task_events(write: ItemWrite) -> list[InboxEvent]:
    data = _task_data(write.after)
    if data is None:
        return []
    if write.before is None:
        return [TaskCreated(**_envelope(write, "task.created"), data=data)]
    if data.done and not _task_done(write.before):
        return [TaskDone(**_envelope(write, "task.done"), data=data)]
    return []


def _fired(fields: dict[str, Any] | None) -> bool:
    """A follow-up (models/follow_up.py) that its schedule fired: claimed (`firing`) or `done`, never
    one cancelled by a person or by the customer's answer."""
    if not fields or fields.get("outcome") in _CANCELLED:
        return False
    return str(fields.get("state") or "") in _FIRED or fields.get("fired_at") is not None


def _follow_up_events(write: ItemWrite) -> list[InboxEvent]:
    if not _fired(write.after) or _fired(write.before):
        return []
    fields = write.after
    try:
        data = FollowUpData(
            follow_up_id=str(fields.get("id") or fields.get("follow_up_id")),
            conversation_id=str(fields.get("conversation_id") or ""),
            action=fields.get("action") if isinstance(fields.get("action"), str) else None,
            due_at=fields.get("due_at"),
        )
    except ValidationError:
        return []
    envelope = _envelope(write, "follow_up.due")
    when = data.due_at.isoformat() if data.due_at else ""
    envelope["id"] = f"follow_up:{data.follow_up_id}:{when}:follow_up.due"
    return [FollowUpDue(**envelope, data=data)]
