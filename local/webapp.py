"""The web app as the local stack serves it: the built files of `web/dist/` and the `config.json`
that tells the app where the API and the user pool are (moto's Cognito here, answering the browser
directly: moto allows any origin).

On AWS the same `config.json` is written next to the app when it is published, from the stack's
outputs (UserPoolId, UserPoolClientId, the API's URL, https://cognito-idp.<region>.amazonaws.com/).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .http_events import Request, Response, json_response
from .static import static_response

CONFIG_PATH = "/config.json"


def web_dist(root: Path) -> Path:
    """Where `npm run build` (and so `make run`) puts the app."""
    return root / "web" / "dist"


def web_config(info: dict[str, Any]) -> dict[str, str]:
    """config.json of the local stack: the app and the API share the gateway's origin."""
    return {
        "apiBaseUrl": "",
        "websocketUrl": info.get("websocket_url") or "",  # live updates; the app adds ?token=<ID token>
        "region": info.get("region") or "",
        "userPoolId": info.get("user_pool_id") or "",
        "userPoolClientId": info.get("user_pool_client_id") or "",
        "cognitoEndpoint": info.get("aws_endpoint_url") or "",
    }


class WebApp:
    """Answers the paths no API route claims: config.json, else a file of the built app."""

    def __init__(self, dist: Path, config: dict[str, str] | None = None):
        self.dist = dist
        self.config = config

    def respond(self, request: Request) -> Response:
        if request.raw_path == CONFIG_PATH and request.method in ("GET", "HEAD") and self.config:
            return json_response(200, self.config, [("cache-control", "no-store")])
        return static_response(self.dist, request)
