"""Where a delivered message's objects live in the blob store.

They are named by the delivery (integration and provider id), not by a new message id: a retried
message rewrites the same objects rather than leaving copies beside them, and the purge of a
deleted conversation finds every object a delivery ever wrote, even those of a try that failed
before its message was stored (a stub stored in its place does not point at them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class DeliveryBlobs:
    raw: str
    body: str
    attachments: str  # a prefix: ends with "/"

    def attachment(self, number: int, filename: str) -> str:
        return f"{self.attachments}{number}/{filename[:60]}"


def delivery_blobs(tenant_id: str, channel: str, integration_id: str, external_id: str) -> DeliveryBlobs:
    delivery = hashlib.sha256(f"{integration_id}\n{external_id}".encode()).hexdigest()[:32]
    return DeliveryBlobs(
        raw=f"{tenant_id}/raw/{channel}/{delivery}.eml",
        body=f"{tenant_id}/bodies/{delivery}.json",
        attachments=f"{tenant_id}/attachments/{delivery}/",
    )


@dataclass(frozen=True)
class KnowledgeBlobs:
    """A knowledge-base document's objects: the file it was uploaded as, and its text, one object
    per version (an edit writes the new text beside the old, which goes once the table points at
    the new: a failed write never leaves the table pointing at text it does not describe)."""

    folder: str  # a prefix: ends with "/"; the document's removal discards everything under it

    def source(self, extension: str) -> str:
        return f"{self.folder}source.{extension}"

    def text(self, version: int) -> str:
        return f"{self.folder}text-v{version}.md"


def knowledge_blobs(tenant_id: str, document_id: str) -> KnowledgeBlobs:
    return KnowledgeBlobs(folder=f"{tenant_id}/knowledge/{document_id}/")


# A person's uploads, before a reply carries them: under one fixed top-level prefix so that a single
# lifecycle rule of the template (UploadsExpire) removes those never sent, then the tenant and the
# conversation, so an upload is found only from the conversation it was made for.
UPLOADS_PREFIX = "uploads/"


def upload_key(tenant_id: str, conversation_id: str, upload_id: str) -> str:
    return f"{upload_prefix(tenant_id, conversation_id)}{upload_id}"


def sent_attachment_key(tenant_id: str, message_id: str, number: int, filename: str) -> str:
    """Where a file a reply (or a forward) carried is kept, as the message's own (the WhatsApp
    media fetched for a received message lives under the same `<tenant>/attachments/<message>/`)."""
    return f"{tenant_id}/attachments/{message_id}/{number}/{filename[:60]}"


def upload_prefix(tenant_id: str, conversation_id: str) -> str:
    """All of a conversation's uploads (a prefix: ends with "/"), removed with the conversation."""
    return f"{UPLOADS_PREFIX}{tenant_id}/{conversation_id}/"


def search_prefix(tenant_id: str) -> str:
    """A tenant's search index (issue 14): its segments, under the tenant like all its files (the purge
    worker removes replaced ones), in a folder of their own so that the indexer's and the API's rights
    (*/search/*) reach nothing else."""
    return f"{tenant_id}/search/"


def search_segment_key(tenant_id: str, segment_id: str) -> str:
    return f"{search_prefix(tenant_id)}seg-{segment_id}.db"
