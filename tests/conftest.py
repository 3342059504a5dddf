"""Shared fixtures: an AWS account in moto, built from the template's own resource definitions, the API function,
a custom webhook integration, the fake Vonage. Helpers are in helpers/, sample data in samples.py."""

from __future__ import annotations

import os

# Before the inbox package is imported: Powertools reads these when its objects are built.
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Inbox")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "inbox")

import json
from typing import Any

import pytest
from cfn_tools import load_yaml
from moto import mock_aws

from helpers.aws_account import REGION, create_resources
from helpers.events import REPO, LambdaContext, load_event, signed, with_body
from helpers.vonage import create_vonage
from inbox import wiring
from inbox.settings import get_settings
from local.vonage import FakeVonage
from samples import (
    SMS_NUMBER,
    VONAGE_API_KEY,
    VONAGE_API_SECRET,
    VONAGE_SIGNATURE_SECRET,
    WEBHOOK_SECRET,
    WHATSAPP_NUMBER,
)

# The real servers; helpers.follow_ups: the scheduler, the clock; helpers.search: the search chain under moto;
# helpers.ai_auto_replies: the fake OpenAI of the real reply writer's auto-replies.
pytest_plugins = ["servers.fixtures", "helpers.follow_ups", "helpers.search", "helpers.ai_auto_replies"]


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_yaml((REPO / "template.yaml").read_text())


@pytest.fixture
def aws(monkeypatch, template):
    """moto with the template's table, bucket, key and queues; the functions' environment set."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_DEV": "false",
        "POWERTOOLS_METRICS_NAMESPACE": "Inbox",
        "POWERTOOLS_SERVICE_NAME": "inbox",
        # The template's OutboundAllowLoopback, as the local stack sets it: Dovecot, aiosmtpd and the fakes
        # listen on 127.0.0.1. Tests of the guard build their own Destinations, loopback refused.
        "OUTBOUND_ALLOW_LOOPBACK": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        resources = create_resources(template["Resources"])
        for name, value in resources.env.items():
            monkeypatch.setenv(name, value)
        wiring.reset()
        yield resources
        wiring.reset()


@pytest.fixture
def placeholder_environment(monkeypatch):
    """For handlers run on fake services, without moto: the variables their @needs checks, any value."""
    queues = ("CLASSIFY", "SYNC", "VONAGE", "AUTOREPLY", "PURGE")
    schedules = ("SCHEDULE_GROUP", "SCHEDULE_TARGET_ARN", "SCHEDULE_ROLE_ARN")
    for name in ("TABLE_NAME", "BLOB_BUCKET", "KEY_ID", *schedules, *(f"{queue}_QUEUE_URL" for queue in queues)):
        monkeypatch.setenv(name, f"test-{name.lower()}")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# ---------------------------------------------------------------- the API and its webhooks


@pytest.fixture
def api(aws):
    """Invoke the API function as Lambda would; answers (status, JSON body)."""
    from functions.api import app

    def invoke(event: dict[str, Any]) -> tuple[int, Any]:
        response = app.lambda_handler(event, LambdaContext())
        body = response.get("body")
        return response["statusCode"], json.loads(body) if body else None

    return invoke


@pytest.fixture
def custom_integration(api) -> str:
    status, body = api(load_event("api/create_integration.json"))
    assert status == 201, body
    return body["id"]


@pytest.fixture
def post_webhook(api, custom_integration):
    """Send a signed custom webhook built on the sample event, with `changes` merged into its body."""

    def send(secret: str = WEBHOOK_SECRET, at: float | None = None, **changes: Any) -> tuple[int, Any]:
        event = load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration)
        body = json.loads(event["body"]) | changes
        return api(signed(with_body(event, body), secret, at))

    return send


# ---------------------------------------------------------------- Vonage


@pytest.fixture
def fake(monkeypatch):
    """The deployment's Vonage (the VonageApiBaseUrl parameter, as the local stack sets it): the fake Vonage."""
    rented = [SMS_NUMBER, WHATSAPP_NUMBER, "33757000002"]
    with FakeVonage(
        api_key=VONAGE_API_KEY,
        api_secret=VONAGE_API_SECRET,
        signature_secret=VONAGE_SIGNATURE_SECRET,
        numbers=rented,
    ) as vonage:
        monkeypatch.setenv("VONAGE_API_BASE_URL", vonage.base_url)
        wiring.reset()
        yield vonage


@pytest.fixture
def vonage_integration(api, fake) -> dict[str, Any]:
    status, body = create_vonage(api, fake)
    assert status == 201, body
    return body
