"""Domain events for other systems (issue 13, item 8): what happened in a tenant's inbox, typed.

Each event is published to the deployment's EventBridge bus (source `inbox`, detail-type the event's
`type`, detail the event as JSON) and POSTed to the tenant's outbound webhooks that chose it. The JSON
Schema of every event is generated from these models into docs/events.schema.json (a test keeps it
in step); docs/events.md describes them in words.

`id` is stable: built from the table stream's record id and the event's type, so a batch read again
gives the same ids and a consumer drops what it has already seen.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from inbox.models.core import Channel, Direction, Status

SOURCE = "inbox"  # the EventBridge `source` of every event
MAX_EVENT_TEXT = 1000  # a message's text in an event, at most (the whole is one API call away)


class EventType(StrEnum):
    CONVERSATION_CREATED = "conversation.created"
    MESSAGE_RECEIVED = "message.received"
    MESSAGE_SENT = "message.sent"
    STATUS_CHANGED = "conversation.status_changed"
    ASSIGNED = "conversation.assigned"
    TASK_CREATED = "task.created"
    TASK_DONE = "task.done"
    FOLLOW_UP_DUE = "follow_up.due"
    WEBHOOK_TEST = "webhook.test"  # only ever sent to one webhook, by "send a test event"


SUBSCRIBABLE = tuple(t for t in EventType if t is not EventType.WEBHOOK_TEST)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactRef(_Data):
    """Who wrote, as far as the channel tells: an email address, a phone number, or both unknown."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None


class ConversationData(_Data):
    conversation_id: str
    channel: Channel
    contact_id: str
    contact: ContactRef
    subject: str | None = None
    status: Status
    folder_id: str | None = None
    assignee_id: str | None = None
    created_at: datetime


class StatusChangedData(ConversationData):
    previous_status: Status


class AssignedData(ConversationData):
    previous_assignee_id: str | None = Field(None, description="null: it was unassigned.")


class MessageData(_Data):
    conversation_id: str
    message_id: str
    channel: Channel
    direction: Direction
    sender: ContactRef
    subject: str | None = None
    text: str = Field(description=f"The message's text, its first {MAX_EVENT_TEXT} characters.")
    text_truncated: bool = False
    attachments: int = Field(0, description="How many files it carries.")
    author_id: str | None = Field(None, description="Sent: the person who wrote it (null: the automatic reply).")
    auto_reply: bool = False
    at: datetime = Field(description="When it was received, or sent.")


class TaskData(_Data):
    task_id: str
    conversation_id: str | None = None
    title: str
    due_at: datetime | None = None
    assignee_id: str | None = None
    done: bool = False


class FollowUpData(_Data):
    follow_up_id: str
    conversation_id: str
    action: str | None = Field(None, description="What it does when due: remind, reopen or send.")
    due_at: datetime | None = None


class TestData(_Data):
    webhook_id: str
    message: str = "This is a test event sent from the Inbox settings."


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Unique and stable: the same change always gives the same id (deduplicate on it).")
    tenant_id: str
    time: datetime = Field(description="When the change happened (UTC).")


class ConversationCreated(_Event):
    type: Literal[EventType.CONVERSATION_CREATED] = EventType.CONVERSATION_CREATED
    data: ConversationData


class MessageReceived(_Event):
    type: Literal[EventType.MESSAGE_RECEIVED] = EventType.MESSAGE_RECEIVED
    data: MessageData


class MessageSent(_Event):
    type: Literal[EventType.MESSAGE_SENT] = EventType.MESSAGE_SENT
    data: MessageData


class StatusChanged(_Event):
    type: Literal[EventType.STATUS_CHANGED] = EventType.STATUS_CHANGED
    data: StatusChangedData


class Assigned(_Event):
    type: Literal[EventType.ASSIGNED] = EventType.ASSIGNED
    data: AssignedData


class TaskCreated(_Event):
    type: Literal[EventType.TASK_CREATED] = EventType.TASK_CREATED
    data: TaskData


class TaskDone(_Event):
    type: Literal[EventType.TASK_DONE] = EventType.TASK_DONE
    data: TaskData


class FollowUpDue(_Event):
    type: Literal[EventType.FOLLOW_UP_DUE] = EventType.FOLLOW_UP_DUE
    data: FollowUpData


class WebhookTest(_Event):
    type: Literal[EventType.WEBHOOK_TEST] = EventType.WEBHOOK_TEST
    data: TestData


InboxEvent = Annotated[
    ConversationCreated
    | MessageReceived
    | MessageSent
    | StatusChanged
    | Assigned
    | TaskCreated
    | TaskDone
    | FollowUpDue
    | WebhookTest,
    Field(discriminator="type"),
]
INBOX_EVENT: TypeAdapter[InboxEvent] = TypeAdapter(InboxEvent)


def schema_document() -> dict[str, Any]:
    """The JSON Schema of every event (docs/events.schema.json is this, written out)."""
    schema = INBOX_EVENT.json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Inbox event",
        "description": "An event as its webhook POST body, and as its EventBridge detail "
        f"(source `{SOURCE}`, detail-type its `type`).",
        **schema,
    }


if __name__ == "__main__":  # PYTHONPATH=layers/common python -m inbox.models.events > docs/events.schema.json
    import json

    print(json.dumps(schema_document(), indent=2, ensure_ascii=False))
