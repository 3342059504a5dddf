"""What each kind of integration keeps besides its secrets: a mailbox's servers, a Vonage account's
numbers and keys, nothing for a custom webhook. Checked when stored and when read back.

Each model is what the table holds: the HTTP schemas check what a person may give (lengths, hosts
the deployment connects to) and hand over one of these.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_serializer

TlsMode = Literal["implicit", "starttls", "none"]
MailAuth = Literal["password", "xoauth2"]  # with xoauth2 both servers log in with an access token
SignatureMethod = Literal["md5hash", "md5", "sha1", "sha256", "sha512"]


class StoredSettings(BaseModel):
    # A field no longer used (a Vonage `api_base_url` from before the deployment chose Vonage's host)
    # must not make an item unreadable: it is left out when read.
    model_config = ConfigDict(extra="ignore")

    def as_stored(self) -> dict[str, Any]:
        """The fields it was given, as JSON: how the table keeps them and how the API shows them.
        A field an older item lacks stays absent (it means its default), so an item reads and writes
        back as it was."""
        return self.model_dump(mode="json", exclude_unset=True)

    def with_changes(self, changes: Mapping[str, Any]) -> Self:
        """These settings with whole fields replaced (`{"imap": ...}`), checked again."""
        return self.model_validate({**self.model_dump(exclude_unset=True), **changes})


class MailServer(StoredSettings):
    host: str
    port: int
    tls: TlsMode
    username: str
    ca_cert: str | None = Field(None, description="PEM of a private certificate authority.")
    auth: MailAuth = "password"


class ImapServer(MailServer):
    folders: list[str] = Field(default_factory=lambda: ["INBOX"])
    sent_folder: str | None = Field(None, description="Also read; replies are filed there too.")


class OAuthClient(StoredSettings):
    """Where a mailbox's access tokens come from (the refresh token and client secret are secrets)."""

    token_url: str
    client_id: str
    scope: str | None = None
    # Set by the store when it keeps an access token, beside the token's sealed copy.
    access_token_expires_at: datetime | None = None

    @field_serializer("access_token_expires_at", when_used="json")
    def _as_written(self, at: datetime | None) -> str | None:
        return at.isoformat() if at else None  # as the store writes it (`+00:00`, not `Z`)


class EmailSettings(StoredSettings):
    address: str
    imap: ImapServer
    smtp: MailServer
    oauth: OAuthClient | None = None
    initial_sync_days: int = 14
    sync_interval_seconds: int = 60  # never set by the API: the schedule's pace for every mailbox


class WhatsAppTemplate(StoredSettings):
    """A message template the tenant had approved in WhatsApp Business: once the 24-hour window is
    closed, only these reach the customer. `text` is its body as approved, `{{1}}` for the first
    parameter; it is what a person previews and what the sent message is stored as."""

    name: str = Field(description="As approved; WhatsApp's namespace, a colon and the name, if Vonage asks for one.")
    locale: str = Field(description="BCP 47, e.g. fr-FR: the language it was approved in.")
    parameters: int = 0
    text: str


class VonageSettings(StoredSettings):
    sms_numbers: list[str] = Field(default_factory=list)
    whatsapp_numbers: list[str] = Field(default_factory=list)
    api_key: str
    application_id: str | None = None
    signature_method: SignatureMethod = "md5hash"
    whatsapp_templates: list[WhatsAppTemplate] = Field(default_factory=list)
    # Issue 16: the WhatsApp Business Account whose approved templates Vonage lists (typed ones stay a fallback).
    whatsapp_business_account_id: str | None = None


class CustomSettings(StoredSettings):
    """A custom webhook keeps only its secret."""


type IntegrationSettings = EmailSettings | VonageSettings | CustomSettings
IntegrationKind = Literal["email", "vonage", "custom"]
SETTINGS_OF_KIND: dict[str, type[StoredSettings]] = {
    "email": EmailSettings,
    "vonage": VonageSettings,
    "custom": CustomSettings,
}
