"""API Gateway's management API of the WebSocket API: what the fan-out posts to a connection.

The endpoint is the WebSocket API's stage URL in its HTTPS form (`wss://<api>.execute-api.<region>.
amazonaws.com/<stage>` is posted to at `https://...`); the local stack serves the same API."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from inbox.errors import InboxError, TransientError


class ConnectionGoneError(InboxError):
    """API Gateway no longer knows the connection (410): the socket closed without a $disconnect
    we saw, or its two hours ran out."""


def management_endpoint(websocket_endpoint: str) -> str:
    """The management API's URL for the WebSocket API's stage URL (`wss:` -> `https:`, `ws:` -> `http:`)."""
    scheme, separator, rest = websocket_endpoint.partition("://")
    if not separator or scheme not in ("wss", "ws", "https", "http"):
        raise ValueError(f"not a WebSocket URL: {websocket_endpoint!r}")
    return {"wss": "https", "ws": "http"}.get(scheme, scheme) + "://" + rest.rstrip("/")


class ConnectionsApi:
    def __init__(self, client: Any):
        self._client = client

    def post(self, connection_id: str, data: bytes) -> None:
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=data)
        except ClientError as error:
            status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if error.response.get("Error", {}).get("Code") == "GoneException" or status == 410:
                raise ConnectionGoneError(connection_id) from error
            raise TransientError(f"post_to_connection: {error.response.get('Error', {}).get('Code')}") from error
        except BotoCoreError as error:
            raise TransientError(f"post_to_connection: {type(error).__name__}") from error
