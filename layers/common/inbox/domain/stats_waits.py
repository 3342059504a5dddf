"""The customer's waits a conversation keeps for the response times (issue 14, item 2): two clocks.
`awaiting_since` ends with any answer (the "all" and automatic times); `awaiting_person_since` ends
only with a person's, so a person answering after the automatic reply still has their time (issue 14
review, statistics item 1). And when it was last reopened: a resolution after a reopening is timed
from it, not from the creation (item 5). Pure: the paths that write a conversation apply what this returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inbox.domain.conversations import status_after_inbound
from inbox.models import Conversation, Status

CLOSED = frozenset((Status.RESOLVED, Status.ARCHIVED))


def reopening(before: Status, after: Status, at: datetime) -> dict[str, Any]:
    """`reopened_at` when a resolved or archived conversation becomes open again (spam is not open)."""
    return {"reopened_at": at} if before in CLOSED and after not in CLOSED and after is not Status.SPAM else {}


def customer_wrote(before: Conversation | None, at: datetime) -> dict[str, Any]:
    """The conversation's clocks once the customer wrote: each wait starts at its oldest unanswered
    message; a resolved conversation is reopened (ingest's status_after_inbound)."""
    reopened = reopening(before.status, status_after_inbound(before.status), at) if before else {}
    return reopened | {
        "awaiting_since": (before.awaiting_since if before else None) or at,
        "awaiting_person_since": (before.awaiting_person_since if before else None) or at,
    }


def answered(before: Conversation, at: datetime, by_person: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """A reply that answers the customer at `at`: its message's wait fields, and the conversation's
    clocks after it. An automatic reply leaves the person's clock running."""
    message: dict[str, Any] = {}
    if before.awaiting_since is not None:
        message |= {"answers_since": before.awaiting_since, "first_response": before.first_response_at is None}
    conversation: dict[str, Any] = {
        "awaiting_since": None,
        "first_response_at": before.first_response_at or (at if before.awaiting_since else None),
    }
    if by_person:
        if before.awaiting_person_since is not None:
            first = before.first_person_response_at is None
            message |= {"answers_person_since": before.awaiting_person_since, "first_person_response": first}
        conversation |= {
            "awaiting_person_since": None,
            "first_person_response_at": before.first_person_response_at
            or (at if before.awaiting_person_since else None),
        }
    return message, conversation
