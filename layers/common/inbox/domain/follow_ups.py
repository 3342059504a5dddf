"""Follow-ups and snoozes without I/O: when they may be set, and whether one still has work to do."""

from __future__ import annotations

from datetime import datetime, timedelta

from inbox.errors import InvalidInputError
from inbox.models import Conversation
from inbox.models.follow_up import FollowUp

MAX_AHEAD = timedelta(days=366)  # "at most a year ahead", a leap year's day included
MAX_TEXT = 4000  # a follow-up's message or note; the reply API's own limit applies when it is sent


def check_time(field: str, at: datetime, now: datetime) -> datetime:
    """`at` as a time a follow-up or a snooze may be set for: in the future, at most a year ahead."""
    if at.tzinfo is None:
        raise InvalidInputError(field, "needs a time zone (e.g. 2027-01-05T09:00:00Z)")
    if at <= now:
        raise InvalidInputError(field, "is in the past: choose a time to come")
    if at - now > MAX_AHEAD:
        raise InvalidInputError(field, "is more than a year ahead")
    return at


def answered_since(follow_up: FollowUp, conversation: Conversation) -> bool:
    """The customer wrote after the follow-up was set: one `only_if_no_answer` has nothing to do."""
    last = conversation.last_inbound_at
    return follow_up.only_if_no_answer and last is not None and last > follow_up.created_at


def snooze_still_holds(conversation: Conversation, until: datetime) -> bool:
    """The snooze a SnoozeEndsJob was set for is the conversation's current one (not woken since,
    by the customer or a person, nor moved to another time)."""
    return conversation.snoozed_until is not None and conversation.snoozed_until == until
