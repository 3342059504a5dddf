"""`/integrations`: mailboxes, Vonage accounts and custom webhooks, as given and as shown."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from inbox.domain.contacts import normalize_email
from inbox.errors import InvalidInputError
from inbox.http.schemas.shared import tenant_url
from inbox.http.schemas.vonage_integration import VONAGE_WEBHOOKS, VonageIntegrationIn, VonageUpdate
from inbox.models import Integration, SyncState
from inbox.models.integration_settings import (
    CustomSettings,
    EmailSettings,
    ImapServer,
    IntegrationSettings,
    MailAuth,
    MailServer,
    OAuthClient,
)


class CustomIntegrationIn(BaseModel):
    """Any service that posts signed JSON to `/inbox/webhooks/custom/{id}`."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["custom"]
    name: str = Field(min_length=1, max_length=100)
    secret: SecretStr = Field(min_length=24, max_length=256, description="HMAC key the sender signs with.")

    def settings(self) -> CustomSettings:
        return CustomSettings()

    def secrets(self) -> dict[str, str]:
        return {"secret": self.secret.get_secret_value()}


class MailServerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=253, description="A host name or an IP address, nothing else.")
    port: int = Field(ge=1, le=65535)
    tls: Literal["implicit", "starttls", "none"] = Field(
        description="`implicit` (993, 465), `starttls` (143, 587); `none` only for a server on this machine."
    )
    username: str = Field(min_length=1, max_length=320)
    password: SecretStr | None = Field(None, min_length=1, max_length=2048, description="Not with XOAUTH2.")
    ca_cert: str | None = Field(None, max_length=50_000, description="PEM of a private certificate authority.")

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        """A name or an address; an address of a class the deployment refuses is refused now, as the
        guard would at connect time (a name is judged when it is resolved)."""
        from inbox.adapters.outbound import Destinations, check_host, refuse_literal

        return refuse_literal(check_host(value), Destinations.from_settings())

    @field_validator("ca_cert")
    @classmethod
    def _readable_certificate(cls, value: str | None) -> str | None:
        import ssl

        if value:
            if not value.isascii():  # ssl would raise TypeError, not ValueError
                raise ValueError("is not a PEM certificate (PEM is ASCII text)")
            try:
                ssl.create_default_context().load_verify_locations(cadata=value)
            except (ssl.SSLError, ValueError) as error:
                raise ValueError("is not a PEM certificate") from error
        return value

    @model_validator(mode="after")
    def _encrypted_unless_local(self) -> Self:
        from inbox.adapters.outbound import is_loopback_host

        if self.tls == "none" and not is_loopback_host(self.host):
            raise ValueError("tls 'none' is only allowed for a loopback host")
        return self

    def settings(self, auth: MailAuth) -> MailServer:
        return MailServer.model_validate(self.model_dump(exclude={"password"}) | {"auth": auth})


class ImapIn(MailServerIn):
    folders: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=lambda: ["INBOX"], min_length=1, max_length=20
    )
    sent_folder: str | None = Field(None, max_length=200, description="Also read what was sent from elsewhere.")

    def settings(self, auth: MailAuth) -> ImapServer:
        return ImapServer.model_validate(self.model_dump(exclude={"password"}) | {"auth": auth})


class OAuthIn(BaseModel):
    """How to get access tokens for XOAUTH2 (Gmail, Microsoft 365): a refresh token and its client."""

    model_config = ConfigDict(extra="forbid")

    token_url: str = Field(max_length=2000, description="The provider's token endpoint (https).")
    client_id: str = Field(min_length=1, max_length=500)
    client_secret: SecretStr | None = Field(None, max_length=2000)
    refresh_token: SecretStr = Field(min_length=1, max_length=8000)
    scope: str | None = Field(None, max_length=2000)

    @field_validator("token_url")
    @classmethod
    def _https(cls, value: str) -> str:
        return tenant_url(value)

    def settings(self) -> OAuthClient:
        return OAuthClient.model_validate(self.model_dump(include={"token_url", "client_id", "scope"}))


class EmailIntegrationIn(BaseModel):
    """A mailbox: read by IMAP every minute, answered by SMTP."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["email"]
    name: str = Field(min_length=1, max_length=100)
    address: str = Field(max_length=320, description="The address customers write to; replies come from it.")
    auth: Literal["password", "xoauth2"] = Field("password", description="How both servers are logged in to.")
    imap: ImapIn
    smtp: MailServerIn
    oauth: OAuthIn | None = Field(None, description="Required with `auth: xoauth2`.")
    initial_sync_days: int = Field(14, ge=1, le=365, description="How far back the first sync reads.")

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        return normalize_email(value, "address")

    @model_validator(mode="after")
    def _credentials(self) -> Self:
        if self.auth == "xoauth2" and self.oauth is None:
            raise ValueError("oauth is required with xoauth2")
        if self.auth == "password":
            for server in ("imap", "smtp"):
                if getattr(self, server).password is None:
                    raise ValueError(f"{server}.password is required")
        return self

    def settings(self) -> EmailSettings:
        return EmailSettings(
            address=self.address,
            imap=self.imap.settings(self.auth),
            smtp=self.smtp.settings(self.auth),
            oauth=self.oauth.settings() if self.oauth else None,
            initial_sync_days=self.initial_sync_days,
        )

    def secrets(self) -> dict[str, str]:
        given = {
            "imap_password": self.imap.password,
            "smtp_password": self.smtp.password,
            "oauth_client_secret": self.oauth and self.oauth.client_secret,
            "oauth_refresh_token": self.oauth and self.oauth.refresh_token,
        }
        return {name: value.get_secret_value() for name, value in given.items() if value}


IntegrationIn = Annotated[CustomIntegrationIn | EmailIntegrationIn | VonageIntegrationIn, Field(discriminator="kind")]
# Pydantic puts the chosen `kind` in an error's location; the caller only needs the field's name.
UNION_TAGS = frozenset(("custom", "email", "vonage"))


class IntegrationUpdate(BaseModel):
    """What changes; everything left out stays. A password left out of `imap`/`smtp` is kept."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=100)
    secret: SecretStr | None = Field(
        None, min_length=24, max_length=256, description="Custom webhooks: rotates the secret."
    )
    imap: ImapIn | None = Field(None, description="Email: the IMAP settings in full.")
    smtp: MailServerIn | None = Field(None, description="Email: the SMTP settings in full.")
    oauth: OAuthIn | None = Field(None, description="Email with XOAUTH2: the token endpoint and refresh token in full.")
    vonage: VonageUpdate | None = Field(None, description="Vonage: numbers, keys and secrets to change.")

    def for_kind(self, kind: str, current: IntegrationSettings) -> tuple[dict, dict[str, str]]:
        """(settings, secrets) to change on an integration of `kind`: the settings' fields replaced whole
        (`{"imap": ImapServer(...)}`); a field of another kind is an error."""
        mail = ("imap", "smtp", "oauth")
        given = self.vonage or self.secret or any(getattr(self, f) for f in mail)
        if (kind == "vonage") != (self.vonage is not None) and given:
            field = "vonage" if self.vonage else next(f for f in (*mail, "secret") if getattr(self, f))
            raise InvalidInputError(field, f"does not apply to a {kind} integration")
        if kind == "vonage":
            return self.vonage.changes(current) if self.vonage else ({}, {})
        if kind == "custom":
            if self.imap or self.smtp or self.oauth:
                field = next(f for f in mail if getattr(self, f))
                raise InvalidInputError(field, "a custom webhook has no mail servers")
            return {}, {"secret": self.secret.get_secret_value()} if self.secret else {}
        if self.secret:
            raise InvalidInputError("secret", "a mailbox has passwords, not a webhook secret")
        settings: dict = {}
        secrets: dict[str, str] = {}
        for server, given in (("imap", self.imap), ("smtp", self.smtp)):
            if given is not None:
                settings[server] = given.settings(current.imap.auth if server == "imap" else current.smtp.auth)
                if given.password:
                    secrets[f"{server}_password"] = given.password.get_secret_value()
        if self.oauth is not None:
            if current.imap.auth != "xoauth2":
                raise InvalidInputError("oauth", "this mailbox logs in with passwords")
            settings["oauth"] = self.oauth.settings()
            secrets["oauth_refresh_token"] = self.oauth.refresh_token.get_secret_value()
            if self.oauth.client_secret:
                secrets["oauth_client_secret"] = self.oauth.client_secret.get_secret_value()
        return settings, secrets


class SyncOut(BaseModel):
    """How a mailbox's sync is going, for the integration's settings page."""

    running: bool
    last_sync_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None = Field(description="Why the last run failed, in words a person can act on.")
    last_imported: int
    imported_total: int
    next_sync_at: datetime

    @classmethod
    def of(cls, state: SyncState) -> SyncOut:
        return cls.model_validate(state.model_dump(include=set(cls.model_fields)))


class IntegrationOut(BaseModel):
    id: str
    kind: str
    name: str
    settings: dict
    secrets_set: dict[str, bool] = Field(description="Which secrets are stored; their values never leave.")
    webhook_path: str | None = None
    vonage_webhooks: dict[str, str] | None = Field(
        None, description="Vonage: the paths to set in its dashboard (SMS inbound, Messages inbound and status)."
    )
    sync: SyncOut | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, integration: Integration, sync: SyncState | None = None) -> IntegrationOut:
        return cls(
            id=integration.id,
            kind=integration.kind,
            name=integration.name,
            settings=integration.settings.as_stored(),
            secrets_set={field: True for field in integration.secrets},
            webhook_path=f"/inbox/webhooks/custom/{integration.id}" if integration.kind == "custom" else None,
            vonage_webhooks=VONAGE_WEBHOOKS if integration.kind == "vonage" else None,
            sync=SyncOut.of(sync) if sync else None,
            created_at=integration.created_at,
            updated_at=integration.updated_at,
        )


class ConnectionCheck(BaseModel):
    """Whether each server accepted the settings; a reason a person can act on where not."""

    imap_ok: bool
    imap_error: str | None
    smtp_ok: bool
    smtp_error: str | None


class SyncRequested(BaseModel):
    queued: bool
