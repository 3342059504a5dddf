"""What ingest receives from a mailbox: a parsed email as an inbound message, or the least of one."""

from __future__ import annotations

from datetime import datetime

from inbox.domain.contacts import normalize_email
from inbox.domain.email_message import ParsedEmail, normalize_subject
from inbox.domain.inbound_limits import MAX_ADDRESS_CHARS
from inbox.errors import InvalidInputError
from inbox.models import Channel, Direction, InboundAttachment, InboundMessage, Integration, Party

UNKNOWN_SENDER = Party(name="Unknown sender", email="unknown-sender@sender.invalid")


def inbound_from_email(
    parsed: ParsedEmail, raw: bytes, integration: Integration, sent: bool = False, received: datetime | None = None
) -> InboundMessage:
    """What ingest needs from a parsed email; one that could not be read still comes in, flagged.
    Mail from the Sent folder is the business's own, written from its mail client."""
    sender = parsed.sender if parsed.sender.email else UNKNOWN_SENDER
    if parsed.reply_to and parsed.reply_to[0].email and not parsed.automated and not sent:
        # A contact form or a shop mails "from" itself with the customer in Reply-To: answer the customer.
        sender = parsed.reply_to[0].model_copy(update={"name": parsed.reply_to[0].name or sender.name})
    references = [*parsed.in_reply_to, *reversed(parsed.references)]
    subject_key = normalize_subject(parsed.subject) or None
    return InboundMessage(
        tenant_id=integration.tenant_id,
        integration_id=integration.id,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND if sent else Direction.INBOUND,
        external_id=parsed.message_id,
        message_id=parsed.message_id,
        sender=sender,
        to=[*parsed.to, *parsed.cc],
        subject=parsed.subject,
        text=parsed.text,
        html=parsed.html,
        references=list(dict.fromkeys(references)),
        subject_key=subject_key,
        automated=parsed.automated.value if parsed.automated else None,
        headers=parsed.headers,
        defects=list(parsed.defects),
        sent_at=parsed.date or received,  # no Date header: when the server got it is the next best
        raw=raw,
        attachments=[
            InboundAttachment(
                filename=a.filename, content_type=a.content_type, data=a.data, inline=a.inline, content_id=a.content_id
            )
            for a in parsed.attachments
        ],
    )


def stub_from_email(
    parsed: ParsedEmail, raw: bytes | None, integration: Integration, sent: bool, received: datetime | None
) -> InboundMessage:
    """The least of a message that failed to import: who, when, what about, and its raw copy when
    there is one. A sender that cannot be a contact is "Unknown sender", so the stub itself stores."""
    return InboundMessage(
        tenant_id=integration.tenant_id,
        integration_id=integration.id,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND if sent else Direction.INBOUND,
        to=parsed.to[:1] if sent else [],
        external_id=parsed.message_id,
        message_id=parsed.message_id,
        sender=parsed.sender if _usable(parsed.sender.email) else UNKNOWN_SENDER,
        subject=parsed.subject,
        references=[*parsed.in_reply_to, *reversed(parsed.references)],
        subject_key=normalize_subject(parsed.subject) or None,
        sent_at=parsed.date or received,
        raw=raw,
    )


def _usable(email: str | None) -> bool:
    try:
        return normalize_email(email) is not None and len(email or "") <= MAX_ADDRESS_CHARS
    except InvalidInputError:
        return False
