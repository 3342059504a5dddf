"""The one ingest path: every inbound message, whatever its channel, goes through `ingest()`.

dedupe -> contact -> thread -> store (message, conversation, counters, in one transaction)
-> enqueue for classification. What is stored, blobs included, is built in services/ingest_records.py.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Protocol

from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, Field

from inbox.domain import conversations, stats_waits
from inbox.domain.contacts import customer_of, normalize_party
from inbox.domain.conversations import ThreadBy
from inbox.domain.ids import new_id
from inbox.domain.inbound_limits import NOT_IMPORTED, bounded, not_imported
from inbox.errors import (
    ConcurrentUpdateError,
    DuplicateDeliveryError,
    InvalidInputError,
    PermanentError,
    TransientError,
)
from inbox.models import (
    Channel,
    Contact,
    Conversation,
    Delivery,
    Direction,
    InboundMessage,
    Message,
    Party,
)
from inbox.models.jobs import ClassifyJob, ClassifyMessageJob, UnfiledJob
from inbox.observability import logger, metrics
from inbox.services.ingest_records import Blobs, conversation_after, keep_raw, stored_message

MAX_ATTEMPTS = 5  # concurrent writers on one conversation are rare; each retry re-reads it
MAX_REFERENCES_FOLLOWED = 10  # a reply names its parent first; older ancestors add little


class IngestResult(BaseModel):
    message_id: str
    conversation_id: str
    received_at: datetime | None = Field(None, description="With the conversation id, where the message is stored.")
    duplicate: bool = False
    new_conversation: bool = False


class Store(Protocol):
    def get_delivery(self, tenant_id: str, integration_id: str, external_id: str) -> Delivery | None: ...
    def find_contact(self, tenant_id: str, identities: list[str]) -> Contact | None: ...
    def create_contact(self, contact: Contact, identities: list[str]) -> bool: ...
    def get_thread(self, tenant_id: str, integration_id: str, thread_key: str) -> str | None: ...
    def find_by_message_id(self, tenant_id: str, message_id: str) -> str | None: ...
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def commit_inbound(
        self,
        message: Message,
        before: Conversation | None,
        after: Conversation,
        thread_key: str | None,
        thread_was: str | None,
    ) -> None: ...


class Queue(Protocol):
    def send(self, jobs: Sequence[ClassifyJob]) -> None: ...


class Ingestor:
    def __init__(
        self,
        store: Store,
        blobs: Blobs,
        classify_queue: Queue,
        inline_body_bytes: int = 4096,
        on_customer_message: Sequence[Callable[[Conversation], None]] = (),
        clock: Callable[[], datetime] | None = None,
    ):
        self._store = store
        # The system's time; a test of the statistics scripts a day with its own clock.
        self._clock = clock or (lambda: datetime.now(UTC))
        self._on_customer_message = on_customer_message  # e.g. follow-ups "only if no answer" (issue 13)
        self._blobs = blobs
        self._queue = classify_queue
        self._inline_body_bytes = inline_body_bytes
        self._pending: list[ClassifyJob] | None = None  # inside batch(): jobs waiting to be sent

    def ingest(self, inbound: InboundMessage) -> IngestResult:
        """Store the message, bounded to what an item may hold; one the store still refuses is
        kept as a flagged stub with its raw copy, so that nothing is lost and nothing waits on it."""
        inbound = bounded(inbound)
        try:
            return self._ingest(inbound)
        except PermanentError as error:
            if any(d.startswith(NOT_IMPORTED) for d in inbound.defects):
                raise
            logger.error(
                "message kept as not imported", channel=inbound.channel, reason=str(error), defects=len(inbound.defects)
            )
            return self._ingest(not_imported(inbound, str(error)))

    def not_imported(self, inbound: InboundMessage, reason: str) -> IngestResult:
        """Keep a message that failed every try as a flagged stub, so that it stops nobody's queue."""
        return self._ingest(not_imported(inbound, reason))

    def keep_raw(self, inbound: InboundMessage) -> InboundMessage:
        """The raw copy stored under its delivery's key, and the message pointing at it (ingest does it
        when nobody did before). The key is named by the delivery: another put there overwrites it."""
        return keep_raw(self._blobs, inbound)

    def writes_raw_ahead(self, inbound: InboundMessage) -> bool:
        """Whether the mailbox sync may write keep_raw's copy before ingest (on other threads): only where
        ingest would write it, never over a known delivery's original (nor a deleted one's), nor for a
        message ingest refuses. Asked on the caller's thread: the table is read there, not by the puts."""
        with suppress(InvalidInputError):  # a party ingest cannot take: it refuses the message
            if customer_of(inbound)[1]:
                return not self._store.get_delivery(inbound.tenant_id, inbound.integration_id, inbound.external_id)
        return False  # ingest decides, and writes the copy itself if it stores the message

    def _ingest(self, inbound: InboundMessage) -> IngestResult:
        seen = self._store.get_delivery(inbound.tenant_id, inbound.integration_id, inbound.external_id)
        if seen:
            return self._duplicate(inbound, seen)
        sender = normalize_party(inbound.sender)
        outbound = inbound.direction is Direction.OUTBOUND
        customer, keys = customer_of(inbound)
        if not keys:
            raise InvalidInputError("to" if outbound else "from", "needs an email or a phone number")
        contact = self._contact(inbound.tenant_id, customer, keys)
        now = self._clock()
        draft = stored_message(self._blobs, inbound, new_id(), sender, now, self._inline_body_bytes)
        for attempt in range(MAX_ATTEMPTS):
            before, thread_key, thread_was = self._thread(inbound, contact, now)
            opens = before is None and not outbound  # statistics count it with the creation, in its folder
            message = draft.model_copy(
                update={"conversation_id": before.id if before else new_id(), "opens_conversation": opens}
            )
            if outbound and before is not None:  # written from the mailbox itself (its Sent folder): an answer too
                message = message.model_copy(update=stats_waits.answered(before, now, by_person=True)[0])
            after = conversation_after(before, inbound, contact, customer, message, now)
            try:
                self._store.commit_inbound(message, before, after, thread_key, thread_was)
            except ConcurrentUpdateError:
                time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security
                continue
            except DuplicateDeliveryError:
                seen = self._store.get_delivery(inbound.tenant_id, inbound.integration_id, inbound.external_id)
                if seen is None:  # pragma: no cover - a delivery record is never deleted
                    raise
                return self._duplicate(inbound, seen)
            if not outbound:  # what the business wrote itself needs no sorting
                self._enqueue(inbound.tenant_id, message)
                self._count(inbound, now, new_conversation=before is None)
                self._customer_wrote(after)
            logger.info(
                "message ingested",
                channel=inbound.channel,
                message_id=message.id,
                conversation_id=after.id,
                new_conversation=before is None,
            )
            return IngestResult(
                message_id=message.id,
                conversation_id=after.id,
                received_at=message.received_at,
                new_conversation=before is None,
            )
        raise TransientError("the conversation kept changing; try again")

    def _customer_wrote(self, conversation: Conversation) -> None:
        """What waits on the customer's silence hears they wrote. The message is stored whatever a
        listener does, and each also checks the conversation again when it fires."""
        for listener in self._on_customer_message:
            try:
                listener(conversation)
            except Exception:
                logger.exception("a listener of customer messages failed", conversation_id=conversation.id)

    def _count(self, inbound: InboundMessage, now: datetime, new_conversation: bool) -> None:
        """The metric; the tenant's statistics are counted from the table's stream (services/stats_recorder.py)."""
        metrics.add_metric(name="MessagesIngested", unit=MetricUnit.Count, value=1)

    def _duplicate(self, inbound: InboundMessage, seen: Delivery) -> IngestResult:
        # Enqueue again: if a crash came between the store and the queue, the provider's retry
        # heals it. Classification is idempotent per message.
        self._classify(
            ClassifyMessageJob(
                tenant_id=inbound.tenant_id, conversation_id=seen.conversation_id, message_id=seen.message_id
            )
        )
        metrics.add_metric(name="DuplicateDeliveries", unit=MetricUnit.Count, value=1)
        logger.info("duplicate delivery", channel=inbound.channel, message_id=seen.message_id)
        return IngestResult(
            message_id=seen.message_id,
            conversation_id=seen.conversation_id,
            received_at=seen.received_at,
            duplicate=True,
        )

    def _contact(self, tenant_id: str, sender: Party, keys: list[str]) -> Contact:
        for _ in range(2):
            contact = self._store.find_contact(tenant_id, keys)
            if contact:
                return contact
            contact = Contact(
                id=new_id(),
                tenant_id=tenant_id,
                name=sender.name,
                email=sender.email,
                phone=sender.phone,
                created_at=datetime.now(UTC),
            )
            if self._store.create_contact(contact, keys):
                return contact
            # Another message from the same new sender created them first: read theirs.
        raise TransientError("could not settle the contact")

    def _thread(
        self, inbound: InboundMessage, contact: Contact, now: datetime
    ) -> tuple[Conversation | None, str | None, str | None]:
        """The conversation this message continues (or None), the thread key that leads to it
        (None when a reference did), and what that key pointed at when read."""
        tenant = inbound.tenant_id
        for reference in inbound.references[:MAX_REFERENCES_FOLLOWED]:
            conversation_id = self._store.find_by_message_id(tenant, reference)
            conversation = conversation_id and self._store.get_conversation(tenant, conversation_id)
            if conversation and conversations.continues(conversation, ThreadBy.REFERENCE, now):
                return conversation, None, None
        if inbound.thread_key:
            key, by = f"key:{inbound.thread_key}", ThreadBy.KEY
        elif inbound.subject_key:
            key, by = f"subject:{contact.id}:{inbound.subject_key}", ThreadBy.SUBJECT
        elif inbound.channel is Channel.EMAIL:
            return None, None, None  # a new email with no subject and no reference: a new conversation
        else:
            key, by = f"contact:{contact.id}", ThreadBy.SENDER
        thread_was = self._store.get_thread(tenant, inbound.integration_id, key)
        conversation = thread_was and self._store.get_conversation(tenant, thread_was)
        if conversation and conversations.continues(conversation, by, now):
            return conversation, key, thread_was
        if by is not ThreadBy.KEY:
            # The contact may have absorbed others (a merge): their ongoing conversation goes on, and
            # from now on the survivor's key leads to it (written conditionally on what it held).
            for merged_id in contact.merged_ids:
                was = self._store.get_thread(tenant, inbound.integration_id, key.replace(contact.id, merged_id, 1))
                theirs = was and self._store.get_conversation(tenant, was)
                if theirs and conversations.continues(theirs, by, now):
                    return theirs, key, thread_was
        return None, key, thread_was

    def sweep_unfiled(self, tenant_id: str) -> None:
        """After a sync: the conversations still in the inbox are sorted again (a folder added since,
        or an AI outage when they came, may have left them there)."""
        self._classify(UnfiledJob(tenant_id=tenant_id))

    def _enqueue(self, tenant_id: str, message: Message) -> None:
        self._classify(
            ClassifyMessageJob(tenant_id=tenant_id, conversation_id=message.conversation_id, message_id=message.id)
        )

    def _classify(self, job: ClassifyJob) -> None:
        if self._pending is not None:
            self._pending.append(job)
        else:
            self._queue.send([job])

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Classification jobs of the messages ingested inside go out together (ten per request).
        Sent even when the block fails: what was stored must be classified."""
        self._pending = []
        try:
            yield
        finally:
            pending, self._pending = self._pending, None
            if pending:
                self._queue.send(pending)
