"""`/webhooks`: a tenant's outbound webhooks and their delivery log."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inbox.http.schemas.shared import tenant_url
from inbox.models.events import SUBSCRIBABLE, EventType
from inbox.models.outbound_webhook import DeliveryStatus, OutboundWebhook, WebhookDelivery

_EVENTS = "The event types it receives (docs/events.md): " + ", ".join(f"`{t}`" for t in SUBSCRIBABLE) + "."


def _subscribable(events: list[EventType] | None) -> list[EventType] | None:
    if events is not None and EventType.WEBHOOK_TEST in events:
        raise ValueError("webhook.test is sent by the test action only")
    return events


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        max_length=2048,
        description="Where events are POSTed: https, a public address (the same outbound guard as mail servers).",
    )
    events: list[EventType] = Field(min_length=1, max_length=len(EventType), description=_EVENTS)
    description: str | None = Field(None, max_length=200)
    enabled: bool = True

    _url = field_validator("url")(lambda value: tenant_url(value))
    _events = field_validator("events")(lambda value: _subscribable(value))


class WebhookChangeIn(BaseModel):
    """What changes; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, max_length=2048)
    events: list[EventType] | None = Field(None, min_length=1, max_length=len(EventType))
    description: str | None = Field(None, max_length=200)
    enabled: bool | None = None

    _url = field_validator("url")(lambda value: value if value is None else tenant_url(value))
    _events = field_validator("events")(lambda value: _subscribable(value))

    @model_validator(mode="after")
    def _something(self) -> WebhookChangeIn:
        if not self.model_fields_set:
            raise ValueError("give url, events, description or enabled")
        return self


class WebhookOut(BaseModel):
    id: str
    url: str
    events: list[EventType]
    description: str | None = None
    enabled: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, webhook: OutboundWebhook) -> WebhookOut:
        return cls.model_validate(webhook.model_dump(include=set(cls.model_fields)))


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(
        description="The signing secret, shown this once: verify `X-Inbox-Signature` (t=<unix seconds>,"
        "v1=<hex HMAC-SHA256 of '<t>.<body>'>) with it."
    )


class WebhookList(BaseModel):
    items: list[WebhookOut]


class DeliveryOut(BaseModel):
    id: str = Field(description="The event's id.")
    event_type: str
    status: DeliveryStatus
    attempts: int
    response_code: int | None = None
    error: str | None = None
    event_time: datetime
    last_attempt_at: datetime
    next_attempt_at: datetime | None = None

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> DeliveryOut:
        return cls.model_validate(delivery.model_dump(include=set(cls.model_fields)))


class DeliveryList(BaseModel):
    items: list[DeliveryOut] = Field(description="The latest deliveries (kept 14 days), newest event first.")
