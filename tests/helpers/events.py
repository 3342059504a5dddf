"""Lambda events for the tests: the samples in events/, API requests built on them, and the Lambda context."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from inbox.domain import signatures

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "events"


def load_event(name: str, **placeholders: str) -> dict[str, Any]:
    text = (EVENTS / name).read_text()
    for placeholder, value in placeholders.items():
        text = text.replace(placeholder, value)
    return json.loads(text)


def with_claims(event: dict[str, Any], **claims: str) -> dict[str, Any]:
    event["requestContext"]["authorizer"]["jwt"]["claims"].update(claims)
    return event


def with_body(event: dict[str, Any], body: Any) -> dict[str, Any]:
    event["body"] = body if isinstance(body, str) else json.dumps(body)
    return event


def signed(event: dict[str, Any], secret: str, at: float | None = None) -> dict[str, Any]:
    timestamp = int(time.time() if at is None else at)
    event["headers"]["x-inbox-signature"] = signatures.sign(secret, event["body"].encode(), timestamp)
    return event


def api_request(method: str, path: str, body: Any = None, **claims: str) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event for `method /inbox<path>`, a query string included, as the
    sample admin of tenant-sample unless `claims` say otherwise; `body` is JSON unless it is a string."""
    event = load_event("api/list_integrations.json")
    url = urlsplit(f"/inbox{path}")
    event["rawPath"] = event["requestContext"]["http"]["path"] = url.path
    event["requestContext"]["http"]["method"] = method
    event["pathParameters"] = {"proxy": url.path.removeprefix("/inbox/")}
    if url.query:
        event["rawQueryString"] = url.query
        query: dict[str, str] = {}
        for name, value in parse_qsl(url.query, keep_blank_values=True):  # repeated names: comma-joined, as AWS does
            query[name] = f"{query[name]},{value}" if name in query else value
        event["queryStringParameters"] = query
    if body is not None:
        with_body(event, body)
    return with_claims(event, **claims)


class LambdaContext:
    function_name = "ApiFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:ApiFunction"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 20_000
