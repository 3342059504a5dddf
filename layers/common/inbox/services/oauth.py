"""Access tokens for XOAUTH2 (Gmail, Microsoft 365), from a refresh token at the provider's endpoint.

A token is kept, sealed, on the integration until shortly before it expires, so a sync every
minute does not ask the provider every minute. A provider that rotates refresh tokens gets the
new one kept too.
"""

from __future__ import annotations

import http.client
import json
import ssl
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from inbox.adapters.outbound import Destinations, http_connection, parse_url
from inbox.errors import PermanentError, TransientError
from inbox.models import Integration
from inbox.models.integration_settings import OAuthClient

EARLY = timedelta(minutes=2)  # refresh before expiry, not after a failed login
# Whatever keeps a URL from being a working token endpoint (unknown, refused, silent, not TLS, not
# OAuth) is said in these words, so that a mailbox's token URL cannot be used to scan ports.
UNAVAILABLE = "could not get an access token from the token endpoint (check its URL)"


class OAuthError(Exception):
    """Base of what getting an access token can do wrong."""


class OAuthRefusedError(OAuthError, PermanentError):
    """The provider refused the refresh token: the mailbox must be connected again."""


class OAuthUnavailableError(OAuthError, TransientError):
    """The token endpoint did not answer, or not usefully: try again later."""


class OAuthSupersededError(OAuthError, TransientError):
    """The integration was changed (a moved server, a new refresh token) while a token was being got
    for it as it was: that token is dropped, and the next try uses the settings as they are now."""


@dataclass(frozen=True)
class Grant:
    access_token: str
    expires_at: datetime
    refresh_token: str | None  # a rotated one, when the provider issues it


# What a token endpoint may say is wrong (RFC 6749, 5.2), in our words: its own are never repeated.
REFUSALS = {
    "invalid_grant": "the refresh token is expired or revoked",
    "invalid_client": "the client id or secret is not accepted",
    "unauthorized_client": "the client may not use refresh tokens",
    "invalid_scope": "the scope is not accepted",
    "invalid_request": "the request was not accepted",
    "unsupported_grant_type": "refresh tokens are not supported",
}


def post_form(
    url: str, form: dict[str, str], destinations: Destinations, timeout: float = 10
) -> tuple[int, dict[str, Any]]:
    """POST `form` to a token endpoint through the outbound guard; a redirect is an answer like
    any other, never followed (it would carry the refresh token elsewhere)."""
    target = parse_url(url, destinations)
    connection = http_connection(target, destinations, timeout)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    try:
        connection.request("POST", target.target, body=urllib.parse.urlencode(form).encode(), headers=headers)
        response = connection.getresponse()
        status, body = response.status, response.read(1_000_000)
    except ssl.SSLCertVerificationError as error:  # only a TLS server can show a certificate
        raise OAuthUnavailableError("the TLS certificate of the token endpoint is not trusted") from error
    except (OSError, http.client.HTTPException) as error:
        raise OAuthUnavailableError(UNAVAILABLE) from error
    finally:
        connection.close()
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        answer = {}
    return status, answer if isinstance(answer, dict) else {}


def exchange(
    oauth: OAuthClient,
    client_secret: str | None,
    refresh_token: str,
    now: datetime,
    post: Callable[[str, dict[str, str]], tuple[int, dict[str, Any]]],
) -> Grant:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": oauth.client_id}
    if client_secret:
        form["client_secret"] = client_secret
    if oauth.scope:
        form["scope"] = oauth.scope
    status, answer = post(oauth.token_url, form)
    if status in (400, 401) and answer.get("error"):  # the provider said what is wrong: retrying will not help
        reason = REFUSALS.get(str(answer["error"]), "refused")
        raise OAuthRefusedError(f"the provider refused the mailbox's authorisation ({reason}); connect it again")
    if 300 <= status < 400:
        raise OAuthRefusedError("the token endpoint answered with a redirect, which is not followed; check its URL")
    if status != 200 or "access_token" not in answer:
        raise OAuthUnavailableError(UNAVAILABLE)
    return Grant(
        answer["access_token"],
        now + timedelta(seconds=int(answer.get("expires_in", 3600))),
        answer.get("refresh_token"),
    )


class Secrets(Protocol):
    def secret(self, integration: Integration, field: str) -> str: ...
    def seal(self, integration: Integration, secrets: dict[str, str]) -> dict[str, str]: ...


class TokenStore(Protocol):
    def save_access_token(self, integration: Integration, sealed: dict[str, str], expires_at: datetime) -> bool:
        """Store the token only if `integration` is unchanged since it was read; False when it was not."""
        ...


class AccessTokens:
    def __init__(
        self,
        store: TokenStore,
        secrets: Secrets,
        destinations: Destinations,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._store = store
        self._secrets = secrets
        self._post = lambda url, form: post_form(url, form, destinations)
        self._clock = clock
        # This warm function's latest token per integration and refresh token: a mailbox connected
        # again (another provider, another server) never gets the token of the one before.
        self._fresh: dict[tuple[str, str], Grant] = {}

    def token(self, integration: Integration) -> str:
        oauth, now = integration.settings.oauth, self._clock()
        known = self._fresh.get((integration.id, integration.secrets.get("oauth_refresh_token", "")))
        if known and known.expires_at - now > EARLY:  # the integration read earlier predates it
            return known.access_token
        expires = oauth.access_token_expires_at
        if "oauth_access_token" in integration.secrets and expires and expires - now > EARLY:
            return self._secrets.secret(integration, "oauth_access_token")
        client_secret = (
            self._secrets.secret(integration, "oauth_client_secret")
            if "oauth_client_secret" in integration.secrets
            else None
        )
        grant = exchange(
            oauth, client_secret, self._secrets.secret(integration, "oauth_refresh_token"), now, self._post
        )
        fresh = {"oauth_access_token": grant.access_token}
        if grant.refresh_token:
            fresh["oauth_refresh_token"] = grant.refresh_token
        sealed = self._secrets.seal(integration, fresh)
        if not self._store.save_access_token(integration, sealed, grant.expires_at):
            # An admin changed the integration meanwhile (perhaps its host, with a refresh token of
            # their own): this token, and any rotated refresh token, belong to the settings before.
            # Neither is stored, kept here or used.
            raise OAuthSupersededError("the mailbox's settings changed while its access token was renewed; try again")
        refresh = sealed.get("oauth_refresh_token") or integration.secrets.get("oauth_refresh_token", "")
        self._fresh[(integration.id, refresh)] = grant
        return grant.access_token
