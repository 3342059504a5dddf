"""`/inbox/ai/try` (admins): what the AI would do with a sample message, before it answers a customer.
Nothing is stored, queued or sent, and no usage is counted (services/ai_try.py)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.ai_try import AiTryIn, AiTryOut
from inbox.models.ai_try import SampleMessage

router = APIGatewayHttpRouter()


@router.post(
    "/ai/try",
    tags=["settings"],
    summary="Try the AI on a sample message: its folder, who decided, and the reply it would write",
    description="The sample is sorted as a new conversation's first message (the folders' rules, then the AI "
    "filter) and, in a folder that answers by itself, the reply is written as the auto-reply would write it, "
    "with whether automatic mode would send it or hold it. Nothing is stored, queued or sent; the loop guard's "
    "rules that depend on history are listed in `not_checked`. No model or no company prompt: the answer says "
    "so (`not_configured`); the model down: 503.",
)
def try_ai(sample: Annotated[AiTryIn, Body()]) -> AiTryOut:
    who = require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))
    result = wiring.ai_try().run(who, SampleMessage.model_validate(sample.model_dump()))
    return AiTryOut.model_validate(result.model_dump())
