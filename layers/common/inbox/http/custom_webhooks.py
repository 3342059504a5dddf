"""`/inbox/webhooks/custom/{integration_id}`: signed JSON from any service.

The signature is checked on the raw bytes before the body is parsed, so this route reads its
body itself instead of letting the resolver validate it first.
"""

from __future__ import annotations

import json
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.domain.signatures import HEADER
from inbox.http import raw_body
from inbox.http.schemas.custom_webhooks import WebhookAccepted

router = APIGatewayHttpRouter()


@router.post(
    "/webhooks/custom/<integration_id>",
    tags=["webhooks"],
    status_code=202,
    summary="Receive a message from a custom integration",
    description=f'Signed with `{HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`; '
    "accepted within 5 minutes of `t`. The same `external_id` twice stores one message.",
    security=[{"InboxSignature": []}],
    enable_validation=False,
)
def receive_custom(integration_id: Annotated[str, Path(max_length=64)]) -> Response[WebhookAccepted]:
    event = router.current_event
    result = wiring.custom_webhooks().receive(integration_id, raw_body(event), event.headers.get(HEADER.lower()))
    accepted = WebhookAccepted(
        message_id=result.message_id, conversation_id=result.conversation_id, duplicate=result.duplicate
    )
    return Response(
        status_code=202, content_type=content_types.APPLICATION_JSON, body=json.dumps(accepted.model_dump(mode="json"))
    )
