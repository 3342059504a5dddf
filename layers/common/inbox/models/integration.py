"""Integrations: a tenant's connected channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from inbox.models.core import Channel

# What a phone number is connected for (sms or whatsapp) and the number (E.164): a Vonage webhook
# finds its integration by the pair, so a claim on a number for one kind never touches the other.
type NumberRoute = tuple[Channel, str]


class Integration(BaseModel):
    id: str
    tenant_id: str
    kind: str
    name: str
    settings: dict[str, Any] = Field(default_factory=dict, description="Everything that is not secret.")
    secrets: dict[str, str] = Field(
        default_factory=dict, description="Field name -> envelope ciphertext; never leaves the service."
    )
    created_at: datetime
    updated_at: datetime
