"""`/inbox/notifications`: the caller's own notifications (issue 13, item 2). Nobody reads another's:
every route reads the caller's partition, so another person's or tenant's id answers 404."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.notifications import MarkedRead, NotificationOut, NotificationPageOut
from inbox.models import Principal

router = APIGatewayHttpRouter()


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get("/notifications", tags=["notifications"], summary="My notifications, newest first, and the unread count")
def list_notifications(
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> NotificationPageOut:
    who = caller()
    page = wiring.notifications().page(who.tenant_id, who.user_id, limit, cursor)
    return NotificationPageOut(
        items=[NotificationOut.of(n) for n in page.items], unread=page.unread, next_cursor=page.next_cursor
    )


@router.post(
    "/notifications/<notification_id>/read", tags=["notifications"], summary="Mark one of my notifications read"
)
def mark_read(notification_id: Annotated[str, Path(max_length=64)]) -> NotificationOut:
    who = caller()
    return NotificationOut.of(wiring.notifications().mark_read(who.tenant_id, who.user_id, notification_id))


@router.post(
    "/notifications/read",
    tags=["notifications"],
    summary="Mark all my notifications read",
    description="At most 100 per call; `more` says unread ones remain, and the web app calls again.",
)
def mark_all_read() -> MarkedRead:
    who = caller()
    marked, more = wiring.notifications().mark_all_read(who.tenant_id, who.user_id)
    return MarkedRead(marked=marked, more=more)
