"""`/inbox/integrations`: a tenant's channels, admin only; secrets go in and never come out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.errors import InboxError
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.integrations import (
    ConnectionCheck,
    EmailIntegrationIn,
    IntegrationIn,
    IntegrationOut,
    IntegrationUpdate,
    SyncRequested,
)
from inbox.models import Integration, Principal
from inbox.services.integrations import check_bound

router = APIGatewayHttpRouter()


def admin() -> Principal:
    return require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))


def out(integration: Integration) -> IntegrationOut:
    return IntegrationOut.of(integration, wiring.integrations().sync_state(integration))


@router.get("/integrations", tags=["integrations"], summary="Integrations of the tenant")
def list_integrations() -> list[IntegrationOut]:
    return [out(i) for i in wiring.integrations().list(admin())]


@router.post("/integrations", tags=["integrations"], status_code=201, summary="Connect a channel")
def create_integration(new: Annotated[IntegrationIn, Body()]) -> IntegrationOut:
    who = admin()
    if new.kind == "vonage":
        from inbox.services.vonage_channel import check_numbers

        check_numbers(new.settings(), new.secrets()["api_secret"], wiring.vonage_account())
    return out(wiring.integrations().create(who, new.kind, new.name, new.settings(), new.secrets()))


@router.post(
    "/integrations/test",
    tags=["integrations"],
    summary="Try a mailbox's IMAP and SMTP settings without saving anything",
)
def test_connection(settings: Annotated[EmailIntegrationIn, Body()]) -> ConnectionCheck:
    from inbox.services.email_channel import check_connection
    from inbox.services.oauth import exchange, post_form

    admin()
    destinations = wiring.destinations()
    secrets = settings.secrets()
    imap_secret, smtp_secret = secrets.get("imap_password"), secrets.get("smtp_password")
    if settings.oauth is not None and settings.auth == "xoauth2":
        try:
            grant = exchange(
                settings.oauth.settings(),
                secrets.get("oauth_client_secret"),
                secrets["oauth_refresh_token"],
                datetime.now(UTC),
                lambda url, form: post_form(url, form, destinations),
            )
        except InboxError as error:
            return ConnectionCheck(imap_ok=False, imap_error=str(error), smtp_ok=False, smtp_error=str(error))
        imap_secret = smtp_secret = grant.access_token
    servers = settings.settings()
    report = check_connection(
        servers.imap,
        imap_secret or "",
        servers.smtp,
        smtp_secret or "",
        wiring.mailbox_opener(),
        wiring.smtp_login_check(),
    )
    return ConnectionCheck(
        imap_ok=report["imap"] is None,
        imap_error=report["imap"],
        smtp_ok=report["smtp"] is None,
        smtp_error=report["smtp"],
    )


@router.get("/integrations/<integration_id>", tags=["integrations"], summary="One integration, with its sync")
def get_integration(integration_id: Annotated[str, Path(max_length=64)]) -> IntegrationOut:
    return out(wiring.integrations().get(admin(), integration_id))


@router.post(
    "/integrations/<integration_id>/sync",
    tags=["integrations"],
    status_code=202,
    summary="Sync a mailbox now; its progress shows on the integration",
)
def sync_integration(integration_id: Annotated[str, Path(max_length=64)]) -> SyncRequested:
    wiring.integrations().request_sync(admin(), integration_id)
    return SyncRequested(queued=True)


@router.put(
    "/integrations/<integration_id>",
    tags=["integrations"],
    summary="Rename, change a mailbox's servers or passwords, or rotate a webhook secret",
)
def update_integration(
    integration_id: Annotated[str, Path(max_length=64)], change: IntegrationUpdate
) -> IntegrationOut:
    who = admin()
    current = wiring.integrations().get(who, integration_id)
    settings, secrets = change.for_kind(current.kind, current.settings)
    # Before any stored secret is used: a changed api_key without its secret must not take the
    # stored secret to Vonage under the new key (the number check below would).
    check_bound(current, settings, secrets)
    if current.kind == "vonage" and ({"sms_numbers", "api_key"} & set(settings) or "api_secret" in secrets):
        from inbox.services.vonage_channel import check_numbers

        secret = secrets.get("api_secret") or wiring.integrations().secret(current, "api_secret")
        check_numbers(current.settings.with_changes(settings), secret, wiring.vonage_account(), "vonage.sms_numbers")
    return out(wiring.integrations().update(who, integration_id, change.name, settings, secrets))


@router.delete("/integrations/<integration_id>", tags=["integrations"], summary="Disconnect a channel")
def delete_integration(integration_id: Annotated[str, Path(max_length=64)]) -> Response[None]:
    wiring.integrations().delete(admin(), integration_id)
    return Response(status_code=204)
