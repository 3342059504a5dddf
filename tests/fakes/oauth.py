"""An OAuth 2.0 token endpoint on loopback: the refresh-token grant, as Google and Microsoft answer it."""

from __future__ import annotations

import json
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import Any

from local.loopback import LoopbackServer, quiet_handler


class TokenEndpoint:
    """Exchanges one known refresh token for `access_token`; records each request; can be told to refuse."""

    def __init__(
        self, client_id: str, client_secret: str, refresh_token: str, access_token: str, expires_in: int = 3600
    ):
        self.client_id, self.client_secret, self.refresh_token = client_id, client_secret, refresh_token
        self.access_token, self.expires_in = access_token, expires_in
        self.requests: list[dict[str, str]] = []
        self.revoked = False
        self._server = LoopbackServer(quiet_handler(self._handle, methods=("POST",)))
        self.url = f"{self._server.url}/token"

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", 0))
        form = dict(urllib.parse.parse_qsl(handler.rfile.read(length).decode()))
        self.requests.append(form)
        status, answer = self.answer(form)
        body = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def answer(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != "refresh_token":
            return 400, {"error": "unsupported_grant_type"}
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        if self.revoked or form.get("refresh_token") != self.refresh_token:
            return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        return 200, {"access_token": self.access_token, "expires_in": self.expires_in, "token_type": "Bearer"}

    def close(self) -> None:
        self._server.close()
