"""What every channel hands to ingest(), whatever it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from inbox.models.conversation import MAX_SMS_PARTS, PendingMedia
from inbox.models.core import Channel, Direction, Party


class InboundAttachment(BaseModel):
    """A file as the channel delivered it; ingest stores the bytes and keeps a reference."""

    model_config = ConfigDict(frozen=True)

    filename: str
    content_type: str = Field(description="Sniffed from the bytes, not taken from the sender's word.")
    data: bytes
    inline: bool = False
    content_id: str | None = None


class InboundMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    integration_id: str
    channel: Channel
    external_id: str = Field(min_length=1, description="The provider's id (an email's Message-ID), for dedupe.")
    sender: Party
    to: list[Party] = Field(default_factory=list)
    direction: Direction = Field(
        Direction.INBOUND, description="Outbound: written by the business elsewhere (its mail client's Sent folder)."
    )
    subject: str | None = None
    text: str = ""
    html: str | None = None
    thread_key: str | None = Field(None, description="The channel's own thread id, when it has one.")
    references: list[str] = Field(
        default_factory=list, description="Message-IDs this message answers, the most direct first."
    )
    subject_key: str | None = Field(None, description="Normalised subject, for last-resort threading (email).")
    message_id: str | None = Field(None, description="Its own Message-ID, indexed so that replies find it.")
    automated: str | None = Field(None, description="newsletter, auto_reply or bounce: kept out of the inbox.")
    headers: dict[str, str] = Field(default_factory=dict)
    defects: list[str] = Field(default_factory=list, description="What could not be read; set = flagged.")
    attachments: list[InboundAttachment] = Field(default_factory=list)
    pending_media: list[PendingMedia] = Field(default_factory=list, description="Files to fetch after the answer.")
    sent_at: datetime | None = None
    history: bool = Field(False, description="A mailbox's past, imported by its first sync: not counted in statistics.")
    raw: bytes | None = Field(None, description="The raw message, stored by ingest when not stored yet.")
    raw_key: str | None = Field(None, description="Where the raw payload is kept in the blob store.")
    part_raw_keys: list[str] = Field(
        default_factory=list,
        max_length=MAX_SMS_PARTS,
        description="A long SMS: where each part's raw payload is kept, removed with the message.",
    )


@dataclass(frozen=True)
class SmsPartItem:
    """A part of a long SMS, kept until the others are here."""

    number: int
    provider_id: str
    text: str
    received_at: datetime
    raw_key: str | None = None  # where this part's raw payload is kept
