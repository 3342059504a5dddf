"""Live updates: the WebSocket connections of the web app, and the small events pushed to them.

An event says what changed, never what it holds (no message bodies, no contact details): the app
refetches what it shows, through the API and its authorisation."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from inbox.models.core import Channel, Status


class Connection(BaseModel):
    """An open WebSocket of a signed-in user, kept until $disconnect or its TTL."""

    connection_id: str
    tenant_id: str
    user_id: str
    connected_at: datetime
    expires_at: int = Field(description="Epoch seconds: the table's TTL removes a connection nobody closed.")


class ConversationChanged(BaseModel):
    """A conversation was created, changed (new message, status, assignment, folder, read state) or
    deleted. `folder_id` is the folder it is listed in (`inbox`, `automated` or a folder's id);
    `previous_folder_id` the one it left, when it moved."""

    type: Literal["conversation.changed"] = "conversation.changed"
    change: Literal["created", "updated", "deleted"]
    conversation_id: str
    folder_id: str
    previous_folder_id: str | None = None
    status: Status
    assignee_id: str | None = None
    unread: bool
    channel: Channel
    message_count: int
    last_activity_at: datetime
    last_inbound_at: datetime | None = Field(None, description="When the customer last wrote.")
    customer_wrote: bool = Field(
        False, description="This change brought a message from the customer (the app's notifications)."
    )


class CountersChanged(BaseModel):
    """Unread or total counters of these folders changed: the app reloads the folder list."""

    type: Literal["counters.changed"] = "counters.changed"
    folder_ids: list[str]


class ViewsChanged(BaseModel):
    """The counters of the views by assignee (Mine, Unassigned) moved: the app reloads the folder list."""

    type: Literal["views.changed"] = "views.changed"
    assignees: list[str] = Field(description="Whose views' counters changed: a user's id, or `none`.")


class NotificationsChanged(BaseModel):
    """A notification of the person was created or read: told to that person's open apps only (their
    connections are known by user), which read their notifications again."""

    type: Literal["notifications.changed"] = "notifications.changed"
    change: Literal["created", "read"]
    user_id: str
    notification_id: str


class DraftsChanged(BaseModel):
    """An AI draft of the conversation was written, sent, discarded or refused: the app reads its drafts
    again (a draft's write does not change the conversation's item, so no `conversation.changed` says it)."""

    type: Literal["drafts.changed"] = "drafts.changed"
    conversation_id: str


type LiveEvent = Annotated[
    ConversationChanged | CountersChanged | DraftsChanged | ViewsChanged | NotificationsChanged,
    Field(discriminator="type"),
]
