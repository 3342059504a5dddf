"""The customer's waits a conversation keeps for the response times (issue 14, item 2): two clocks.
`awaiting_since` ends with any answer (the "all" and automatic times); `awaiting_person_since` ends
only with a person's, so a person answering after the automatic reply still has their time (issue 14
review, statistics item 1). Pure: ingest and the send path apply what this returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inbox.models import Conversation


def customer_wrote(before: Conversation | None, at: datetime) -> dict[str, Any]:
    """The conversation's clocks once the customer wrote: each wait starts at its oldest unanswered message."""
    return {
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
