"""Vonage's webhooks: find the tenant by our number, verify, keep the raw payload, ingest, answer.

Nothing slow runs here (Vonage gives up after a few seconds and sends again): files are fetched
later from the media queue, classification from the classify queue. Vonage delivers at least once;
ingest's dedupe on the provider's id makes each message appear once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from secrets import token_hex
from typing import Any, Protocol

from inbox.domain import vonage
from inbox.domain.json_text import read_json
from inbox.domain.vonage import InboundText, SmsPart
from inbox.errors import (
    DuplicateDeliveryError,
    InvalidInputError,
    PayloadTooLargeError,
    SignatureError,
    TransientError,
)
from inbox.models import (
    Channel,
    Conversation,
    DeliveryState,
    InboundMessage,
    Integration,
    Party,
    PendingMedia,
    SmsPartItem,
)
from inbox.models.jobs import FetchMediaJob, SettleLongSmsJob, VonageJob
from inbox.observability import logger
from inbox.services.ingest import Ingestor, IngestResult

# The SMS API's `timestamp` is when Vonage first pushed the message, and Vonage retries for 24 hours:
# a tighter window would refuse a retry after our own outage. A replay stores nothing (messageId dedupe).
SMS_TOLERANCE_SECONDS = 25 * 3600
PART_WINDOW = timedelta(days=1)  # parts of one long SMS arrive within this of each other
PART_PATIENCE = timedelta(minutes=15)  # then what arrived is stored, with what is missing named
STATUS_GRACE = timedelta(minutes=2)  # a status may outrun the record of the send it is about
NOBODY = ("-", "-")  # (tenant, integration) that no item has: read in place of an unknown number's
_STATES = {
    "submitted": DeliveryState.SENT,
    "delivered": DeliveryState.DELIVERED,
    "read": DeliveryState.READ,
    "rejected": DeliveryState.FAILED,
    "undeliverable": DeliveryState.FAILED,
}


class Store(Protocol):
    def integration_by_number(self, kind: Channel, number: str) -> tuple[str, str] | None: ...
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None: ...
    def add_sms_part(
        self, tenant_id: str, integration_id: str, group: str, part: SmsPartItem, stale_before: datetime
    ) -> list[SmsPartItem] | None: ...
    def sms_parts(
        self, tenant_id: str, integration_id: str, group: str, stale_before: datetime
    ) -> list[SmsPartItem]: ...
    def mark_sms_parts_assembled(
        self, tenant_id: str, integration_id: str, group: str, parts: list[SmsPartItem], conversation_id: str
    ) -> None: ...
    def advance_delivery(
        self, tenant_id: str, integration_id: str, provider_id: str, state: DeliveryState, error: str | None
    ) -> bool | None: ...


class Blobs(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> str: ...


class Disposal(Protocol):
    def discard(self, tenant_id: str, keys: Iterable[str | None]) -> None: ...


class Queue(Protocol):
    def send(self, jobs: Sequence[VonageJob], delay_seconds: int = 0) -> None: ...


class Secrets(Protocol):
    def secret(self, integration: Integration, field: str) -> str: ...


@dataclass(frozen=True)
class Outcome:
    """What a webhook did, for its answer and its log line."""

    result: str  # stored, duplicate, part_kept, status_applied, status_ignored
    message_id: str | None = None
    conversation_id: str | None = None


class VonageWebhooks:
    def __init__(
        self,
        store: Store,
        blobs: Blobs,
        disposal: Disposal,
        secrets: Secrets,
        ingestor: Ingestor,
        vonage_queue: Callable[[], Queue],
        max_body_bytes: int,
        tolerance_seconds: int = vonage.TOLERANCE_SECONDS,
        clock: Callable[[], float] = time.time,
    ):
        self._store = store
        self._blobs = blobs
        self._disposal = disposal
        self._secrets = secrets
        self._ingestor = ingestor
        self._vonage_queue = vonage_queue
        self._max_body_bytes = max_body_bytes
        self._tolerance = tolerance_seconds
        self._clock = clock
        self._decoy = token_hex(32)  # what an unknown number's signature is checked against

    # --- entry points -----------------------------------------------------------------------------

    def receive_sms(self, params: Mapping[str, str], raw: bytes) -> Outcome:
        """The SMS API's inbound webhook (query string, form or JSON): signed with `sig`."""
        self._check_size(raw)
        owner = self._owner(Channel.SMS, vonage.routing_number(params, "to"))
        vonage.verify_sms(
            params,
            self._secrets.secret(owner, "signature_secret") if owner else self._decoy,
            owner.settings.signature_method if owner else "md5hash",
            now=self._clock(),
            tolerance=SMS_TOLERANCE_SECONDS,
        )
        integration = self._verified(owner)
        raw_key = self._keep(integration, raw, "sms")
        text, part = self._read(integration, raw_key, lambda: vonage.read_sms_api(params))
        if part is not None:
            return self._part(integration, text, part, raw_key)
        return self._ingest(integration, text, raw_key)

    def receive_message(self, body: bytes, authorization: str | None) -> Outcome:
        """The Messages API's inbound webhook, for `whatsapp` and `sms`: signed with a bearer JWT."""
        document = self._document(body, authorization)
        # The number's owner for the channel the message is on: an SMS by the Messages API goes to
        # whoever connected the number for SMS, never to a WhatsApp claim on the same number.
        owner = self._owner(vonage.routing_channel(document), vonage.routing_number(document, "to"))
        integration = self._verify_jwt(owner, body, authorization)
        raw_key = self._keep(integration, body, "messages")
        text = self._read(integration, raw_key, lambda: vonage.read_messages_api(document))
        return self._ingest(integration, text, raw_key)

    def receive_status(self, body: bytes, authorization: str | None) -> Outcome:
        """The Messages API's status webhook: what became of a reply we sent."""
        document = self._document(body, authorization)
        owner = self._owner(vonage.routing_channel(document), vonage.routing_number(document, "from"))
        integration = self._verify_jwt(owner, body, authorization)
        update = self._read(integration, None, lambda: vonage.read_status(document))
        applied = self._store.advance_delivery(
            integration.tenant_id, integration.id, update.provider_id, _STATES[update.status], update.error
        )
        if applied is None:
            recent = update.at is None or datetime.now(UTC) - update.at < STATUS_GRACE
            if recent:  # our record of the send may not be written yet: have Vonage try again shortly
                raise TransientError("no message with this message_uuid yet; try again")
            logger.info("status for a message not sent from the inbox", status=update.status)
            return Outcome("status_ignored")
        logger.info("delivery status", status=update.status, applied=applied)
        return Outcome("status_applied" if applied else "status_ignored")

    # --- steps ------------------------------------------------------------------------------------

    def _check_size(self, body: bytes) -> None:
        if len(body) > self._max_body_bytes:
            raise PayloadTooLargeError(f"the body is over {self._max_body_bytes} bytes")

    def _document(self, body: bytes, authorization: str | None) -> dict[str, Any]:
        """The body, once its token is one made for it: unsigned bytes are never parsed."""
        self._check_size(body)
        vonage.check_messages_token(authorization, body, now=self._clock(), tolerance=self._tolerance)
        return json_object(body)

    def _owner(self, kind: Channel, number: str) -> Integration | None:
        route = self._store.integration_by_number(kind, number)
        # A number nobody owns costs the same reads as a known one: the time taken does not tell them apart.
        integration = self._store.get_integration(*(route or NOBODY))
        if not integration or integration.kind != "vonage":
            # Logged without the message: a stranger's text is not ours to keep.
            logger.warning("webhook for a number no integration owns", number_suffix=number[-4:])
            return None
        return integration

    def _verify_jwt(self, owner: Integration | None, body: bytes, authorization: str | None) -> Integration:
        secret = self._secrets.secret(owner, "signature_secret") if owner else self._decoy
        vonage.verify_messages_jwt(authorization, body, secret, now=self._clock(), tolerance=self._tolerance)
        return self._verified(owner)

    @staticmethod
    def _verified(owner: Integration | None) -> Integration:
        """A number nobody owns was checked against a secret nobody has, and fails the way a bad
        signature does, with the same answer: a caller cannot learn which numbers are customers'."""
        if owner is None:
            raise SignatureError(vonage.SIGNATURE_MISMATCH)
        return owner

    def _keep(self, integration: Integration, raw: bytes, api: str) -> str:
        """The payload as Vonage sent it, before it is read, so one we cannot read is still there.
        Named by the delivery (the integration and the body's digest, no date): a redelivery, on any
        day, rewrites the one copy."""
        digest = hashlib.sha256(raw).hexdigest()
        key = f"{integration.tenant_id}/raw/vonage/{integration.id}/{api}/{digest}"
        return self._blobs.put(key, raw, "application/octet-stream")

    def _read[T](self, integration: Integration, raw_key: str | None, read: Callable[[], T]) -> T:
        try:
            return read()
        except InvalidInputError as error:
            logger.warning(
                "unreadable Vonage webhook", integration_id=integration.id, field=error.field, raw_key=raw_key
            )
            raise

    def _part(self, integration: Integration, text: InboundText, part: SmsPart, raw_key: str) -> Outcome:
        now = datetime.now(UTC)
        group = _group(text.sender, text.to, part.ref, part.total)
        item = SmsPartItem(
            number=part.number, provider_id=text.provider_id, text=text.text, received_at=now, raw_key=raw_key
        )
        try:
            parts = self._store.add_sms_part(integration.tenant_id, integration.id, group, item, now - PART_WINDOW)
        except DuplicateDeliveryError as duplicate:
            # A part of a message already assembled: its raw copy, just rewritten, is the message's,
            # unless the message's conversation was deleted since.
            self._discard_if_gone(integration, duplicate.conversation_id, [raw_key])
            return Outcome("duplicate")
        if parts is None:
            # Another long message holds this part's place: keep this part on its own rather than lose it.
            clash = InboundText(**{**text.__dict__, "defects": [*text.defects, "sms: a part of a long message"]})
            return self._ingest(integration, clash, raw_key)
        if {p.number for p in parts} != set(range(1, part.total + 1)):
            if len(parts) == 1:  # the first part here: if the others never come, store what did
                job = SettleLongSmsJob(
                    tenant_id=integration.tenant_id,
                    integration_id=integration.id,
                    sender=text.sender,
                    to=text.to,
                    ref=part.ref,
                    total=part.total,
                )
                self._vonage_queue().send([job], delay_seconds=int(PART_PATIENCE.total_seconds()))
            return Outcome("part_kept")
        return self._assemble(integration, group, parts, part.total, text, raw_key)

    def settle_long_sms(
        self, tenant_id: str, integration_id: str, sender: str, to: str, ref: str, total: int
    ) -> Outcome:
        """Some time after a long SMS's first part: if parts are still missing, store what arrived,
        naming what did not, rather than let the parts expire unseen."""
        integration = self._store.get_integration(tenant_id, integration_id)
        if integration is None:
            return Outcome("gone")
        group = _group(sender, to, ref, total)
        parts = self._store.sms_parts(tenant_id, integration_id, group, datetime.now(UTC) - PART_WINDOW)
        if not parts:
            return Outcome("assembled_already")
        text = InboundText(channel=Channel.SMS, provider_id="", sender=sender, to=to, text="")
        return self._assemble(integration, group, parts, total, text, None)

    def _assemble(
        self,
        integration: Integration,
        group: str,
        parts: list[SmsPartItem],
        total: int,
        text: InboundText,
        raw_key: str | None,
    ) -> Outcome:
        ordered = sorted(parts, key=lambda p: p.number)
        missing = sorted(set(range(1, total + 1)) - {p.number for p in ordered})
        defects = list(text.defects)
        if missing:
            defects.append(f"sms: part(s) {', '.join(map(str, missing))} of {total} never arrived")
        whole = InboundText(
            channel=text.channel,
            # The same whichever part arrived last, so a part delivered again assembles a duplicate.
            provider_id="concat:" + ",".join(p.provider_id for p in ordered),
            sender=text.sender,
            to=text.to,
            text=" […] ".join(_runs(ordered)) if missing else "".join(p.text for p in ordered),
            sent_at=text.sent_at,
            defects=defects,
        )
        # Every part's raw payload is the message's: the purge removes them with its conversation.
        outcome = self._ingest(integration, whole, raw_key, [p.raw_key for p in ordered if p.raw_key])
        if outcome.conversation_id:
            self._store.mark_sms_parts_assembled(
                integration.tenant_id, integration.id, group, ordered, outcome.conversation_id
            )
        return outcome

    def _ingest(
        self, integration: Integration, text: InboundText, raw_key: str | None, part_raw_keys: Iterable[str] = ()
    ) -> Outcome:
        part_raw_keys = list(part_raw_keys)
        result = self._ingestor.ingest(
            InboundMessage(
                tenant_id=integration.tenant_id,
                integration_id=integration.id,
                channel=text.channel,
                external_id=text.provider_id,
                sender=Party(name=text.profile_name, phone=text.sender),
                to=[Party(phone=text.to)],
                text=text.text,
                # One conversation per customer and channel, whichever of our numbers they wrote to.
                thread_key=f"{text.channel}:{text.sender}",
                headers={"context": text.replies_to} if text.replies_to else {},
                defects=text.defects,
                pending_media=[PendingMedia(kind=m.kind, url=m.url, name=m.name) for m in text.media],
                sent_at=text.sent_at,
                raw_key=raw_key,
                part_raw_keys=part_raw_keys,
            )
        )
        if result.duplicate:  # sent again after its conversation was deleted: keep no copy of it
            self._discard_if_gone(integration, result.conversation_id, [raw_key, *part_raw_keys])
        if text.media:
            self._queue_media(integration, result)
        return Outcome("duplicate" if result.duplicate else "stored", result.message_id, result.conversation_id)

    def _discard_if_gone(self, integration: Integration, conversation_id: str | None, keys: list[str | None]) -> None:
        """Copies a redelivery just rewrote, handed to the purge worker when the conversation they
        belonged to was deleted (nothing refers to them any more)."""
        if conversation_id and self._store.get_conversation(integration.tenant_id, conversation_id) is None:
            self._disposal.discard(integration.tenant_id, keys)

    def _queue_media(self, integration: Integration, result: IngestResult) -> None:
        # Again on a duplicate too: a crash between the store and this send is healed by Vonage's retry.
        if result.received_at is None:
            return
        job = FetchMediaJob(
            tenant_id=integration.tenant_id,
            conversation_id=result.conversation_id,
            message_id=result.message_id,
            received_at=result.received_at,
        )
        self._vonage_queue().send([job])


def _group(sender: str, to: str, ref: str, total: int) -> str:
    """What the parts of one long SMS share."""
    return f"{sender}|{to}|{ref}|{total}"


def _runs(parts: list[SmsPartItem]) -> list[str]:
    """The text of consecutive parts joined, one string per run, so a gap shows where it is."""
    runs: list[list[SmsPartItem]] = []
    for part in parts:
        if runs and runs[-1][-1].number == part.number - 1:
            runs[-1].append(part)
        else:
            runs.append([part])
    return ["".join(p.text for p in run) for run in runs]


def json_object(body: bytes) -> dict[str, Any]:
    """A webhook body that must be a JSON object, or a 422 saying what it is instead."""
    document = read_json(body)
    if not isinstance(document, dict):
        raise InvalidInputError("body", "must be a JSON object")
    return document
