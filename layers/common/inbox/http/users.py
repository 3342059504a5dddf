"""`/inbox/users`: the people of the caller's tenant (whom a conversation can be assigned to)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.users import InviteIn, UserChangeIn, UserList, UserOut
from inbox.models import Principal

router = APIGatewayHttpRouter()


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get(
    "/users",
    tags=["users"],
    summary="The people of the tenant, by name",
    description="From the user pool: each person's id (what `assignee_id` holds), name, email, role and "
    "whether they are enabled. Every signed-in person may read it (agents assign too).",
)
def list_users() -> UserList:
    return UserList(items=[UserOut.of(p) for p in wiring.people().list(caller())])


@router.post(
    "/users",
    tags=["users"],
    status_code=201,
    summary="Invite a person to the tenant (admins)",
    description="The pool emails them a temporary password, which they change at their first sign-in. "
    "A person of the tenant invited before who never signed in (the temporary password lasts 7 days) is "
    "invited again: a new password mailed, the role given set. "
    "409 when the email is already another user's (of any tenant; the answer does not say which).",
)
def invite_user(invite: Annotated[InviteIn, Body()]) -> UserOut:
    who = require_admin(caller())
    return UserOut.of(wiring.people().invite(who, invite.email, invite.name.strip(), invite.role))


@router.patch(
    "/users/<user_id>",
    tags=["users"],
    summary="Change a person's role or enable/disable them (admins)",
    description="409 when the change would leave the tenant without an enabled admin; "
    "404 for anyone not of the tenant.",
)
def update_user(user_id: Annotated[str, Path(max_length=64)], change: Annotated[UserChangeIn, Body()]) -> UserOut:
    who = require_admin(caller())
    return UserOut.of(wiring.people().change(who, user_id, role=change.role, enabled=change.enabled))
