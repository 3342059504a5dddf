"""The Vonage channel's events for the tests: webhooks as Vonage delivers them (signed by the fake Vonage), the
webhook functions invoked as Lambda would, the worker's media job."""

from __future__ import annotations

import json
import struct
import urllib.parse
import zlib
from typing import Any

from helpers.events import LambdaContext, load_event, with_body
from local.vonage import FakeVonage
from samples import CUSTOMER, SMS_NUMBER


def create_vonage(api, fake: FakeVonage, **changes: Any) -> tuple[int, Any]:
    """Create the sample Vonage integration on the fake's application; `changes` (None drops a field)."""
    event = load_event("api/create_vonage_integration.json")
    body = json.loads(event["body"]) | {
        "private_key": fake.private_key_pem,
        "application_id": fake.application_id,
    }
    return api(with_body(event, {k: v for k, v in (body | changes).items() if v is not None}))


def invoke(function: str, event: dict[str, Any]) -> tuple[int, Any]:
    """Invoke the SMS ("sms") or WhatsApp webhook function as Lambda would; answers (status, JSON body)."""
    if function == "sms":
        from functions.webhook_sms import app
    else:
        from functions.webhook_whatsapp import app
    response = app.lambda_handler(event, LambdaContext())
    body = response.get("body")
    return response["statusCode"], json.loads(body) if body else None


def sms_event(name: str, params: dict[str, str]) -> dict[str, Any]:
    """A sample SMS API event carrying `params` the way its style carries them."""
    event = load_event(f"webhook_sms/{name}.json")
    if event["requestContext"]["http"]["method"] == "GET":
        event["rawQueryString"] = urllib.parse.urlencode(params)
        event["queryStringParameters"] = params
    elif event["headers"]["content-type"] == "application/json":
        event["body"] = json.dumps(params)
    else:
        event["body"] = urllib.parse.urlencode(params)
    return event


def messages_event(name: str, payload: dict[str, Any] | bytes, fake: FakeVonage, **token: Any) -> dict[str, Any]:
    """A sample Messages API event with `payload`, signed by Vonage (the fake) unless told otherwise."""
    event = load_event(name)
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    event["body"] = body.decode()
    event["headers"]["authorization"] = "Bearer " + fake.sign_messages_jwt(body, **token)
    return event


def media_job_event(job: dict[str, str]) -> dict[str, Any]:
    """The sample SQS event of the Vonage worker, carrying the job the webhook queued."""
    return load_event(
        "vonage_worker/media_job.json",
        TENANT_ID=job["tenant_id"],
        CONVERSATION_ID=job["conversation_id"],
        MESSAGE_ID=job["message_id"],
        RECEIVED_AT=job["received_at"],
    )


def sms(fake: FakeVonage, text: str = "Bonjour, où en est ma commande ?", **kwargs: Any) -> dict[str, str]:
    """An inbound SMS from the customer to the shop's number, signed by the fake."""
    return fake.sms_params(CUSTOMER, SMS_NUMBER, text, **kwargs)


def conversations(api) -> list[dict[str, Any]]:
    """The first page of the sample tenant's conversations, through the API."""
    status, page = api(load_event("api/list_conversations.json"))
    assert status == 200, page
    return page["items"]


def png() -> bytes:
    """The smallest valid PNG: one pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )
