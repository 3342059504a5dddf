"""Cognito ID tokens checked where no API Gateway authorizer can: a browser opening a WebSocket
cannot set an Authorization header, so the token comes in the query string of $connect.

The checks are the HTTP API JWT authorizer's (local/jwt_authorizer.py does the same for the local
gateway): RS256 only, signature against the pool's JWKS, `iss`, `exp` (and `nbf`, `iat`), and the
app client in `aud` or `client_id`. Key sets are cached, and fetched again for an unknown `kid`."""

from __future__ import annotations

import re
from typing import Any

import jwt

from inbox.errors import UnauthorizedError

_COGNITO_ISSUER = re.compile(r"https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool>[\w-]+)/?")


def jwks_url(issuer: str, endpoint_url: str | None = None) -> str:
    """Where the issuer's keys are: `<issuer>/.well-known/jwks.json`, or, where AWS is another
    endpoint (moto in the local stack and the tests), that endpoint's, as boto3 reaches Cognito there."""
    match = _COGNITO_ISSUER.fullmatch(issuer)
    if match and endpoint_url:
        return f"{endpoint_url.rstrip('/')}/{match.group('pool')}/.well-known/jwks.json"
    return issuer.rstrip("/") + "/.well-known/jwks.json"


class IdTokenVerifier:
    def __init__(self, issuer: str, audience: str, endpoint_url: str | None = None):
        self.issuer = issuer
        self.audience = audience
        self._keys = jwt.PyJWKClient(jwks_url(issuer, endpoint_url), cache_keys=True, lifespan=300, timeout=5)

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims; UnauthorizedError if any check fails (the reason is for the logs only)."""
        try:
            if jwt.get_unverified_header(token).get("alg") != "RS256":
                raise UnauthorizedError("only RS256 tokens are accepted")
            key = self._keys.get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as error:
            raise UnauthorizedError(f"token refused: {error}") from None
        audiences = claims.get("aud", [])
        audiences = [audiences] if isinstance(audiences, str) else list(audiences)
        if self.audience not in [*audiences, claims.get("client_id")]:
            raise UnauthorizedError("token refused: audience not accepted")
        return claims
