"""The HTTP API JWT authorizer: a route's token checked as the managed authorizer checks it."""

from __future__ import annotations

import re
import threading
from typing import Any

import jwt

from .function_specs import JwtAuthorizer
from .http_events import Request, token_scopes


class UnauthorizedError(Exception):
    """No token the authorizer accepts: API Gateway answers 401."""


class ForbiddenError(Exception):
    """A valid token without the route's scopes: API Gateway answers 403."""


_COGNITO_ISSUER = re.compile(r"https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool>[\w-]+)/?")


class JwtVerifier:
    """Checks a token like the HTTP API JWT authorizer: RS256 signature against the issuer's JWKS,
    `iss`, `aud` or `client_id` in the audience, `exp`, `nbf`, `iat`, then the route's scopes.

    A Cognito issuer's JWKS is fetched from the local endpoint (moto serves it at
    `<endpoint>/<pool id>/.well-known/jwks.json`); key sets are cached and refetched for an unknown kid.
    """

    def __init__(self, endpoint_url: str | None):
        self.endpoint_url = endpoint_url.rstrip("/") if endpoint_url else None
        self._clients: dict[str, jwt.PyJWKClient] = {}
        self._lock = threading.Lock()

    def jwks_url(self, issuer: str) -> str:
        match = _COGNITO_ISSUER.fullmatch(issuer)
        if match and self.endpoint_url:
            return f"{self.endpoint_url}/{match.group('pool')}/.well-known/jwks.json"
        return issuer.rstrip("/") + "/.well-known/jwks.json"

    def _client(self, issuer: str) -> jwt.PyJWKClient:
        url = self.jwks_url(issuer)
        with self._lock:
            if url not in self._clients:
                self._clients[url] = jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)
            return self._clients[url]

    def verify(self, token: str, authorizer: JwtAuthorizer, scopes: list[str]) -> dict[str, Any]:
        try:
            if jwt.get_unverified_header(token).get("alg") != "RS256":
                raise UnauthorizedError("only RS256 tokens are accepted")
            key = self._client(authorizer.issuer).get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=authorizer.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as error:
            raise UnauthorizedError(str(error)) from None
        audiences = claims.get("aud", [])
        audiences = [audiences] if isinstance(audiences, str) else list(audiences)
        if claims.get("client_id"):
            audiences.append(claims["client_id"])
        if not set(audiences) & set(authorizer.audience):
            raise UnauthorizedError("audience not accepted")
        if scopes and not set(token_scopes(claims) or []) & set(scopes):
            raise ForbiddenError("scope not granted")
        return claims


def identity_token(request: Request, authorizer: JwtAuthorizer) -> str | None:
    source = authorizer.identity_source.split(",")[0].strip()
    if not source.startswith("$request.header."):
        return None
    value = (request.header(source.removeprefix("$request.header.")) or "").strip()
    if value.lower() == "bearer" or value[:7].lower() == "bearer ":
        value = value[6:].strip()
    return value or None
