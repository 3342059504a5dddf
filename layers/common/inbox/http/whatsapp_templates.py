"""`/inbox/integrations/{id}/whatsapp-templates` (issue 16, item 5): the templates Vonage lists for a
Vonage integration's WhatsApp Business Account, with their review status; `refresh=true` reads them
from Vonage again. Admins, as the integration itself."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.whatsapp_templates import ListedTemplatesOut

router = APIGatewayHttpRouter()


@router.get(
    "/integrations/<integration_id>/whatsapp-templates",
    tags=["integrations"],
    summary="The WhatsApp templates Vonage lists for this integration, approved or not",
    description="Read from Vonage's WhatsApp Template Management API on the first look and when `refresh` "
    "is true, then kept. Only APPROVED ones can be sent. Empty, with `listed: false`, when the integration "
    "names no WhatsApp Business Account (`vonage.whatsapp_business_account_id`). A 503 when Vonage does not "
    "answer; a 422 on `whatsapp_business_account_id` when it refuses.",
)
def list_whatsapp_templates(
    integration_id: Annotated[str, Path(max_length=64)],
    refresh: Annotated[bool, Query(description="Read the list from Vonage again.")] = False,
) -> ListedTemplatesOut:
    who = require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))
    listed = wiring.whatsapp_templates().listed(who, integration_id, refresh)
    return ListedTemplatesOut.of(listed)
