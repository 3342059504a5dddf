"""`/inbox/webhooks`: the tenant's outbound webhooks (admins), their delivery log and a test event."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.outbound_webhooks import (
    DeliveryList,
    DeliveryOut,
    WebhookChangeIn,
    WebhookCreatedOut,
    WebhookIn,
    WebhookList,
    WebhookOut,
)
from inbox.models import Principal

router = APIGatewayHttpRouter()
WebhookId = Annotated[str, Path(max_length=64)]


def admin() -> Principal:
    return require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))


@router.get("/webhooks", tags=["webhooks"], summary="The tenant's outbound webhooks (admins)")
def list_webhooks() -> WebhookList:
    return WebhookList(items=[WebhookOut.of(w) for w in wiring.outbound_webhooks().list(admin())])


@router.post(
    "/webhooks",
    tags=["webhooks"],
    status_code=201,
    summary="Register an outbound webhook (admins)",
    description="The answer holds the signing secret, shown this once. 422 on `url` when it is not https or "
    "points to a private, loopback or metadata address; 409 past 10 webhooks.",
)
def create_webhook(webhook: Annotated[WebhookIn, Body()]) -> WebhookCreatedOut:
    created, secret = wiring.outbound_webhooks().create(
        admin(), webhook.url, webhook.events, webhook.description, webhook.enabled
    )
    return WebhookCreatedOut(**WebhookOut.of(created).model_dump(), secret=secret)


@router.patch("/webhooks/<webhook_id>", tags=["webhooks"], summary="Change a webhook's URL, events or state (admins)")
def update_webhook(webhook_id: WebhookId, change: Annotated[WebhookChangeIn, Body()]) -> WebhookOut:
    fields = change.model_dump(include=change.model_fields_set)
    return WebhookOut.of(wiring.outbound_webhooks().change(admin(), webhook_id, **fields))


@router.delete("/webhooks/<webhook_id>", tags=["webhooks"], summary="Remove a webhook (admins)")
def delete_webhook(webhook_id: WebhookId) -> Response[None]:
    wiring.outbound_webhooks().delete(admin(), webhook_id)
    return Response(status_code=204)


@router.get(
    "/webhooks/<webhook_id>/deliveries",
    tags=["webhooks"],
    summary="A webhook's delivery log (admins)",
    description="Each event's delivery as its last attempt left it: delivered, retrying (when next) or failed.",
)
def list_deliveries(webhook_id: WebhookId) -> DeliveryList:
    return DeliveryList(items=[DeliveryOut.of(d) for d in wiring.outbound_webhooks().deliveries(admin(), webhook_id)])


@router.post(
    "/webhooks/<webhook_id>/test",
    tags=["webhooks"],
    summary="Send a test event to a webhook now (admins)",
    description="A `webhook.test` event, signed, POSTed once (no retry); the answer is its delivery, also logged.",
)
def test_webhook(webhook_id: WebhookId) -> DeliveryOut:
    return DeliveryOut.of(wiring.outbound_webhooks().send_test(admin(), webhook_id))
