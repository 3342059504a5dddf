"""Conversations and what they hold: messages and internal notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from inbox.models.core import Channel, Direction, Party, Status

if TYPE_CHECKING:
    from inbox.models.nudge import NudgeState

MAX_SMS_PARTS = 255  # a long SMS has at most 255 parts (concat-total is one byte)


class ClassifiedBy(BaseModel):
    """The decision that put a conversation in its folder, for the person reading it and for statistics."""

    decider: str = Field(description="rule or ai")
    folder_id: str | None = None
    model: str | None = None
    tokens: int | None = None
    reason: str | None = None


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
    project_id: str | None = Field(None, description="The project it is linked to, if any (at most one).")
    unread: bool = True
    automated: str | None = Field(None, description="Set when the conversation is bulk or automated mail.")
    message_count: int = 0
    preview: str = ""
    created_at: datetime
    last_activity_at: datetime
    last_inbound_at: datetime | None = Field(None, description="When the customer last wrote (WhatsApp's window).")
    awaiting_since: datetime | None = Field(
        None, description="When the customer's oldest unanswered message came; null once answered (statistics)."
    )
    first_response_at: datetime | None = Field(None, description="When the customer was first answered.")
    awaiting_person_since: datetime | None = Field(
        None, description="As awaiting_since, but only a person's reply ends it (an automatic one does not)."
    )
    first_person_response_at: datetime | None = Field(None, description="When a person first answered the customer.")
    reopened_at: datetime | None = Field(
        None, description="When it was last reopened (resolved or archived, then open): resolution times start there."
    )
    history: bool = Field(False, description="Created by a mailbox's past, imported: its creation is not counted.")
    opened_by_customer: bool = Field(
        False, description="Created by a customer's message: statistics count that message with the creation."
    )
    snoozed_until: datetime | None = Field(
        None, description="Hidden from the lists until then, or until the customer writes (the Snoozed view)."
    )
    intent: str | None = Field(None, description="question, complaint, order, appointment, cancellation, urgent, other")
    urgency: str | None = Field(None, description="low, normal or high")
    folder_pinned: bool = Field(False, description="A person chose the folder: classification leaves it there.")
    classified_by: ClassifiedBy | None = Field(None, description="Who filed it, when a rule or the AI did.")
    classification_note: str | None = Field(None, description="Why the AI did not take part, when it did not.")
    version: int = Field(0, description="Optimistic lock: every write checks and bumps it.")


class DeliveryState(StrEnum):
    """Where a reply is: each step only moves forward (a late `delivered` never undoes `read`)."""

    SENDING = "sending"
    SENT = "sent"  # the provider took it
    DELIVERED = "delivered"  # the customer's phone has it (SMS, WhatsApp)
    READ = "read"  # the customer opened it (WhatsApp)
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _DELIVERY_RANK[self]


_DELIVERY_RANK = {"sending": 0, "sent": 1, "failed": 2, "delivered": 3, "read": 4}


class PendingMedia(BaseModel):
    """A file a channel only gave a link to: fetched into the blob store after the webhook answered."""

    kind: str
    url: str
    name: str | None = None


class Attachment(BaseModel):
    """A stored file of a message."""

    filename: str
    content_type: str
    size: int
    key: str = Field(description="Where the bytes are in the blob store.")
    inline: bool = False
    content_id: str | None = None


class SentTemplate(BaseModel):
    """The approved WhatsApp template a reply went out as; the reply's text is the template rendered."""

    name: str
    locale: str
    parameters: list[str] = Field(default_factory=list)


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
    to: list[Party] = Field(default_factory=list)
    cc: list[Party] = Field(default_factory=list, description="Outbound email: Cc (an inbound one's are in `to`).")
    bcc: list[Party] = Field(default_factory=list, description="Outbound email: Bcc, kept on our side only.")
    body_key: str | None = Field(None, description="Set when the body is too large for the item.")
    raw_key: str | None = None
    part_raw_keys: list[str] = Field(
        default_factory=list,
        max_length=MAX_SMS_PARTS,
        description="A long SMS: each part's raw payload (its own webhook delivery), removed with the message.",
    )
    message_id: str | None = Field(None, description="Its RFC 5322 Message-ID (email).")
    references: list[str] = Field(
        default_factory=list, description="Message-IDs it answers, the most direct first (In-Reply-To's first)."
    )
    automated: str | None = None
    defects: list[str] = Field(default_factory=list)
    headers: dict[str, str] = Field(default_factory=dict)
    attachments: list[Attachment] = Field(default_factory=list)
    author_id: str | None = Field(None, description="The person who wrote an outbound message.")
    auto_reply: bool = Field(False, description="Outbound only: sent by the automatic reply, not written by a person.")
    answers_since: datetime | None = Field(
        None, description="Outbound only: since when the customer it answered was waiting (response times)."
    )
    first_response: bool = Field(False, description="Outbound only: the conversation's first answer.")
    answers_person_since: datetime | None = Field(
        None, description="Outbound, a person's: since when the customer waited for a person (after any auto-reply)."
    )
    first_person_response: bool = Field(False, description="Outbound only: the conversation's first person's answer.")
    history: bool = Field(False, description="A mailbox's past, imported by its first sync: not counted.")
    opens_conversation: bool = Field(
        False, description="Inbound: the message that created its conversation (counted with the creation)."
    )
    delivery: DeliveryState | None = Field(None, description="Outbound only: sending, sent or failed.")
    delivery_error: str | None = None
    provider_id: str | None = Field(None, description="The provider's id for what we sent (Vonage message_uuid).")
    template: SentTemplate | None = Field(None, description="WhatsApp: the approved template it was sent as.")
    pending_media: list[PendingMedia] = Field(default_factory=list, description="Files still being fetched.")
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
    snoozed: bool = False  # the Snoozed view: only snoozed conversations (the others show only those not)
    assignee_id: str | None = None
    unassigned: bool = False
    contact_id: str | None = None
    project_id: str | None = None


class ListOrder(StrEnum):
    """The order of a conversation list (`-` reads a view backwards: newest first)."""

    NEWEST = "-activity"
    OLDEST = "activity"
    URGENCY = "urgency"  # the most urgent first, then the newest
    STATUS = "status"  # grouped by status (urgent, new, open, resolved, archived, spam), newest first in each


@dataclass(frozen=True)
class Delivery:
    """A provider message already ingested, and where it went."""

    message_id: str
    conversation_id: str
    received_at: datetime | None = None  # with the conversation, where the message item is


@dataclass(frozen=True)
class ConversationRemains:
    """One page of what a deleted conversation still holds: its items under the conversation, the
    files its messages point at, and the items elsewhere that point back at it."""

    tenant_id: str
    conversation_id: str
    item_keys: tuple[tuple[str, str], ...] = ()
    blob_keys: tuple[str, ...] = ()
    # (PK, SK, what becomes of it): `delete`, or `strip` a delivery record down to ids, so it still deduplicates
    pointers: tuple[tuple[str, str, Literal["delete", "strip"]], ...] = ()
    # What may still have a one-time schedule, cancelled before the items go (they hold the names):
    task_ids: tuple[str, ...] = ()  # its open tasks (a due reminder)
    follow_up_ids: tuple[str, ...] = ()  # its follow-ups still to fire
    nudge: NudgeState | None = None  # its folder's nudge, waiting

    @property
    def empty(self) -> bool:
        return not self.item_keys
