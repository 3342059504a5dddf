"""`/inbox/integrations`: a tenant's channels, admin only; secrets go in and never come out."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas import CustomIntegrationIn, IntegrationOut, IntegrationUpdate
from inbox.models import Principal

router = APIGatewayHttpRouter()


def admin() -> Principal:
    return require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))


@router.get("/integrations", tags=["integrations"], summary="Integrations of the tenant")
def list_integrations() -> list[IntegrationOut]:
    return [IntegrationOut.of(i) for i in wiring.integrations().list(admin())]


@router.post("/integrations", tags=["integrations"], status_code=201, summary="Connect a channel")
def create_integration(new: CustomIntegrationIn) -> IntegrationOut:
    created = wiring.integrations().create(
        admin(), kind=new.kind, name=new.name, settings={}, secrets={"secret": new.secret.get_secret_value()}
    )
    return IntegrationOut.of(created)


@router.get("/integrations/<integration_id>", tags=["integrations"], summary="One integration")
def get_integration(integration_id: Annotated[str, Path(max_length=64)]) -> IntegrationOut:
    return IntegrationOut.of(wiring.integrations().get(admin(), integration_id))


@router.put("/integrations/<integration_id>", tags=["integrations"], summary="Rename or rotate a secret")
def update_integration(
    integration_id: Annotated[str, Path(max_length=64)], change: IntegrationUpdate
) -> IntegrationOut:
    secrets = {"secret": change.secret.get_secret_value()} if change.secret else {}
    updated = wiring.integrations().update(admin(), integration_id, change.name, {}, secrets)
    return IntegrationOut.of(updated)


@router.delete("/integrations/<integration_id>", tags=["integrations"], summary="Disconnect a channel")
def delete_integration(integration_id: Annotated[str, Path(max_length=64)]) -> Response[None]:
    wiring.integrations().delete(admin(), integration_id)
    return Response(status_code=204)
