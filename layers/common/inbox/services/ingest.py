"""The one ingest path: every inbound message, whatever its channel, goes through `ingest()`.

dedupe -> contact -> thread -> store (message, conversation, counters, in one transaction)
-> enqueue for classification.
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
from inbox.domain.blob_keys import delivery_blobs
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
    Attachment,
    Channel,
    Contact,
    Conversation,
    Delivery,
    Direction,
    InboundMessage,
    Message,
    Party,
    Status,
)
from inbox.models.jobs import ClassifyJob, ClassifyMessageJob, UnfiledJob
from inbox.observability import logger, metrics

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


class Blobs(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> str: ...
    def put_json(self, key: str, value: object) -> str: ...


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
        if inbound.raw_key is not None or inbound.raw is None:
            return inbound
        named = delivery_blobs(inbound.tenant_id, inbound.channel, inbound.integration_id, inbound.external_id)
        return inbound.model_copy(update={"raw_key": self._blobs.put(named.raw, inbound.raw, "message/rfc822")})

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
        draft = self._message(inbound, new_id(), sender, now)
        for attempt in range(MAX_ATTEMPTS):
            before, thread_key, thread_was = self._thread(inbound, contact, now)
            opens = before is None and not outbound  # statistics count it with the creation, in its folder
            message = draft.model_copy(
                update={"conversation_id": before.id if before else new_id(), "opens_conversation": opens}
            )
            if outbound and before is not None:  # written from the mailbox itself (its Sent folder): an answer too
                message = message.model_copy(update=stats_waits.answered(before, now, by_person=True)[0])
            after = self._conversation_after(before, inbound, contact, customer, message, now)
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

    def _message(self, inbound: InboundMessage, message_id: str, sender: Party, now: datetime) -> Message:
        """The message as stored: blobs written (large body, raw mail, files), references kept."""
        tenant = inbound.tenant_id
        named = delivery_blobs(tenant, inbound.channel, inbound.integration_id, inbound.external_id)
        text, html, body_key = inbound.text, inbound.html, None
        if len(text.encode()) + len((html or "").encode()) > self._inline_body_bytes:
            # The item keeps a preview for lists and search; the whole body lives in S3.
            body_key = self._blobs.put_json(named.body, {"text": text, "html": html})
            text, html = conversations.preview(text), None
        raw_key = self.keep_raw(inbound).raw_key
        attachments = [
            Attachment(
                filename=file.filename,
                content_type=file.content_type,
                size=len(file.data),
                inline=file.inline,
                content_id=file.content_id,
                key=self._blobs.put(named.attachment(n, file.filename), file.data, file.content_type),
            )
            for n, file in enumerate(inbound.attachments)
        ]
        return Message(
            id=message_id,
            tenant_id=tenant,
            conversation_id="",  # known once the thread is settled
            integration_id=inbound.integration_id,
            channel=inbound.channel,
            direction=inbound.direction,
            external_id=inbound.external_id,
            sender=sender,
            to=inbound.to,
            subject=inbound.subject,
            text=text,
            html=html,
            body_key=body_key,
            raw_key=raw_key,
            part_raw_keys=inbound.part_raw_keys,
            message_id=inbound.message_id,
            references=inbound.references,
            automated=inbound.automated,
            defects=inbound.defects,
            headers=inbound.headers,
            attachments=attachments,
            pending_media=inbound.pending_media,
            sent_at=inbound.sent_at,
            received_at=now,
            history=inbound.history,
        )

    @staticmethod
    def _conversation_after(
        before: Conversation | None,
        inbound: InboundMessage,
        contact: Contact,
        customer: Party,
        message: Message,
        now: datetime,
    ) -> Conversation:
        preview = conversations.preview(inbound.text)
        outbound = inbound.direction is Direction.OUTBOUND
        if before is None:
            return Conversation(
                id=message.conversation_id,
                tenant_id=inbound.tenant_id,
                channel=inbound.channel,
                integration_id=inbound.integration_id,
                contact_id=contact.id,
                contact=customer,
                subject=inbound.subject,
                status=Status.OPEN if outbound else Status.NEW,
                unread=not outbound,
                automated=inbound.automated,
                message_count=1,
                preview=preview,
                created_at=now,
                last_activity_at=now,
                last_inbound_at=None if outbound else now,
                opened_by_customer=not outbound,
                history=inbound.history,  # a mailbox's past: nobody waits since its import
                **({} if outbound or inbound.history else stats_waits.customer_wrote(None, now)),
            )
        if outbound:  # the business wrote from elsewhere: nothing new to read, nothing reopened
            return before.model_copy(
                update={
                    "message_count": before.message_count + 1,
                    "preview": preview,
                    "last_activity_at": now,
                }
                | stats_waits.answered(before, now, by_person=True)[1]
            )
        return before.model_copy(
            update={
                "status": conversations.status_after_inbound(before.status),
                # Someone else writing on a shared thread key does not become its contact.
                "contact": customer if contact.id == before.contact_id else before.contact,
                "unread": True,
                "message_count": before.message_count + 1,
                "preview": preview,
                "last_activity_at": now,
                "last_inbound_at": now,
                "subject": before.subject or inbound.subject,
                "snoozed_until": None,  # the customer wrote: a snoozed conversation wakes (issue 13, item 6)
            }
            | ({} if inbound.history else stats_waits.customer_wrote(before, now))  # each wait from the oldest
        )

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
