"""Outbound webhooks (issue 13, item 8): admins register HTTPS endpoints for the events they choose;
each event is POSTed to each, signed with the webhook's secret exactly as we verify the custom
webhooks we accept (domain/signatures.py), retried with backoff, and logged.

Delivery: the publisher (services/events.py) queues one job per event and webhook, so a failing
endpoint is retried alone. A failed attempt queues the job again with a delay that grows
(`backoff`, SQS's DelaySeconds, at most 15 min) until MAX_ATTEMPTS, then the delivery is logged
`failed`. An error of ours (the table, KMS) fails the job itself: SQS retries it, then the DLQ.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from inbox.domain import signatures
from inbox.domain.ids import new_id
from inbox.errors import ConflictError, NotFoundError
from inbox.models import Principal
from inbox.models.events import EventType, InboxEvent, TestData, WebhookTest
from inbox.models.outbound_webhook import DeliveryStatus, OutboundWebhook, WebhookDelivery, WebhookDeliveryJob
from inbox.observability import logger

MAX_WEBHOOKS = 10  # per tenant
MAX_ATTEMPTS = 6
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix that says what the value is, not a secret)

Clock = Callable[[], datetime]


def backoff(attempt: int) -> int:
    """Seconds to wait after failed attempt `attempt` (1-based): 30 s, 2 min, 8 min, then 15 min
    (SQS's longest delay); six attempts span about 40 minutes."""
    return min(900, 30 * 4 ** (attempt - 1))


def secret_context(tenant_id: str, webhook_id: str) -> dict[str, str]:
    """The cipher's context: a secret copied onto another tenant's or webhook's item never opens."""
    return {"tenant_id": tenant_id, "webhook_id": webhook_id, "field": "webhook_secret"}


def body_of(event: Any) -> bytes:
    return json.dumps(event.model_dump(mode="json"), separators=(",", ":"), ensure_ascii=False).encode()


class OutboundWebhooks:
    def __init__(
        self,
        store: Any,
        cipher: Any,
        delivery_queue: Callable[[], Any],
        post: Callable[[str, bytes, dict[str, str]], Any],
        clock: Clock = lambda: datetime.now(UTC),
    ):
        self._store = store
        self._cipher = cipher
        self._queue = delivery_queue
        self._post = post
        self._now = clock

    # ------------------------------------------------------------------ admins (the API)

    def list(self, who: Principal) -> list[OutboundWebhook]:
        return self._store.webhooks(who.tenant_id)

    def get(self, who: Principal, webhook_id: str) -> OutboundWebhook:
        webhook = self._store.webhook(who.tenant_id, webhook_id)
        if webhook is None:
            raise NotFoundError("no such webhook")
        return webhook

    def create(
        self, who: Principal, url: str, events: list[EventType], description: str | None = None, enabled: bool = True
    ) -> tuple[OutboundWebhook, str]:
        """A new webhook and its signing secret, in clear this once (stored sealed)."""
        if len(self._store.webhooks(who.tenant_id)) >= MAX_WEBHOOKS:
            raise ConflictError(f"a tenant has at most {MAX_WEBHOOKS} webhooks: delete one first")
        now, webhook_id = self._now(), new_id()
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        webhook = OutboundWebhook(
            id=webhook_id,
            tenant_id=who.tenant_id,
            url=url,
            events=list(dict.fromkeys(events)),
            description=description,
            enabled=enabled,
            secret=self._cipher.encrypt(secret, secret_context(who.tenant_id, webhook_id)),
            created_at=now,
            updated_at=now,
        )
        self._store.save_webhook(webhook)
        return webhook, secret

    def change(self, who: Principal, webhook_id: str, **changes: Any) -> OutboundWebhook:
        """Change url, events, description or enabled (what is None stays, but a description: cleared)."""
        webhook = self.get(who, webhook_id)
        given = {k: v for k, v in changes.items() if v is not None or k == "description"}
        if "events" in given:
            given["events"] = list(dict.fromkeys(given["events"]))
        changed = webhook.model_copy(update={**given, "updated_at": self._now()})
        self._store.replace_webhook(changed)
        return changed

    def delete(self, who: Principal, webhook_id: str) -> None:
        self.get(who, webhook_id)
        self._store.delete_webhook(who.tenant_id, webhook_id)

    def deliveries(self, who: Principal, webhook_id: str) -> list[WebhookDelivery]:
        self.get(who, webhook_id)
        return self._store.deliveries(who.tenant_id, webhook_id, self._now())

    def send_test(self, who: Principal, webhook_id: str) -> WebhookDelivery:
        """POST a `webhook.test` event now, once (no retry), even to a disabled webhook; logged."""
        webhook = self.get(who, webhook_id)
        now = self._now()
        event = WebhookTest(
            id=f"test-{new_id()}", tenant_id=who.tenant_id, time=now, data=TestData(webhook_id=webhook.id)
        )
        return self._attempt(webhook, event, attempt=1, retry=False)

    # ------------------------------------------------------------------ the publisher and the worker

    def jobs_for(self, tenant_id: str, events: list[InboxEvent]) -> list[WebhookDeliveryJob]:
        """One delivery job per event and enabled webhook of the tenant that chose its type."""
        webhooks = self._store.webhooks(tenant_id) if events else []
        return [
            WebhookDeliveryJob(tenant_id=tenant_id, webhook_id=webhook.id, event=event)
            for event in events
            for webhook in webhooks
            if webhook.wants(event.type)
        ]

    def deliver(self, job: WebhookDeliveryJob) -> str:
        """The worker: one attempt of one delivery. A webhook deleted, disabled or no longer
        subscribed since the event was queued gets nothing."""
        webhook = self._store.webhook(job.tenant_id, job.webhook_id)
        if webhook is None or not webhook.wants(job.event.type):
            logger.info("webhook delivery dropped: the webhook is gone, disabled or unsubscribed")
            return "dropped"
        delivery = self._attempt(webhook, job.event, job.attempt, retry=True)
        if delivery.status == DeliveryStatus.RETRYING:
            self._queue().send([job.model_copy(update={"attempt": job.attempt + 1})], backoff(job.attempt))
        return delivery.status

    def _attempt(self, webhook: OutboundWebhook, event: Any, attempt: int, *, retry: bool) -> WebhookDelivery:
        secret = self._cipher.decrypt(webhook.secret, secret_context(webhook.tenant_id, webhook.id))
        body = body_of(event)
        now = self._now()
        headers = {
            signatures.HEADER: signatures.sign(secret, body, int(now.timestamp())),
            "X-Inbox-Event": str(event.type),
            "X-Inbox-Event-Id": event.id,
            "X-Inbox-Delivery-Attempt": str(attempt),
        }
        result = self._post(webhook.url, body, headers)
        if result.ok:
            status, next_at = DeliveryStatus.DELIVERED, None
        elif retry and attempt < MAX_ATTEMPTS:
            status, next_at = DeliveryStatus.RETRYING, now + timedelta(seconds=backoff(attempt))
        else:
            status, next_at = DeliveryStatus.FAILED, None
        delivery = WebhookDelivery(
            id=event.id,
            tenant_id=webhook.tenant_id,
            webhook_id=webhook.id,
            event_type=str(event.type),
            status=status,
            attempts=attempt,
            response_code=result.status,
            error=result.error,
            event_time=event.time,
            last_attempt_at=now,
            next_attempt_at=next_at,
        )
        self._store.record_delivery(delivery)
        if status != DeliveryStatus.DELIVERED:
            logger.info(
                "webhook delivery attempt failed",
                extra={"webhook_id": webhook.id, "attempt": attempt, "status": status, "code": result.status},
            )
        return delivery
