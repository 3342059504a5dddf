"""An OAuth 2.0 token endpoint on loopback: the refresh-token grant, as Google and Microsoft answer it."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class TokenEndpoint:
    """Exchanges one known refresh token for `access_token`; records each request; can be told to refuse."""

    def __init__(
        self, client_id: str, client_secret: str, refresh_token: str, access_token: str, expires_in: int = 3600
    ):
        self.client_id, self.client_secret, self.refresh_token = client_id, client_secret, refresh_token
        self.access_token, self.expires_in = access_token, expires_in
        self.requests: list[dict[str, str]] = []
        self.revoked = False
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                endpoint.requests.append(form)
                status, answer = endpoint.answer(form)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/token"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def answer(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != "refresh_token":
            return 400, {"error": "unsupported_grant_type"}
        if (form.get("client_id"), form.get("client_secret")) != (self.client_id, self.client_secret):
            return 401, {"error": "invalid_client"}
        if self.revoked or form.get("refresh_token") != self.refresh_token:
            return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        return 200, {"access_token": self.access_token, "expires_in": self.expires_in, "token_type": "Bearer"}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
