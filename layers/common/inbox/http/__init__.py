"""The HTTP side: the API's routers, and the webhooks' small resolvers."""

from __future__ import annotations

import base64


def raw_body(event) -> bytes:
    """The bytes a webhook's sender signed, whether API Gateway passed them as text or base64."""
    body = event.body or ""
    return base64.b64decode(body) if event.is_base64_encoded else body.encode()
