"""`/webhooks/custom/{integration_id}`: what a custom webhook answers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WebhookAccepted(BaseModel):
    message_id: str
    conversation_id: str
    duplicate: bool = Field(description="True when this external id had been received before.")
