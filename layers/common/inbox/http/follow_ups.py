"""`/inbox/conversations/{id}/follow-ups`, `/inbox/follow-ups` and `/inbox/conversations/{id}/snooze`:
follow-ups a person schedules, and snoozes (issue 13, item 6)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.conversations import ConversationOut
from inbox.http.schemas.follow_ups import FollowUpIn, FollowUpList, FollowUpOut, FollowUpPage, SnoozeIn
from inbox.models import Principal

router = APIGatewayHttpRouter()

_ID = Path(max_length=64)


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.post(
    "/conversations/<conversation_id>/follow-ups",
    tags=["follow-ups"],
    status_code=201,
    summary="Schedule a follow-up: remind me, reopen, send a message or draft one, at a time",
    description="422 on `due_at` in the past or more than a year ahead, on `text` missing for `send`. With "
    "`only_if_no_answer`, a message from the customer before then cancels it.",
)
def create_follow_up(conversation_id: Annotated[str, _ID], body: Annotated[FollowUpIn, Body()]) -> FollowUpOut:
    follow_up = wiring.follow_ups().create(
        caller(), conversation_id, body.due_at, body.action, body.text, body.only_if_no_answer, body.template
    )
    return FollowUpOut.of(follow_up)


@router.get(
    "/conversations/<conversation_id>/follow-ups",
    tags=["follow-ups"],
    summary="A conversation's follow-ups, newest first: scheduled ones and what became of the others",
)
def list_follow_ups(conversation_id: Annotated[str, _ID]) -> FollowUpList:
    return FollowUpList(items=[FollowUpOut.of(f) for f in wiring.follow_ups().list(caller(), conversation_id)])


@router.delete(
    "/conversations/<conversation_id>/follow-ups/<follow_up_id>",
    tags=["follow-ups"],
    summary="Cancel a scheduled follow-up",
    description="It stays listed as `cancelled`. 409 once it fired or was cancelled.",
)
def cancel_follow_up(conversation_id: Annotated[str, _ID], follow_up_id: Annotated[str, _ID]) -> FollowUpOut:
    return FollowUpOut.of(wiring.follow_ups().cancel(caller(), conversation_id, follow_up_id))


@router.get(
    "/follow-ups", tags=["follow-ups"], summary="The follow-ups you scheduled that are still to fire, soonest first"
)
def my_follow_ups(
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> FollowUpPage:
    items, next_cursor = wiring.follow_ups().mine(caller(), limit, cursor)
    return FollowUpPage(items=[FollowUpOut.of(f) for f in items], next_cursor=next_cursor)


@router.post(
    "/conversations/<conversation_id>/snooze",
    tags=["follow-ups"],
    summary="Snooze: hide the conversation until a time, or until the customer writes",
    description="It leaves the lists (and their counters) for the Snoozed view (`GET /conversations?snoozed=true`) "
    "and comes back on top at `until`. Snoozing again moves the time. 422 on `until` in the past or more than "
    "a year ahead.",
)
def snooze(conversation_id: Annotated[str, _ID], body: Annotated[SnoozeIn, Body()]) -> ConversationOut:
    return ConversationOut.of(wiring.follow_ups().snooze(caller(), conversation_id, body.until))


@router.delete(
    "/conversations/<conversation_id>/snooze",
    tags=["follow-ups"],
    summary="Unsnooze: the conversation back in the lists now",
)
def unsnooze(conversation_id: Annotated[str, _ID]) -> ConversationOut:
    return ConversationOut.of(wiring.follow_ups().unsnooze(caller(), conversation_id))
