"""`/inbox/me`: who the token says the caller is."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox.http.auth import principal_from_claims
from inbox.http.schemas.me import MeOut

router = APIGatewayHttpRouter()


@router.get("/me", tags=["me"], summary="The signed-in user, their tenant and role")
def me() -> MeOut:
    return MeOut.of(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))
