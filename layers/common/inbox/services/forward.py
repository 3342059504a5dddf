"""One message of an email conversation forwarded to an address, a note above it, with its files.

It goes through the one send path (services/send.py) and is stored in the conversation as an
outbound message like any reply, in a thread of its own for the recipient (no In-Reply-To). It answers
nobody: the send path skips its `after_sent` step (a nudging folder's "any news?" to the customer).
"""

from __future__ import annotations

import html as html_text
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from inbox.domain.html import sanitize_html
from inbox.errors import InvalidInputError, NotFoundError
from inbox.models import Channel, Conversation, Message, Party, Principal
from inbox.services.attachments import Outgoing
from inbox.services.send import Replies

MAX_TEXT = 100_000  # as a reply's text
MAX_HTML = 200_000  # beyond, the forward is text alone: the stored message must stay one item
_PAGE = 100
_PAGES = 20


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]: ...


class Blobs(Protocol):
    def get_json(self, key: str) -> dict: ...


class Forwards:
    def __init__(self, store: Store, replies: Callable[[], Replies], blobs: Callable[[], Blobs] | None = None):
        self._store = store
        self._replies = replies
        self._blobs = blobs

    def forward(self, who: Principal, conversation_id: str, message_id: str, to: str, note: str | None) -> Message:
        conversation = self._store.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        if conversation.channel is not Channel.EMAIL:
            raise InvalidInputError("conversation_id", f"only an email can be forwarded, not a {conversation.channel}")
        message = self._with_body(self._find(conversation, message_id))
        text, html = forwarded_body(message, note)
        subject = forward_subject(message.subject or conversation.subject)
        outgoing = Outgoing(to=to, forwarded=message)
        return self._replies().reply(who, conversation.id, text, html, subject, outgoing=outgoing)

    def _find(self, conversation: Conversation, message_id: str) -> Message:
        before = None
        for _ in range(_PAGES):
            page, before = self._store.get_messages(conversation.tenant_id, conversation.id, _PAGE, before)
            found = next((m for m in page if m.id == message_id), None)
            if found is not None:
                return found
            if not before:
                break
        raise NotFoundError(f"message {message_id}")

    def _with_body(self, message: Message) -> Message:
        if not message.body_key or self._blobs is None:
            return message
        body = self._blobs().get_json(message.body_key)
        return message.model_copy(update={"text": body.get("text") or "", "html": body.get("html")})


def forward_subject(subject: str | None) -> str:
    subject = (subject or "").strip()
    return subject if subject.lower().startswith(("fwd:", "fw:")) else f"Fwd: {subject}".strip()


def _who(party: Party) -> str:
    if party.name and party.email:
        return f"{party.name} <{party.email}>"
    return party.email or party.phone or party.name or ""


def _header_lines(message: Message) -> list[tuple[str, str]]:
    when = message.sent_at or message.received_at
    lines = [("From", _who(message.sender)), ("Date", _date(when))]
    if message.subject:
        lines.append(("Subject", message.subject))
    recipients = ", ".join(_who(p) for p in message.to if _who(p))
    if recipients:
        lines.append(("To", recipients))
    return lines


def _date(when: datetime) -> str:
    return when.strftime("%a, %d %b %Y %H:%M %Z").strip()


def forwarded_body(message: Message, note: str | None) -> tuple[str, str | None]:
    """The note, then the forwarded message's headers and text (and its HTML when it had some)."""
    headers = _header_lines(message)
    text = "\n".join(
        [
            *([note.strip(), ""] if note and note.strip() else []),
            "---------- Forwarded message ----------",
            *(f"{name}: {value}" for name, value in headers),
            "",
            message.text,
        ]
    )[:MAX_TEXT]
    if not message.html:
        return text, None
    note_html = "".join(f"<p>{html_text.escape(line)}</p>" for line in (note or "").strip().splitlines() if line)
    header_html = "<br>".join(f"<b>{name}:</b> {html_text.escape(value)}" for name, value in headers)
    forwarded = (
        f"{note_html}<div>---------- Forwarded message ----------<br>{header_html}</div><br>"
        f"<blockquote>{sanitize_html(message.html, allow_remote_images=True)}</blockquote>"
    )
    return text, forwarded if len(forwarded) <= MAX_HTML else None
