"""The services of a warm function, built once from the lazily made adapters."""

from __future__ import annotations

from functools import cache

from inbox.adapters import aws
from inbox.services.conversations import Conversations
from inbox.services.ingest import Ingestor
from inbox.services.integrations import Integrations
from inbox.services.webhooks import CustomWebhooks
from inbox.settings import get_settings


@cache
def ingestor() -> Ingestor:
    return Ingestor(aws.store(), aws.blobs(), aws.classify_queue(), get_settings().inline_body_bytes)


@cache
def integrations() -> Integrations:
    return Integrations(aws.store(), aws.cipher())


@cache
def conversations() -> Conversations:
    return Conversations(aws.store(), aws.blobs())


@cache
def custom_webhooks() -> CustomWebhooks:
    settings = get_settings()
    return CustomWebhooks(
        aws.store(),
        aws.blobs(),
        integrations(),
        ingestor(),
        settings.webhook_max_body_bytes,
        settings.webhook_tolerance_seconds,
    )


def reset() -> None:
    for built in (ingestor, integrations, conversations, custom_webhooks):
        built.cache_clear()
    aws.reset()
