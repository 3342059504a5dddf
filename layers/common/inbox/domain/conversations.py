"""What an inbound message does to a conversation, and to the counters that follow it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inbox.models import Conversation, Status

PREVIEW_CHARS = 160
INBOX_FOLDER = "inbox"  # conversations that no rule has filed yet

# A sender writing again continues their conversation only while someone is still on it.
_ONGOING = frozenset({Status.NEW, Status.OPEN, Status.URGENT})


def continues(conversation: Conversation, explicit_thread: bool) -> bool:
    """Whether a new inbound message joins `conversation` rather than starting another.

    An explicit thread (the channel's thread key, a Message-ID reference) is followed unless it
    was archived; an implicit one (same sender) only while the conversation is ongoing.
    """
    if explicit_thread:
        return conversation.status is not Status.ARCHIVED
    return conversation.status in _ONGOING


def status_after_inbound(status: Status) -> Status:
    """The customer wrote again: a resolved conversation needs attention again."""
    return Status.OPEN if status is Status.RESOLVED else status


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


def folder_key(folder_id: str | None) -> str:
    return folder_id or INBOX_FOLDER


@dataclass(frozen=True)
class FolderDelta:
    """Changes to one folder's counters: conversations in it, and unread ones among them."""

    folder: str
    total: int = 0
    unread: int = 0


def counter_deltas(before: Conversation | None, after: Conversation) -> list[FolderDelta]:
    """The exact counter changes between two states of one conversation."""
    deltas: dict[str, list[int]] = {}

    def add(conversation: Conversation, sign: int) -> None:
        entry = deltas.setdefault(folder_key(conversation.folder_id), [0, 0])
        entry[0] += sign
        entry[1] += sign if conversation.unread else 0

    if before is not None:
        add(before, -1)
    add(after, +1)
    return [FolderDelta(folder, total, unread) for folder, (total, unread) in deltas.items() if total or unread]


def day_of(moment: datetime) -> str:
    return moment.date().isoformat()
