"""How much of an inbound message its stored item may hold, whatever the channel sent.

A DynamoDB item is capped at 400 KB, and a message that cannot be stored must not stop its
mailbox or its queue. So what goes into the message item is bounded by design: a named set of
headers, capped recipient, reference and attachment lists, capped names and lengths. The whole
message is always in the raw copy kept in S3, which the person can download; each cut is said
in the message's defects. A message the store still refuses is kept as a flagged stub.

With every cap reached, even in 4-byte characters, the message item stays under 350 KB (tested).
"""

from __future__ import annotations

from typing import Any

from inbox.models import InboundMessage, Party

# Headers a person, a rule (`header:<Name>`) or the automated-mail detection may look at. Others
# stay in the raw mail.
KEPT_HEADERS = frozenset(
    {
        "auto-submitted",
        "content-language",
        "context",  # not a mail header: the WhatsApp message a customer's message replies to
        "delivered-to",
        "importance",
        "in-reply-to",
        "list-id",
        "list-unsubscribe",
        "organization",
        "precedence",
        "priority",
        "references",
        "reply-to",
        "return-path",
        "sender",
        "user-agent",
        "x-auto-response-suppress",
        "x-autoreply",
        "x-autorespond",
        "x-failed-recipients",
        "x-forwarded-for",
        "x-forwarded-to",
        "x-loop",
        "x-mailer",
        "x-original-to",
        "x-priority",
        "x-spam-flag",
        "x-spam-status",
    }
)
MAX_HEADER_CHARS = 500
MAX_SUBJECT_CHARS = 1_000
MAX_NAME_CHARS = 100
MAX_ADDRESS_CHARS = 320  # RFC 3696: 64 + @ + 255
MAX_PHONE_CHARS = 32
MAX_RECIPIENTS = 50
MAX_REFERENCES = 20  # the most direct first: older ancestors add little to threading
MAX_REFERENCE_CHARS = 250
MAX_ATTACHMENTS = 50
MAX_FILENAME_CHARS = 150
MAX_CONTENT_TYPE_CHARS = 100
MAX_DEFECTS = 20
MAX_DEFECT_CHARS = 200
MAX_PENDING_MEDIA = 10
MAX_URL_CHARS = 500
MAX_THREAD_KEY_CHARS = 250

NOT_IMPORTED = "not imported"  # the defect that marks a stub: its content is only in the raw copy


def bounded(inbound: InboundMessage) -> InboundMessage:
    """The message as it may be stored; what was cut is named in its defects."""
    cuts: list[str] = []
    headers = {name: value[:MAX_HEADER_CHARS] for name, value in inbound.headers.items() if name in KEPT_HEADERS}
    if len(headers) < len(inbound.headers):
        cuts.append(f"headers: {len(inbound.headers) - len(headers)} not kept, all are in the original")
    to = [_party(p) for p in inbound.to[:MAX_RECIPIENTS]]
    if len(inbound.to) > MAX_RECIPIENTS:
        cuts.append(f"recipients: {len(inbound.to)}, the first {MAX_RECIPIENTS} kept, all are in the original")
    attachments = [
        a.model_copy(
            update={
                "filename": _cut(a.filename, MAX_FILENAME_CHARS),
                "content_type": a.content_type[:MAX_CONTENT_TYPE_CHARS],
                "content_id": _cut(a.content_id, MAX_REFERENCE_CHARS),
            }
        )
        for a in inbound.attachments[:MAX_ATTACHMENTS]
    ]
    if len(inbound.attachments) > MAX_ATTACHMENTS:
        cuts.append(
            f"attachments: {len(inbound.attachments)}, the first {MAX_ATTACHMENTS} kept, all are in the original"
        )
    defects = [d[:MAX_DEFECT_CHARS] for d in [*inbound.defects[: MAX_DEFECTS - len(cuts)], *cuts]]
    return inbound.model_copy(
        update={
            "sender": _party(inbound.sender),
            "to": to,
            "subject": _cut(inbound.subject, MAX_SUBJECT_CHARS),
            "subject_key": _cut(inbound.subject_key, MAX_SUBJECT_CHARS),
            "thread_key": _cut(inbound.thread_key, MAX_THREAD_KEY_CHARS),
            "references": [r[:MAX_REFERENCE_CHARS] for r in inbound.references[:MAX_REFERENCES]],
            "message_id": _cut(inbound.message_id, MAX_REFERENCE_CHARS),
            "headers": headers,
            "attachments": attachments,
            "pending_media": [
                m.model_copy(update={"url": m.url[:MAX_URL_CHARS], "name": _cut(m.name, MAX_FILENAME_CHARS)})
                for m in inbound.pending_media[:MAX_PENDING_MEDIA]
            ],
            "defects": defects,
        }
    )


def not_imported(inbound: InboundMessage, reason: str) -> InboundMessage:
    """A flagged stub of a message that could not be stored: who, when and what about, where it
    threads, and the raw copy to download. Everything else is left to the original."""
    return bounded(
        inbound
    ).model_copy(
        update={
            "text": "",
            "html": None,
            "to": inbound.to[:1],  # what the business sent from elsewhere still needs its customer
            "headers": {},
            "attachments": [],
            "pending_media": [],
            "defects": [f"{NOT_IMPORTED}: {reason}"[:MAX_DEFECT_CHARS]],
        }
    )


def _party(party: Party) -> Party:
    return Party(
        name=_cut(party.name, MAX_NAME_CHARS),
        email=party.email if party.email and len(party.email) <= MAX_ADDRESS_CHARS else None,  # cut, it is garbage
        phone=_cut(party.phone, MAX_PHONE_CHARS),
    )


def _cut[T: (str, Any)](value: T | None, most: int) -> T | None:
    return value[:most] if isinstance(value, str) else value
