"""An access token stays with the settings it was got for, even when an admin changes them while it
is being got (the real store under moto, the token request to a loopback endpoint)."""

from __future__ import annotations

from typing import Any

import pytest

from fakes.oauth import TokenEndpoint
from inbox import wiring
from inbox.models import Principal, Role
from inbox.services import oauth
from inbox.services.oauth import OAuthSupersededError

ADMIN = Principal(user_id="u1", tenant_id="t-binding", role=Role.ADMIN)


class RotatingEndpoint(TokenEndpoint):
    """A provider that rotates refresh tokens: each grant carries a new, real one."""

    def answer(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        status, answer = super().answer(form)
        return status, answer | ({"refresh_token": "rotated-real-refresh"} if status == 200 else {})


@pytest.fixture
def endpoint():
    endpoint = RotatingEndpoint("inbox-client", "client-secret", "refresh-1", access_token="real-access-token")
    yield endpoint
    endpoint.close()


def server(host: str) -> dict[str, Any]:
    return {"host": host, "port": 993, "tls": "implicit", "username": "support@shop.test", "auth": "xoauth2"}


def oauth_mailbox(endpoint: TokenEndpoint):
    oauth_settings = {"token_url": endpoint.url, "client_id": "inbox-client", "scope": None}
    settings = {
        "address": "support@shop.test",
        "imap": server("imap.shop.test"),
        "smtp": server("smtp.shop.test"),
        "oauth": oauth_settings,
        "initial_sync_days": 14,
    }
    secrets = {"oauth_client_secret": "client-secret", "oauth_refresh_token": "refresh-1"}
    return wiring.integrations().create(ADMIN, "email", "Support", settings, secrets)


def test_oauth_token_renewed_across_a_move_of_the_mailbox_is_dropped_not_stored(aws, endpoint, monkeypatch):
    # GIVEN an XOAUTH2 mailbox, read by a sync that starts renewing its access token
    integration = oauth_mailbox(endpoint)
    read = wiring.integrations().get(ADMIN, integration.id)
    real_post = oauth.post_form

    def post_while_an_admin_moves_the_mailbox(url, form, destinations, timeout=10):
        answer = real_post(url, form, destinations, timeout)
        # WHEN, before the renewed token is stored, an admin moves IMAP elsewhere with a made-up refresh token
        moved = {"token_url": endpoint.url, "client_id": "inbox-client", "scope": None}
        wiring.integrations().update(
            ADMIN,
            integration.id,
            None,
            {"imap": server("imap.attacker.example"), "oauth": moved},
            {"oauth_refresh_token": "made-up"},
        )
        return answer

    monkeypatch.setattr(oauth, "post_form", post_while_an_admin_moves_the_mailbox)
    tokens = wiring.access_tokens()

    # THEN the token got for the settings before is not handed out...
    with pytest.raises(OAuthSupersededError):
        tokens.token(read)
    assert len(endpoint.requests) == 1

    # ...nor stored on the moved integration: neither the access token nor the rotated real refresh token
    after = wiring.integrations().get(ADMIN, integration.id)
    assert after.settings.imap.host == "imap.attacker.example"
    assert "oauth_access_token" not in after.secrets
    assert "access_token_expires_at" not in after.settings.oauth.as_stored()
    assert wiring.integrations().secret(after, "oauth_refresh_token") == "made-up"

    # ...nor remembered: the moved mailbox gets a token only with its own refresh token (refused here)
    monkeypatch.setattr(oauth, "post_form", real_post)
    with pytest.raises(oauth.OAuthRefusedError):
        tokens.token(after)
    assert endpoint.requests[-1]["refresh_token"] == "made-up"


def test_oauth_token_renewed_for_an_unchanged_mailbox_is_stored_with_its_rotated_refresh_token(aws, endpoint):
    integration = oauth_mailbox(endpoint)
    tokens = wiring.access_tokens()

    assert tokens.token(wiring.integrations().get(ADMIN, integration.id)) == "real-access-token"

    after = wiring.integrations().get(ADMIN, integration.id)
    assert wiring.integrations().secret(after, "oauth_access_token") == "real-access-token"
    assert wiring.integrations().secret(after, "oauth_refresh_token") == "rotated-real-refresh"
    assert tokens.token(after) == "real-access-token"
    assert len(endpoint.requests) == 1  # kept until it nears expiry
