"""Outbound webhooks (issue 13, item 8): a tenant's HTTPS endpoints that receive the events they
chose, signed like the custom webhooks we accept (`X-Inbox-Signature: t=...,v1=...`), and the log
of each delivery."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from inbox.models.events import EventType, InboxEvent
from inbox.models.jobs import QueueJob


class OutboundWebhook(BaseModel):
    id: str
    tenant_id: str
    url: str = Field(description="An https URL, read by the outbound guard (adapters/outbound.py).")
    events: list[EventType]
    description: str | None = None
    enabled: bool = True
    secret: str = Field(description="The signing secret, sealed by the cipher: shown once, at creation.")
    created_at: datetime
    updated_at: datetime

    def wants(self, event_type: str) -> bool:
        return self.enabled and event_type in self.events


class DeliveryStatus(StrEnum):
    RETRYING = "retrying"  # an attempt failed, another is due at `next_attempt_at`
    DELIVERED = "delivered"  # the endpoint answered 2xx
    FAILED = "failed"  # every attempt failed: given up


class WebhookDelivery(BaseModel):
    """One event's delivery to one webhook, as its last attempt left it."""

    id: str = Field(description="The event's id: one delivery per event and webhook.")
    tenant_id: str
    webhook_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    response_code: int | None = Field(None, description="The endpoint's HTTP status, when it answered.")
    error: str | None = Field(None, description="Why the last attempt failed, in our words.")
    event_time: datetime
    last_attempt_at: datetime
    next_attempt_at: datetime | None = None


class WebhookDeliveryJob(QueueJob):
    """WebhookDeliveryQueue: POST one event to one webhook; `attempt` counts from 1."""

    job: Literal["webhook_delivery"] = "webhook_delivery"
    tenant_id: str = Field(min_length=1)
    webhook_id: str = Field(min_length=1)
    attempt: int = Field(1, ge=1)
    event: InboxEvent
