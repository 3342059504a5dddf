"""The webhooks face anyone on the internet: what a stranger sends is refused the same way whoever
the number belongs to, and nothing a stranger sends gets a server error.

Through the real functions, with moto and the loopback Vonage fake (see tests/helpers/vonage.py).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from helpers.events import load_event, signed, with_body
from helpers.vonage import conversations, invoke, messages_event, sms_event
from samples import CUSTOMER, SMS_NUMBER, VONAGE_SIGNATURE_SECRET, WEBHOOK_SECRET, WHATSAPP_NUMBER

NOBODYS_NUMBER = "33757999999"
STRANGERS_SECRET = "a-secret-the-sender-guessed-0123456789"
DEEP = 100_000  # brackets: far past what Python's parser can recurse through


def _sms_attempt(fake, to: str) -> tuple[int, Any]:
    fake.signature_secret = STRANGERS_SECRET
    return invoke("sms", sms_event("sms_form", fake.sms_params(CUSTOMER, to, "Is this number a customer's?")))


def _inbound_attempt(fake, to: str) -> tuple[int, Any]:
    payload = fake.whatsapp_inbound(to, CUSTOMER, text="Is this number a customer's?")
    return invoke(
        "whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake, secret=STRANGERS_SECRET)
    )


def _status_attempt(fake, ours: str) -> tuple[int, Any]:
    payload = fake.status("a-uuid-we-never-sent", "delivered", CUSTOMER, ours, "whatsapp")
    return invoke("whatsapp", messages_event("webhook_whatsapp/status.json", payload, fake, secret=STRANGERS_SECRET))


@pytest.mark.parametrize(
    ("attempt", "known_number"),
    [(_sms_attempt, SMS_NUMBER), (_inbound_attempt, WHATSAPP_NUMBER), (_status_attempt, WHATSAPP_NUMBER)],
    ids=["sms_api", "messages_inbound", "messages_status"],
)
def test_a_number_nobody_owns_is_answered_exactly_like_a_bad_signature(
    api, fake, vonage_integration, attempt, known_number
):
    # GIVEN a stranger who signs with a secret they guessed
    # WHEN they write to one of the tenant's numbers, then to a number nobody has
    customers = attempt(fake, known_number)
    nobodys = attempt(fake, NOBODYS_NUMBER)

    # THEN both are refused with the same status and the same words: nothing tells the numbers apart
    assert customers[0] == 401
    assert nobodys == customers
    assert conversations(api) == []


def _dynamodb_requests(attempt: Callable[[], Any]) -> list[str]:
    """The DynamoDB operations the webhook function made while answering `attempt`."""
    from inbox import wiring

    made: list[str] = []

    def record(model, **_: Any) -> None:
        made.append(model.name)

    events = wiring.store()._client.meta.events
    events.register("before-call.dynamodb", record)
    try:
        attempt()
    finally:
        events.unregister("before-call.dynamodb", record)
    return made


@pytest.mark.parametrize(
    ("attempt", "known_number"),
    [(_sms_attempt, SMS_NUMBER), (_inbound_attempt, WHATSAPP_NUMBER), (_status_attempt, WHATSAPP_NUMBER)],
    ids=["sms_api", "messages_inbound", "messages_status"],
)
def test_a_number_nobody_owns_costs_the_reads_a_customers_number_does(
    api, fake, vonage_integration, attempt, known_number
):
    attempt(fake, known_number)  # warm: the function's clients and the secret's cache are built
    customers = _dynamodb_requests(lambda: attempt(fake, known_number))
    nobodys = _dynamodb_requests(lambda: attempt(fake, NOBODYS_NUMBER))
    assert customers  # the number was looked up
    assert nobodys == customers  # the same requests, so the time taken does not tell the numbers apart


def test_an_unknown_custom_integration_costs_the_reads_a_known_one_does(api, custom_integration):
    def attempt(integration_id: str) -> Callable[[], Any]:
        event = load_event("api/custom_webhook.json", INTEGRATION_ID=integration_id)
        return lambda: api(signed(event, STRANGERS_SECRET))

    attempt(custom_integration)()
    known = _dynamodb_requests(attempt(custom_integration))
    assert known
    assert _dynamodb_requests(attempt("not-an-integration")) == known
    assert _dynamodb_requests(attempt("x" * 500)) == known


def test_a_correctly_signed_message_to_a_number_nobody_owns_is_refused_like_a_forgery(api, fake, vonage_integration):
    forged = _sms_attempt(fake, SMS_NUMBER)
    fake.signature_secret = VONAGE_SIGNATURE_SECRET  # signed as Vonage signs for this account
    answer = invoke("sms", sms_event("sms_form", fake.sms_params(CUSTOMER, NOBODYS_NUMBER, "hello")))
    assert answer == forged


def _nested(key: str, number: str) -> bytes:
    return b'{"%s": "%s", "x": ' % (key.encode(), number.encode()) + b"[" * DEEP + b"]" * DEEP + b"}"


def _raw_event(name: str, body: bytes, content_type: str = "application/json") -> dict[str, Any]:
    event = load_event(name)
    event["body"] = body.decode()
    event["headers"] = {k: v for k, v in event["headers"].items() if k != "authorization"}
    event["headers"]["content-type"] = content_type
    return event


@pytest.mark.parametrize(
    ("function", "name", "key"),
    [
        ("whatsapp", "webhook_whatsapp/whatsapp_text.json", "to"),
        ("whatsapp", "webhook_whatsapp/status.json", "from"),
        ("sms", "webhook_sms/messages_sms.json", "to"),
        ("sms", "webhook_sms/sms_json.json", "to"),
    ],
)
def test_deeply_nested_json_is_refused_without_a_server_error(api, fake, vonage_integration, function, name, key):
    number = WHATSAPP_NUMBER if function == "whatsapp" else SMS_NUMBER
    body = _nested(key, number)

    # Unsigned: refused before the body is read.
    status, answer = invoke(function, _raw_event(name, body))
    assert status in (401, 422), answer
    # With a token made for these very bytes (but not by Vonage): still a plain refusal.
    event = _raw_event(name, body)
    event["headers"]["authorization"] = "Bearer " + fake.sign_messages_jwt(body, secret=STRANGERS_SECRET)
    status, answer = invoke(function, event)
    assert status in (401, 422), answer
    assert answer["error"]["code"] in ("bad_signature", "invalid_field")
    assert conversations(api) == []


@pytest.mark.parametrize(
    ("function", "name"),
    [
        ("whatsapp", "webhook_whatsapp/whatsapp_text.json"),
        ("whatsapp", "webhook_whatsapp/status.json"),
        ("sms", "webhook_sms/messages_sms.json"),
    ],
)
def test_a_messages_api_body_its_token_was_not_made_for_is_refused_unread(
    api, fake, vonage_integration, function, name
):
    event = _raw_event(name, _nested("to", WHATSAPP_NUMBER))
    event["headers"]["authorization"] = "Bearer " + fake.sign_messages_jwt(b'{"to": "33757000001"}')
    status, answer = invoke(function, event)
    assert (status, answer["error"]["code"]) == (401, "bad_signature")
    assert "payload_hash" in answer["error"]["message"]


def test_a_nested_body_signed_by_vonage_is_a_422_naming_the_body(api, fake, vonage_integration):
    body = _nested("to", WHATSAPP_NUMBER)
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", body, fake))
    assert status == 422
    assert answer["error"]["message"].startswith("body: ")


def _whatsapp_text(text: str) -> bytes:
    payload = json.loads(load_event("webhook_whatsapp/whatsapp_text.json")["body"])
    return json.dumps(payload | {"to": WHATSAPP_NUMBER, "text": "TEXT"}).replace('"TEXT"', text).encode()


@pytest.mark.parametrize(
    "body",
    [
        b'{"to": ' + b"7" * 5000 + b"}",  # an integer Python will not read
        _whatsapp_text('"\\ud800 half of a character"'),  # text nothing can store, log or send on
    ],
    ids=["long_number", "lone_surrogate"],
)
def test_bodies_python_reads_badly_are_422_even_when_signed(api, fake, vonage_integration, body):
    event = messages_event("webhook_whatsapp/whatsapp_text.json", body, fake)
    status, answer = invoke("whatsapp", event)
    assert status == 422, answer
    assert answer["error"]["message"].startswith("body: ")
    assert conversations(api) == []


def test_an_sms_timestamp_of_exotic_digits_is_a_bad_signature(api, fake, vonage_integration):
    params = fake.sms_params(CUSTOMER, SMS_NUMBER, "hello") | {"timestamp": "²³"}  # str.isdigit() says yes
    status, answer = invoke("sms", sms_event("sms_get", params))
    assert (status, answer["error"]["code"]) == (401, "bad_signature")


def test_a_jwt_with_a_deeply_nested_header_is_a_bad_signature(api, fake, vonage_integration):
    header = base64.urlsafe_b64encode(b'{"alg": "HS256", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}").rstrip(b"=")
    event = messages_event("webhook_whatsapp/whatsapp_text.json", b"{}", fake)
    token = event["headers"]["authorization"].split(" ")[1].split(".")
    event["headers"]["authorization"] = "Bearer " + ".".join([header.decode(), *token[1:]])
    status, answer = invoke("whatsapp", event)
    assert (status, answer["error"]["code"]) == (401, "bad_signature")


# ---------------------------------------------------------------- custom webhooks


def test_a_signed_custom_webhook_nested_too_deep_is_a_422(api, custom_integration):
    event = load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration)
    body = '{"external_id": "deep", "from": {"email": "a@example.com"}, "text": ' + "[" * DEEP + "]" * DEEP + "}"
    status, answer = api(signed(with_body(event, body), WEBHOOK_SECRET))
    assert status == 422, answer
    assert answer["error"]["message"].startswith("body: ")


def test_an_unknown_custom_integration_is_answered_exactly_like_a_bad_signature(api, custom_integration):
    known = load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration)
    unknown = load_event("api/custom_webhook.json", INTEGRATION_ID="not-an-integration")
    answers = [api(signed(event, STRANGERS_SECRET)) for event in (known, unknown)]
    assert answers[0][0] == 401
    assert answers[1] == answers[0]
    assert answers[0][1]["error"]["message"] == "signature does not match"
