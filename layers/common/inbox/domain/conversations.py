"""What an inbound message does to a conversation, and to the counters that follow it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from inbox.models import Channel, Conversation, DeliveryState, Message, Status

PREVIEW_CHARS = 160
INBOX_FOLDER = "inbox"  # conversations that no rule has filed yet
AUTOMATED_FOLDER = "automated"  # newsletters, auto-replies and bounces, out of the inbox but kept
SUBJECT_WINDOW = timedelta(days=14)

# A sender writing again continues their conversation only while someone is still on it.
_ONGOING = frozenset({Status.NEW, Status.OPEN, Status.URGENT})


class ThreadBy(StrEnum):
    """Why a message would join a conversation, from the surest reason to the weakest."""

    REFERENCE = "reference"  # it answers one of the conversation's messages (In-Reply-To, References)
    KEY = "key"  # the channel's own thread id
    SUBJECT = "subject"  # same contact, same subject once Re:/Fwd: are stripped: email's last resort
    SENDER = "sender"  # same contact, on channels that have no thread id


def continues(conversation: Conversation, by: ThreadBy, now: datetime) -> bool:
    """Whether a new inbound message joins `conversation` rather than starting another.

    A reference or a thread key is followed unless the conversation was archived; the same
    subject only within a few weeks; the same sender only while the conversation is ongoing.
    """
    if by in (ThreadBy.REFERENCE, ThreadBy.KEY):
        return conversation.status is not Status.ARCHIVED
    if by is ThreadBy.SUBJECT:
        recent = now - conversation.last_activity_at <= SUBJECT_WINDOW
        return conversation.status is not Status.ARCHIVED and recent
    return conversation.status in _ONGOING


def status_after_inbound(status: Status) -> Status:
    """The customer wrote again: a resolved conversation needs attention again."""
    return Status.OPEN if status is Status.RESOLVED else status


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1] + "…"


def view_folder(conversation: Conversation) -> str:
    """The folder a conversation is listed and counted in."""
    if conversation.folder_id:
        return conversation.folder_id
    return AUTOMATED_FOLDER if conversation.automated else INBOX_FOLDER


UNASSIGNED = "none"  # the assignee view (and counter) of the conversations nobody has


def view_assignee(conversation: Conversation) -> str:
    """The assignee view a conversation is counted in: its assignee's id, or `none` (Mine, Unassigned)."""
    return conversation.assignee_id or UNASSIGNED


def urgency_rank(conversation: Conversation) -> int:
    """Where a conversation stands when a list is sorted by urgency, higher first: urgent (its
    status, or the AI's `high`), then normal or not judged, then low."""
    if conversation.status is Status.URGENT or conversation.urgency == "high":
        return 3
    return 1 if conversation.urgency == "low" else 2


@dataclass(frozen=True)
class FolderDelta:
    """Changes to one folder's counters: conversations in it, and unread ones among them."""

    folder: str
    total: int = 0
    unread: int = 0


def counter_deltas(
    before: Conversation | None, after: Conversation | None, view: Callable[[Conversation], str] | None = None
) -> list[FolderDelta]:
    """The exact counter changes between two states of one conversation (None: not there).

    A folder counts the conversations in it that still need someone (new, open or urgent) and the
    unread ones among them: resolving, archiving or marking spam takes one off, as reading takes it
    off the unread count, and a customer writing again puts it back. `view` says which counter a
    conversation is counted in (its folder unless told otherwise: `view_assignee` for Mine/Unassigned)."""
    deltas: dict[str, list[int]] = {}
    counted_in = view or view_folder

    def add(conversation: Conversation | None, sign: int) -> None:
        # A snoozed conversation is out of the lists until it wakes (issue 13, item 6): out of the counts too.
        if conversation is None or conversation.status not in _ONGOING or conversation.snoozed_until:
            return
        entry = deltas.setdefault(counted_in(conversation), [0, 0])
        entry[0] += sign
        entry[1] += sign if conversation.unread else 0

    add(before, -1)
    add(after, +1)
    return [FolderDelta(folder, total, unread) for folder, (total, unread) in deltas.items() if total or unread]


def day_of(moment: datetime) -> str:
    return moment.date().isoformat()


WHATSAPP_WINDOW = timedelta(hours=24)


def reply_refusal(conversation: Conversation, now: datetime) -> str | None:
    """Why a free-form reply cannot go out now, in words for the person writing it; None when it can.

    WhatsApp takes free-form messages only within 24 hours of the customer's last message; after
    that only an approved template may open the conversation again, so we refuse (pointing to the
    templates) rather than send something bound to fail.
    """
    if conversation.channel is Channel.WHATSAPP:
        last = conversation.last_inbound_at
        if last is None or now - last > WHATSAPP_WINDOW:
            return (
                "WhatsApp only allows a free-form reply within 24 hours of the customer's last message; "
                "this window is closed, so answer with one of the approved templates (`template`, set in the "
                "Vonage integration's settings)"
            )
    return None


SEND_DEADLINE = timedelta(minutes=2)  # far past the API function's 29 s: a send still "sending" then died


def delivery_as_seen(message: Message, now: datetime) -> Message:
    """A reply whose send was cut off (the function timed out mid-send) would read "sending" for ever:
    past the deadline it reads as failed, with what is known about it."""
    if message.delivery is not DeliveryState.SENDING or now - message.received_at < SEND_DEADLINE:
        return message
    reason = "the send was interrupted; the customer may or may not have received it"
    return message.model_copy(update={"delivery": DeliveryState.FAILED, "delivery_error": reason})
