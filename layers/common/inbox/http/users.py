"""`/inbox/users`: the people of the caller's tenant (whom a conversation can be assigned to)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.users import UserList, UserOut

router = APIGatewayHttpRouter()


@router.get(
    "/users",
    tags=["users"],
    summary="The people of the tenant, by name",
    description="From the user pool: each person's id (what `assignee_id` holds), name, email, role and "
    "whether they are enabled. Every signed-in person may read it (agents assign too).",
)
def list_users() -> UserList:
    who = principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)
    return UserList(items=[UserOut.of(p) for p in wiring.people().list(who)])
