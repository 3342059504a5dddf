"""Vonage's webhooks over HTTP: the SMS API's (GET or POST, form or JSON) and the Messages API's.

Each answers 200 once the message is stored (Vonage retries anything else), and verifies the raw
bytes before the payload is trusted. Kept apart from the API's resolver so the webhook functions
load neither the API's schemas nor its routes.
"""

from __future__ import annotations

import json
import urllib.parse

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types

from inbox import wiring
from inbox.errors import InvalidInputError
from inbox.http import errors, raw_body
from inbox.services.vonage_webhooks import Outcome, json_object

PREFIX = "/inbox/webhooks"


def sms_app() -> APIGatewayHttpResolver:
    """`GET|POST /inbox/webhooks/sms`: the SMS API's inbound messages, or the Messages API's for SMS."""
    app = APIGatewayHttpResolver()
    errors.register(app)

    @app.get(f"{PREFIX}/sms")
    def sms_by_query() -> Response:
        raw = (app.current_event.raw_query_string or "").encode()
        return answer(wiring.vonage_webhooks().receive_sms(_pairs(raw), raw))

    @app.post(f"{PREFIX}/sms")
    def sms_by_body() -> Response:
        event = app.current_event
        raw = raw_body(event)
        authorization = event.headers.get("authorization")
        if (authorization or "").strip().lower().startswith("bearer "):
            # The Messages API, pointed at this URL for SMS: its token is checked before the body is read.
            return answer(wiring.vonage_webhooks().receive_message(raw, authorization))
        if "json" not in (event.headers.get("content-type") or ""):
            return answer(wiring.vonage_webhooks().receive_sms(_pairs(raw), raw))
        document = json_object(raw)
        params = {key: value if isinstance(value, str) else json.dumps(value) for key, value in document.items()}
        return answer(wiring.vonage_webhooks().receive_sms(params, raw))

    return app


def messages_app() -> APIGatewayHttpResolver:
    """`POST /inbox/webhooks/whatsapp` (inbound, any Messages API channel) and `/inbox/webhooks/status`."""
    app = APIGatewayHttpResolver()
    errors.register(app)

    @app.post(f"{PREFIX}/whatsapp")
    def inbound() -> Response:
        event = app.current_event
        return answer(wiring.vonage_webhooks().receive_message(raw_body(event), event.headers.get("authorization")))

    @app.post(f"{PREFIX}/status")
    def status() -> Response:
        event = app.current_event
        return answer(wiring.vonage_webhooks().receive_status(raw_body(event), event.headers.get("authorization")))

    return app


def answer(outcome: Outcome) -> Response:
    body = {"result": outcome.result, "message_id": outcome.message_id, "conversation_id": outcome.conversation_id}
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON, body=json.dumps(body))


def _pairs(raw: bytes) -> dict[str, str]:
    try:
        pairs = urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError as error:
        raise InvalidInputError("body", "is not UTF-8") from error
    return dict(pairs)
