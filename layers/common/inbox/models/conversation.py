"""Conversations and what they hold: messages and internal notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field

from inbox.models.core import Channel, Direction, Party, Status


class Conversation(BaseModel):
    id: str
    tenant_id: str
    channel: Channel
    integration_id: str
    contact_id: str
    contact: Party = Field(description="The contact as last seen, so lists need no second read.")
    subject: str | None = None
    status: Status = Status.NEW
    folder_id: str | None = None
    assignee_id: str | None = None
    unread: bool = True
    message_count: int = 0
    preview: str = ""
    created_at: datetime
    last_activity_at: datetime
    version: int = Field(0, description="Optimistic lock: every write checks and bumps it.")


class Message(BaseModel):
    id: str
    tenant_id: str
    conversation_id: str
    integration_id: str
    channel: Channel
    direction: Direction
    external_id: str | None = None
    sender: Party
    subject: str | None = None
    text: str = ""
    html: str | None = None
    body_key: str | None = Field(None, description="Set when the body is too large for the item.")
    raw_key: str | None = None
    sent_at: datetime | None = None
    received_at: datetime


class Note(BaseModel):
    id: str
    tenant_id: str
    conversation_id: str
    author_id: str
    author_email: str | None = None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ConversationFilter:
    """Which conversations a list shows; None means any."""

    folder_id: str | None = None
    status: Status | None = None
    channel: Channel | None = None
    assignee_id: str | None = None
    unassigned: bool = False
    contact_id: str | None = None


@dataclass(frozen=True)
class Delivery:
    """A provider message already ingested, and where it went."""

    message_id: str
    conversation_id: str
