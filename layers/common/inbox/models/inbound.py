"""What every channel hands to ingest(), whatever it came from."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from inbox.models.core import Channel, Party


class InboundMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    tenant_id: str
    integration_id: str
    channel: Channel
    external_id: str = Field(min_length=1, max_length=512, description="The provider's id, for dedupe.")
    sender: Party
    subject: str | None = None
    text: str = ""
    html: str | None = None
    thread_key: str | None = Field(None, description="The channel's own thread id, when it has one.")
    sent_at: datetime | None = None
    raw_key: str | None = Field(None, description="Where the raw payload is kept in the blob store.")
