"""Signed custom webhooks: verify, keep the raw body, parse, ingest. Nothing slow runs here."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from secrets import token_hex
from typing import Protocol, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from inbox.domain import signatures
from inbox.domain.json_text import read_json
from inbox.errors import InvalidInputError, PayloadTooLargeError, SignatureError
from inbox.models import Channel, Conversation, InboundMessage, Integration, Party
from inbox.services.ingest import Ingestor, IngestResult
from inbox.services.integrations import Integrations


class Store(Protocol):
    def tenant_of_integration(self, integration_id: str) -> str | None: ...
    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None: ...
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...


class Blobs(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> str: ...


class Disposal(Protocol):
    def discard(self, tenant_id: str, keys: Iterable[str | None]) -> None: ...


class CustomSender(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=32, description="E.164 preferred (+33612345678).")

    @model_validator(mode="after")
    def _reachable(self) -> Self:
        if not (self.email or self.phone):
            raise ValueError("needs an email or a phone")
        return self


class CustomWebhookMessage(BaseModel):
    """The JSON a custom integration posts to `/inbox/webhooks/custom/{integration_id}`."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    external_id: str = Field(min_length=1, max_length=512, description="Your id for the message; a repeat is ignored.")
    sender: CustomSender = Field(alias="from")
    subject: str | None = Field(None, max_length=998)
    text: str = Field(max_length=200_000)
    html: str | None = Field(None, max_length=1_000_000)
    thread_key: str | None = Field(
        None, min_length=1, max_length=256, description="Messages with the same key share a conversation."
    )
    sent_at: datetime | None = None


class CustomWebhooks:
    def __init__(
        self,
        store: Store,
        blobs: Blobs,
        disposal: Disposal,
        integrations: Integrations,
        ingestor: Ingestor,
        max_body_bytes: int,
        tolerance_seconds: int,
        clock: Callable[[], float] = time.time,
    ):
        self._store = store
        self._blobs = blobs
        self._disposal = disposal
        self._integrations = integrations
        self._ingestor = ingestor
        self._max_body_bytes = max_body_bytes
        self._tolerance = tolerance_seconds
        self._clock = clock
        self._decoy = token_hex(32)

    def receive(self, integration_id: str, body: bytes, signature: str | None) -> IngestResult:
        if len(body) > self._max_body_bytes:
            raise PayloadTooLargeError(f"the body is over {self._max_body_bytes} bytes")
        plausible = 0 < len(integration_id) <= 64
        tenant_id = self._store.tenant_of_integration(integration_id if plausible else "-")
        # An unknown id costs the same reads as a known one: the time taken does not tell them apart.
        integration = self._store.get_integration(tenant_id or "-", integration_id if tenant_id else "-")
        known = bool(integration) and integration.kind == "custom"
        # An unknown id is checked against a secret nobody has and fails with the very answer a bad
        # signature gets: a caller cannot probe which integration ids exist.
        secret = self._integrations.secret(integration, "secret") if known else self._decoy
        signatures.verify(secret, body, signature, now=self._clock(), tolerance=self._tolerance)
        if not known:
            raise SignatureError(signatures.MISMATCH)
        # Kept before parsing, so a payload we cannot read yet is still there to replay; named by the
        # delivery (the integration and the body's digest, no date), so a request sent again, on any
        # day, rewrites the one copy.
        digest = hashlib.sha256(body).hexdigest()
        raw_key = self._blobs.put(f"{tenant_id}/raw/custom/{integration_id}/{digest}.json", body, "application/json")
        payload = parse_custom_message(body)
        result = self._ingestor.ingest(
            InboundMessage(
                tenant_id=tenant_id,
                integration_id=integration_id,
                channel=Channel.CUSTOM,
                external_id=payload.external_id,
                sender=Party(**payload.sender.model_dump()),
                subject=payload.subject,
                text=payload.text,
                html=payload.html,
                thread_key=payload.thread_key,
                sent_at=payload.sent_at,
                raw_key=raw_key,
            )
        )
        if result.duplicate and self._store.get_conversation(tenant_id, result.conversation_id) is None:
            # Sent again after its conversation was deleted: the copy just kept would outlive it.
            self._disposal.discard(tenant_id, [raw_key])
        return result


def parse_custom_message(body: bytes) -> CustomWebhookMessage:
    document = read_json(body)
    try:
        return CustomWebhookMessage.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise InvalidInputError(field, first["msg"].removeprefix("Value error, ")) from error
