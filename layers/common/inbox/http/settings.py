"""`/inbox/settings/ai`: which model the tenant's AI features use, the company prompt the replies are
written from and the auto-reply caps (admins); the key never comes back."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.settings import AiSettingsIn, AiSettingsOut
from inbox.models import Principal

router = APIGatewayHttpRouter()


def admin() -> Principal:
    return require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))


@router.get("/settings/ai", tags=["settings"], summary="The AI model in use, and whether a key is set")
def get_ai_settings() -> AiSettingsOut:
    return AiSettingsOut.model_validate(wiring.ai_settings().describe(admin()))


@router.put(
    "/settings/ai",
    tags=["settings"],
    summary="Set the tenant's own OpenAI-compatible key, model or URL, its company prompt or auto-reply caps",
)
def put_ai_settings(change: Annotated[AiSettingsIn, Body()]) -> AiSettingsOut:
    changes = change.model_dump(include=change.model_fields_set)
    if change.api_key is not None:
        changes["api_key"] = change.api_key.get_secret_value()
    return AiSettingsOut.model_validate(wiring.ai_settings().update(admin(), changes))
