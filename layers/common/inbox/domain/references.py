"""The References header of a reply: what makes the customer's mail program show one thread.

Mail programs thread by the Message-IDs in References (oldest first, the answered one last). A
customer's client sometimes drops them, and we then joined their mail to the conversation by its
subject; answering with only that mail's id would start a new thread on their side. So a reply
always names the conversation's first message and its latest ones, whatever the answered mail carried.
"""

from __future__ import annotations

from collections.abc import Sequence

from inbox.models import Message

MAX_REFERENCES = 20  # RFC 5322 lets References grow; mail programs and servers cut long ones


def reply_references(first: Message | None, latest: Sequence[Message], parent: Message | None) -> list[str]:
    """Message-IDs for a reply's References, oldest first, `parent`'s last (its In-Reply-To).

    `first` is the conversation's first message, `latest` its latest messages (oldest first), `parent`
    the message answered. A stored message keeps the ids it referred to newest first (In-Reply-To,
    then References reversed), so they are turned back into header order here. When the list is too
    long, the thread's root ids stay and the oldest of the rest go.
    """
    roots = [*first.references[-1:], first.message_id] if first else []
    if parent is not None and parent.references:
        middle = list(reversed(parent.references))
    else:
        middle = [message.message_id for message in latest if message.message_id]
    answered = [parent.message_id] if parent is not None and parent.message_id else []
    ids = [item for item in dict.fromkeys([*roots, *middle]) if item and item not in answered] + answered
    head = [item for item in dict.fromkeys(roots) if item and item not in answered][:2]
    if len(ids) <= MAX_REFERENCES:
        return ids
    rest = [item for item in ids if item not in head]
    return head + rest[-(MAX_REFERENCES - len(head)) :]


def in_header_order(message: Message) -> list[str]:
    """A stored message's references as its References header lists them: oldest first, the
    answered message (its In-Reply-To) last. Every message is stored the most direct first."""
    return list(reversed(message.references))
