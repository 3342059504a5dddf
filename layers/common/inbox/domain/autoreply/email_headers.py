"""The headers that say who wrote an email reply and keep it in its thread (RFC 3834 for automatic ones).

An auto-reply says `Auto-Submitted: auto-replied`, which RFC 3834 responders (vacation programs,
help desks, ours) read as "do not answer this", and `X-Auto-Response-Suppress: All`, which
Exchange and Outlook read the same way. It answers the customer's message with In-Reply-To and
References like any reply, so the customer's mail program shows one thread.
"""

from __future__ import annotations

from inbox.domain.references import in_header_order
from inbox.models import Message


def reply_headers(reply: Message) -> dict[str, str]:
    """The header fields of `reply`, a stored outbound email, that thread it and say who wrote it
    (From, To, Subject, Date and Message-ID are the sender's).

    In-Reply-To is the message answered, the reply's most direct reference (stored first); References
    lists them oldest first, as `reply_references` chose them when the reply was stored.
    """
    references = [_bracketed(item) for item in in_header_order(reply) if _usable(item)]
    headers: dict[str, str] = {}
    if references:
        headers["In-Reply-To"] = references[-1]
        headers["References"] = " ".join(references)
    if reply.auto_reply:
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    else:
        headers["Auto-Submitted"] = "no"
    return headers


def _bracketed(message_id: str) -> str:
    return f"<{message_id.strip('<>')}>"


def _usable(message_id: str) -> bool:
    """What can go in a header as an id: printable, no space, no brackets inside (no header injection)."""
    bare = message_id.strip("<>")
    return bool(bare) and bare.isprintable() and not any(char in bare for char in " <>\t")
