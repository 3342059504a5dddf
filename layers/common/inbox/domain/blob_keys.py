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
