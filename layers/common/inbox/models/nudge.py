"""Where a conversation's automatic follow-up stands: the reply the customer has not answered, and
how many nudges went since the customer last wrote."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class NudgeState(BaseModel):
    tenant_id: str
    conversation_id: str
    folder_id: str
    reply_id: str = Field(description="Our latest reply: the one the customer has not answered.")
    replied_at: datetime
    inbound_at: datetime | None = Field(
        None, description="When the customer last wrote, as that reply found it: the customer answered once it moved."
    )
    sent: int = Field(0, description="Nudges sent (or drafted) since the customer's last message.")
    due_at: datetime
    schedule: str | None = Field(
        None,
        description="The name of the one-time schedule that fires the next nudge: each put gets a new one "
        "(None in a state stored before names were kept: the conversation's own name then).",
    )
