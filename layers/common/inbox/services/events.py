"""The events publisher (issue 13, item 8): the table's stream -> typed domain events -> the
deployment's EventBridge bus, and one delivery job per event and subscribed webhook of the tenant.

Why the publisher queues the webhook deliveries itself rather than an EventBridge rule to SQS: a job
per event *and webhook* lets one failing endpoint be retried alone (a rule would give one message per
event, to fan out and retry in the worker); the tenant's webhooks are read once per batch (one
Query), only tenants with webhooks cost a queue message; and no rule per tenant is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inbox.domain.events import ItemWrite, domain_events
from inbox.services.outbound_webhooks import OutboundWebhooks


@dataclass(frozen=True)
class Published:
    events: int
    deliveries: int


class EventPublisher:
    def __init__(self, bus: Any, webhooks: OutboundWebhooks, delivery_queue: Callable[[], Any]):
        self._bus = bus
        self._webhooks = webhooks
        self._queue = delivery_queue

    def publish(self, writes: list[ItemWrite]) -> Published:
        events = domain_events(writes)
        if not events:
            return Published(0, 0)
        self._bus.put(events)
        by_tenant: dict[str, list[Any]] = {}
        for event in events:
            by_tenant.setdefault(event.tenant_id, []).append(event)
        jobs = [job for tenant_id, its in by_tenant.items() for job in self._webhooks.jobs_for(tenant_id, its)]
        if jobs:
            self._queue().send(jobs)
        return Published(len(events), len(jobs))
