"""Malformed input to the API is the caller's mistake, answered 4xx with the field named; never a 500."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from helpers.events import api_request, load_event, with_body


def _raw(event: dict[str, Any], body: bytes, content_type: str = "application/json") -> dict[str, Any]:
    event["body"] = base64.b64encode(body).decode()
    event["isBase64Encoded"] = True
    event["headers"]["content-type"] = content_type
    return event


@pytest.mark.parametrize(
    "event",
    [
        lambda: api_request("POST", "/folders"),
        lambda: load_event("api/create_integration.json"),
        lambda: load_event("api/add_note.json"),
        lambda: load_event("api/patch_conversation.json"),
    ],
    ids=["folder", "integration", "note", "conversation_patch"],
)
def test_a_body_that_is_not_utf8_is_a_400_naming_the_body(api, event):
    status, answer = api(_raw(event(), '{"name": "Café"}'.encode("latin-1")))
    assert status == 400, answer
    assert answer["error"]["message"].startswith("body: ")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"],
)
def test_a_body_sent_as_anything_but_json_is_a_415(api, content_type):
    status, answer = api(_raw(api_request("POST", "/folders"), b'{"name": "Billing"}', content_type))
    assert (status, answer["error"]["code"]) == (415, "unsupported_media_type")
    assert "application/json" in answer["error"]["message"]

    # The same body, said to be JSON, is taken.
    assert (
        api(_raw(api_request("POST", "/folders"), b'{"name": "Billing"}', "application/json; charset=utf-8"))[0] == 201
    )


def test_json_nested_past_any_use_is_a_422_naming_the_body(api):
    rules = '{"all": [' * 5000 + "]}" * 5000
    status, answer = api(with_body(api_request("POST", "/folders"), '{"name": "Deep", "rules": ' + rules + "}"))
    assert status == 422, answer
    assert answer["error"]["message"].startswith("body: ")


def test_a_number_too_long_to_read_is_a_422(api):
    status, answer = api(with_body(api_request("POST", "/folders"), '{"name": "Long", "position": ' + "9" * 5000 + "}"))
    assert status == 422, answer
    assert answer["error"]["message"].startswith("body: ")


@pytest.mark.parametrize("field", ["sms_numbers", "whatsapp_numbers"])
def test_null_for_a_vonage_list_is_a_422_naming_it(api, fake, vonage_integration, field):
    status, answer = api(api_request("PUT", f"/integrations/{vonage_integration['id']}", {"vonage": {field: None}}))
    assert status == 422, answer
    assert answer["error"]["message"].startswith(f"vonage.{field}: ")


def test_a_certificate_that_is_not_ascii_is_a_422_naming_it(api):
    server = {"host": "imap.example.com", "port": 993, "tls": "implicit", "username": "support", "password": "pw"}
    body = {
        "kind": "email",
        "name": "Support",
        "address": "support@example.com",
        "imap": server | {"ca_cert": "-----BEGIN CERTIFICATE-----\nCafé\n-----END CERTIFICATE-----\n"},
        "smtp": server | {"port": 465},
    }
    status, answer = api(with_body(load_event("api/create_integration.json"), body))
    assert status == 422, answer
    assert answer["error"]["message"].startswith("imap.ca_cert: ")


def test_the_answers_to_bad_input_are_the_apps_json_errors(api):
    status, answer = api(_raw(api_request("POST", "/folders"), b"\xff\xfe", "application/json"))
    assert status == 400
    assert set(answer) == {"error"}
    assert json.dumps(answer).isascii()
