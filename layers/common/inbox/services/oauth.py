"""Access tokens for XOAUTH2 (Gmail, Microsoft 365), from a refresh token at the provider's endpoint.

A token is kept, sealed, on the integration until shortly before it expires, so a sync every
minute does not ask the provider every minute. A provider that rotates refresh tokens gets the
new one kept too.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from inbox.errors import PermanentError, TransientError
from inbox.models import Integration

EARLY = timedelta(minutes=2)  # refresh before expiry, not after a failed login


class OAuthError(Exception):
    """Base of what getting an access token can do wrong."""


class OAuthRefusedError(OAuthError, PermanentError):
    """The provider refused the refresh token: the mailbox must be connected again."""


class OAuthUnavailableError(OAuthError, TransientError):
    """The token endpoint did not answer, or not usefully: try again later."""


@dataclass(frozen=True)
class Grant:
    access_token: str
    expires_at: datetime
    refresh_token: str | None  # a rotated one, when the provider issues it


def post_form(url: str, form: dict[str, str], timeout: float = 10) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - the URL was checked to be https (or loopback)
        url,
        data=urllib.parse.urlencode(form).encode(),
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise OAuthUnavailableError(f"the token endpoint did not answer: {error}") from error


def exchange(
    oauth: dict[str, Any],
    client_secret: str | None,
    refresh_token: str,
    now: datetime,
    post: Callable[..., tuple[int, dict[str, Any]]] = post_form,
) -> Grant:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": oauth["client_id"]}
    if client_secret:
        form["client_secret"] = client_secret
    if oauth.get("scope"):
        form["scope"] = oauth["scope"]
    status, answer = post(oauth["token_url"], form)
    if status in (400, 401) and answer.get("error"):  # the provider said what is wrong: retrying will not help
        reason = answer.get("error_description") or answer["error"]
        raise OAuthRefusedError(f"the provider refused the mailbox's authorisation ({reason}); connect it again")
    if status != 200 or "access_token" not in answer:
        raise OAuthUnavailableError(f"the token endpoint answered {status}")
    return Grant(
        answer["access_token"],
        now + timedelta(seconds=int(answer.get("expires_in", 3600))),
        answer.get("refresh_token"),
    )


class Secrets(Protocol):
    def secret(self, integration: Integration, field: str) -> str: ...
    def seal(self, integration: Integration, secrets: dict[str, str]) -> dict[str, str]: ...


class TokenStore(Protocol):
    def save_access_token(self, integration: Integration, sealed: dict[str, str], expires_at: datetime) -> None: ...


class AccessTokens:
    def __init__(
        self,
        store: TokenStore,
        secrets: Secrets,
        post: Callable[..., tuple[int, dict[str, Any]]] = post_form,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._store = store
        self._secrets = secrets
        self._post = post
        self._clock = clock
        self._fresh: dict[str, Grant] = {}  # this warm function's latest token per integration

    def token(self, integration: Integration) -> str:
        oauth, now = integration.settings["oauth"], self._clock()
        known = self._fresh.get(integration.id)
        if known and known.expires_at - now > EARLY:  # the integration read earlier predates it
            return known.access_token
        expires = oauth.get("access_token_expires_at")
        if "oauth_access_token" in integration.secrets and expires and datetime.fromisoformat(expires) - now > EARLY:
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
        self._store.save_access_token(integration, self._secrets.seal(integration, fresh), grant.expires_at)
        self._fresh[integration.id] = grant
        return grant.access_token
