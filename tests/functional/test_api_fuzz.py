"""Every operation of the API's own OpenAPI document, fuzzed by schemathesis: no input gets a 5xx.

The API function runs in-process, as Lambda runs it, behind a small WSGI adapter that turns each
request into the API Gateway HTTP API (payload 2.0) event, with the claims the JWT authorizer would
give an admin of a seeded tenant. AWS is moto; Vonage is the loopback fake. Nothing leaves the
machine: names other than loopback do not resolve during the run, and tenants' hosts on loopback
are refused, as the template's default deployment refuses them.

Bounded and derandomized, so a run is the same run in CI: a few examples per operation, in
positive (valid by the schema) and negative (invalid) modes.
"""

from __future__ import annotations

import base64
import json
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from moto import mock_aws
from schemathesis.checks import not_a_server_error

from helpers.aws_account import REGION, create_resources
from helpers.events import LambdaContext, api_request, load_event, signed
from inbox.domain import signatures
from inbox.settings import get_settings
from local.vonage import FakeVonage
from samples import SMS_NUMBER, VONAGE_API_KEY, VONAGE_API_SECRET, WEBHOOK_SECRET

MAX_EXAMPLES = 12
ADMIN_CLAIMS = load_event("api/list_integrations.json")["requestContext"]["authorizer"]["jwt"]["claims"]
CUSTOM_WEBHOOK = "/inbox/webhooks/custom/"
TEXT_TYPES = ("application/json", "text/", "application/x-www-form-urlencoded")


def lambda_as_wsgi(invoke: Callable[[dict[str, Any]], dict[str, Any]], claims: dict[str, str]):
    """A WSGI app that hands each request to `invoke` as API Gateway would, and answers what it returns."""

    def app(environ: dict[str, Any], start_response) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            name[5:].replace("_", "-").lower(): value for name, value in environ.items() if name.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        # WSGI hands the path over as latin-1 of the bytes; API Gateway passes it on percent-decoded.
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "replace")
        query = environ.get("QUERY_STRING", "")
        parameters: dict[str, list[str]] = {}
        for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
            parameters.setdefault(name, []).append(value)
        as_text = headers.get("content-type", "").startswith(TEXT_TYPES)
        try:
            text = body.decode() if as_text else None
        except UnicodeDecodeError:
            text = None
        event = {
            "version": "2.0",
            "routeKey": "ANY /inbox/{proxy+}",
            "rawPath": urllib.parse.quote(path),
            "rawQueryString": query,
            "headers": headers,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "fuzz",
                "authorizer": {"jwt": {"claims": dict(claims), "scopes": None}},
                "domainName": "fuzz.execute-api.eu-west-3.amazonaws.com",
                "http": {
                    "method": environ["REQUEST_METHOD"],
                    "path": path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": "203.0.113.7",
                    "userAgent": "schemathesis",
                },
                "requestId": "fuzz",
                "routeKey": "ANY /inbox/{proxy+}",
                "stage": "$default",
                "time": "01/Dec/2026:10:00:00 +0000",
                "timeEpoch": 1796119200000,
            },
            "isBase64Encoded": bool(body) and text is None,
        }
        if parameters:
            event["queryStringParameters"] = {name: ",".join(values) for name, values in parameters.items()}
        if body:
            event["body"] = text if text is not None else base64.b64encode(body).decode()
        response = invoke(event)
        payload = response.get("body") or ""
        data = base64.b64decode(payload) if response.get("isBase64Encoded") else payload.encode()
        status = response["statusCode"]
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Unknown"
        answer_headers = [(name, str(value)) for name, value in (response.get("headers") or {}).items()]
        answer_headers += [("Set-Cookie", cookie) for cookie in response.get("cookies") or []]
        start_response(f"{status} {reason}", answer_headers)
        return [data]

    return app


def _loopback_only(resolve):
    """getaddrinfo for loopback names alone: whatever host the fuzzer makes up, nothing leaves the machine."""

    def resolve_loopback(host, *args, **kwargs):
        if host in ("localhost", "127.0.0.1", b"localhost", b"127.0.0.1"):
            return resolve(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "name not resolved (the fuzzing run stays on this machine)")

    return resolve_loopback


@pytest.fixture(scope="module")
def seeded_tenant(template):
    """One AWS (moto) for the whole run, with an admin's tenant holding a custom integration, a
    conversation and a folder (their ids yielded); the deployment as the template makes it by default (tenants' hosts
    on loopback refused), its Vonage the loopback fake."""
    from inbox import wiring

    vonage = FakeVonage(api_key=VONAGE_API_KEY, api_secret=VONAGE_API_SECRET, numbers=[SMS_NUMBER])
    with pytest.MonkeyPatch.context() as patch, mock_aws(), vonage:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "OUTBOUND_ALLOW_LOOPBACK": "false",
            "VONAGE_API_BASE_URL": vonage.base_url,
        }.items():
            patch.setenv(name, value)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        for name, value in create_resources(template["Resources"]).env.items():
            patch.setenv(name, value)
        patch.setattr(socket, "getaddrinfo", _loopback_only(socket.getaddrinfo))
        wiring.reset()
        created = _invoke(load_event("api/create_integration.json"))
        assert created["statusCode"] == 201, created
        integration_id = json.loads(created["body"])["id"]
        webhook = load_event("api/custom_webhook.json", INTEGRATION_ID=integration_id)
        received = _invoke(signed(webhook, WEBHOOK_SECRET))
        assert received["statusCode"] == 202, received
        folder = _invoke(api_request("POST", "/folders", {"name": "Billing"}))
        assert folder["statusCode"] == 201, folder
        # Another for the integration routes to change as they will (a new secret, say): the one
        # above keeps the secret the fuzzed webhooks are signed with.
        changed = _invoke(load_event("api/create_integration.json"))
        assert changed["statusCode"] == 201, changed
        yield {
            "integration_id": json.loads(changed["body"])["id"],
            "webhook_integration_id": integration_id,
            "conversation_id": json.loads(received["body"])["conversation_id"],
            "folder_id": json.loads(folder["body"])["id"],
        }
        wiring.reset()


def _invoke(event: dict[str, Any]) -> dict[str, Any]:
    from functions.api import app as api_function

    if event["requestContext"]["http"]["path"].startswith(CUSTOM_WEBHOOK):
        # Signed as the integration's sender would, so what follows the signature check is fuzzed too.
        raw = base64.b64decode(event["body"]) if event["isBase64Encoded"] else (event.get("body") or "").encode()
        event["headers"]["x-inbox-signature"] = signatures.sign(WEBHOOK_SECRET, raw, int(time.time()))

    return api_function.lambda_handler(event, LambdaContext())


# Read from the API itself at collection: the document needs no AWS, only the variables the handler
# checks (any value); the calls run inside each test, on moto.
with pytest.MonkeyPatch.context() as collecting:
    for name in (
        "TABLE_NAME",
        "BLOB_BUCKET",
        "KEY_ID",
        "CLASSIFY_QUEUE_URL",
        "SYNC_QUEUE_URL",
        "PURGE_QUEUE_URL",
        "USER_POOL_ID",
    ):
        collecting.setenv(name, "read-the-document-only")
    get_settings.cache_clear()
    schema = schemathesis.openapi.from_wsgi(
        "/inbox/openapi.json",
        lambda_as_wsgi(_invoke, ADMIN_CLAIMS),
        config=schemathesis.Config.from_dict(
            {
                "seed": 20261201,
                "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
                "phases": {"stateful": {"enabled": False}},
            }
        ),
    )
get_settings.cache_clear()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_any_input_without_a_server_error(case, seeded_tenant):
    # What exists, rather than ids nobody has, so the handlers past the lookup are fuzzed too; deletions
    # keep the made-up ids so that what exists is still there for the operations after them.
    existing = dict(seeded_tenant)
    if case.operation.path.startswith(CUSTOM_WEBHOOK):
        existing["integration_id"] = existing["webhook_integration_id"]
    if case.path_parameters and case.method.upper() != "DELETE":
        case.path_parameters = {name: existing.get(name, value) for name, value in case.path_parameters.items()}
    response = case.call_and_validate(checks=[not_a_server_error])
    if response.status_code >= 400:  # every refusal is the app's JSON error, never Powertools' own shape
        assert set(json.loads(response.content)) == {"error"}, response.content
