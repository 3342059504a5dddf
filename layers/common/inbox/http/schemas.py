"""What the HTTP API takes and returns; the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import nh3
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from inbox.models import (
    Channel,
    Conversation,
    Direction,
    Integration,
    Message,
    Note,
    Party,
    Principal,
    Role,
    Status,
)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class MeOut(BaseModel):
    user_id: str
    tenant_id: str
    role: Role
    email: str | None = None
    username: str | None = None

    @classmethod
    def of(cls, who: Principal) -> MeOut:
        return cls.model_validate(who.model_dump())


class ConversationOut(BaseModel):
    id: str
    channel: Channel
    integration_id: str
    contact_id: str
    contact: Party
    subject: str | None
    status: Status
    folder_id: str | None
    assignee_id: str | None
    unread: bool
    message_count: int
    preview: str
    created_at: datetime
    last_activity_at: datetime

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationOut:
        return cls.model_validate(conversation.model_dump(exclude={"tenant_id", "version"}))


class ConversationPage(BaseModel):
    items: list[ConversationOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null at the end.")


class MessageOut(BaseModel):
    id: str
    channel: Channel
    direction: Direction
    sender: Party
    subject: str | None
    text: str
    html: str | None = Field(None, description="Sanitised for display: no script, no event handler.")
    external_id: str | None
    sent_at: datetime | None
    received_at: datetime

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        data = message.model_dump(include=set(cls.model_fields))
        data["html"] = nh3.clean(message.html) if message.html else None
        return cls.model_validate(data)


class NoteOut(BaseModel):
    id: str
    author_id: str
    author_email: str | None
    text: str
    created_at: datetime

    @classmethod
    def of(cls, note: Note) -> NoteOut:
        return cls.model_validate(note.model_dump(include=set(cls.model_fields)))


class ConversationDetail(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut] = Field(description="The latest messages, oldest first.")
    earlier_messages: str | None = Field(None, description="Pass as `before` for the messages before these.")
    notes: list[NoteOut]


class ConversationPatch(BaseModel):
    """Only the fields given change; `null` clears the folder or the assignee."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    folder_id: str | None = Field(None, min_length=1, max_length=64)
    assignee_id: str | None = Field(None, min_length=1, max_length=128)
    unread: bool | None = None

    @field_validator("status", "unread")
    @classmethod
    def _not_cleared(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20_000)


class CustomIntegrationIn(BaseModel):
    """A custom webhook integration. Email and Vonage integrations join this as a union on `kind`."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["custom"]
    name: str = Field(min_length=1, max_length=100)
    secret: SecretStr = Field(min_length=24, max_length=256, description="HMAC key the sender signs with.")


class IntegrationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=100)
    secret: SecretStr | None = Field(None, min_length=24, max_length=256, description="Rotates the secret.")


class IntegrationOut(BaseModel):
    id: str
    kind: str
    name: str
    settings: dict
    secrets_set: dict[str, bool] = Field(description="Which secrets are stored; their values never leave.")
    webhook_path: str | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, integration: Integration) -> IntegrationOut:
        return cls(
            id=integration.id,
            kind=integration.kind,
            name=integration.name,
            settings=integration.settings,
            secrets_set={field: True for field in integration.secrets},
            webhook_path=f"/inbox/webhooks/custom/{integration.id}" if integration.kind == "custom" else None,
            created_at=integration.created_at,
            updated_at=integration.updated_at,
        )


class WebhookAccepted(BaseModel):
    message_id: str
    conversation_id: str
    duplicate: bool = Field(description="True when this external id had been received before.")
