"""What an inbound message becomes in the store: the message, its large body, raw copy and files
written to blobs first, and its conversation once the message is in it. The ingest (services/ingest.py)
decides which conversation that is and commits both in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from inbox.domain import conversations, stats_waits
from inbox.domain.blob_keys import delivery_blobs
from inbox.models import (
    Attachment,
    Contact,
    Conversation,
    Direction,
    InboundMessage,
    Message,
    Party,
    Status,
)


class Blobs(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> str: ...
    def put_json(self, key: str, value: object) -> str: ...


def keep_raw(blobs: Blobs, inbound: InboundMessage) -> InboundMessage:
    """The raw copy stored under its delivery's key, and the message pointing at it (when nobody stored
    it before). The key is named by the delivery: another put there overwrites it."""
    if inbound.raw_key is not None or inbound.raw is None:
        return inbound
    named = delivery_blobs(inbound.tenant_id, inbound.channel, inbound.integration_id, inbound.external_id)
    return inbound.model_copy(update={"raw_key": blobs.put(named.raw, inbound.raw, "message/rfc822")})


def stored_message(
    blobs: Blobs, inbound: InboundMessage, message_id: str, sender: Party, now: datetime, inline_body_bytes: int
) -> Message:
    """The message as stored: blobs written (large body, raw mail, files), references kept."""
    tenant = inbound.tenant_id
    named = delivery_blobs(tenant, inbound.channel, inbound.integration_id, inbound.external_id)
    text, html, body_key = inbound.text, inbound.html, None
    if len(text.encode()) + len((html or "").encode()) > inline_body_bytes:
        # The item keeps a preview for lists and search; the whole body lives in S3.
        body_key = blobs.put_json(named.body, {"text": text, "html": html})
        text, html = conversations.preview(text), None
    raw_key = keep_raw(blobs, inbound).raw_key
    attachments = [
        Attachment(
            filename=file.filename,
            content_type=file.content_type,
            size=len(file.data),
            inline=file.inline,
            content_id=file.content_id,
            key=blobs.put(named.attachment(n, file.filename), file.data, file.content_type),
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


def conversation_after(
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
