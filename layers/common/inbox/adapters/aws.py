"""Adapters built lazily on first use, once per warm Lambda; tests call `reset()` or pass fakes."""

from __future__ import annotations

from functools import cache
from typing import Any

from inbox.adapters.blobs import BlobStore
from inbox.adapters.cipher import EnvelopeCipher
from inbox.adapters.dynamodb import InboxStore
from inbox.adapters.queue import WorkQueue
from inbox.settings import get_settings


@cache
def client(service: str) -> Any:
    import boto3  # imported on first use: a cold start that answers from cache never pays for it
    from botocore.config import Config

    config = Config(
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=3,
        read_timeout=10,
        signature_version="s3v4" if service == "s3" else None,
    )
    return boto3.client(service, endpoint_url=get_settings().aws_endpoint_url, config=config)


@cache
def store() -> InboxStore:
    return InboxStore(client("dynamodb"), get_settings().table_name)


@cache
def blobs() -> BlobStore:
    return BlobStore(client("s3"), get_settings().blob_bucket)


@cache
def cipher() -> EnvelopeCipher:
    return EnvelopeCipher(client("kms"), get_settings().key_id)


@cache
def classify_queue() -> WorkQueue:
    return WorkQueue(client("sqs"), get_settings().classify_queue_url)


@cache
def sync_queue() -> WorkQueue:
    url = get_settings().sync_queue_url
    if not url:
        raise RuntimeError("SYNC_QUEUE_URL is not set for this function")
    return WorkQueue(client("sqs"), url)


@cache
def vonage_queue() -> WorkQueue:
    url = get_settings().vonage_queue_url
    if not url:
        raise RuntimeError("VONAGE_QUEUE_URL is not set for this function")
    return WorkQueue(client("sqs"), url)


@cache
def autoreply_queue() -> WorkQueue:
    url = get_settings().autoreply_queue_url
    if not url:
        raise RuntimeError("AUTOREPLY_QUEUE_URL is not set for this function")
    return WorkQueue(client("sqs"), url)


@cache
def purge_queue() -> WorkQueue:
    url = get_settings().purge_queue_url
    if not url:
        raise RuntimeError("PURGE_QUEUE_URL is not set for this function")
    return WorkQueue(client("sqs"), url)


def reset() -> None:
    """Forget every client and adapter (the environment changed, as between tests)."""
    queues = (classify_queue, sync_queue, vonage_queue, autoreply_queue, purge_queue)
    for built in (client, store, blobs, cipher, *queues, get_settings):
        built.cache_clear()
