"""`/inbox/audit` and `/inbox/conversations/{id}/history` (issue 14, item 3): the audit trail, read
only. No route changes or removes an entry: they go by TTL at the end of the retention period."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.audit import AuditEntry, AuditKind, AuditPage
from inbox.models import Principal

router = APIGatewayHttpRouter()

_MOMENT = "A date (`2026-11-30`: the whole day, UTC) or an ISO 8601 datetime (UTC without an offset)."


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get(
    "/audit",
    tags=["audit"],
    summary="The audit trail: who did what and when, newest first (admins)",
    description="Every change made by a person or by the system, with the fields changed before and after "
    "(secrets read `••••`). Filters combine. The period is read within the retention period, up to now "
    "(without `from`: all of it); a date out of range is 422 on its field. A page may hold fewer than "
    "`limit` entries (even none) and still have a `next_cursor`: filtered reads are bounded. 403 for an agent.",
)
def audit_trail(
    person: Annotated[str | None, Query(min_length=1, max_length=64, description="A person's user id.")] = None,
    conversation: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    kind: Annotated[AuditKind | None, Query()] = None,
    from_: Annotated[str | None, Query(alias="from", max_length=40, description=_MOMENT)] = None,
    to: Annotated[str | None, Query(max_length=40, description=_MOMENT)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> AuditPage:
    items, next_cursor = wiring.audit().page(
        caller(),
        person=person,
        conversation_id=conversation,
        kind=kind,
        start=from_,
        end=to,
        limit=limit,
        cursor=cursor,
    )
    return AuditPage(items=[AuditEntry.of(e) for e in items], next_cursor=next_cursor)


@router.get(
    "/conversations/<conversation_id>/history",
    tags=["audit"],
    summary="A conversation's history: its audit entries, newest first",
    description="For anyone who may read the conversation (404 if it is not the tenant's).",
)
def conversation_history(
    conversation_id: Annotated[str, Path(max_length=64)],
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> AuditPage:
    items, next_cursor = wiring.audit().history(caller(), conversation_id, limit, cursor)
    return AuditPage(items=[AuditEntry.of(e) for e in items], next_cursor=next_cursor)
