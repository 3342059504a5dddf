"""Outbound webhooks in a real browser on the local stack (issue 13, item 8): an admin registers one on
Settings → Webhooks for a receiver on loopback, sends a test event, reads the log; then a customer's
message goes through the whole path (the table's stream, the EventsFunction, the moto bus and the
delivery queue, the WebhookDeliveryFunction) and reaches the receiver signed; axe on each screen."""

from __future__ import annotations

import json
import secrets
import time

import pytest

from helpers.endpoints import recording_endpoint
from helpers.local_stack import post_webhook, sign_in
from helpers.web import api_get, run_browser
from inbox.domain.signatures import verify

pytestmark = pytest.mark.e2e


@pytest.fixture
def receiver():
    """The tenant's other system: keeps every POST (headers, body) and answers 204."""
    with recording_endpoint("/inbox-events", lambda _body: (204, None)) as endpoint:
        yield endpoint


def test_a_webhook_is_added_tested_and_receives_a_customers_message_signed(own_tenant, receiver):
    url, received = receiver
    admin = own_tenant["admin"]
    seen = run_browser(
        "webhooks.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "RECEIVER_URL": url,
            "SECOND_URL": "https://hooks.example.com/second",
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"added": [], "log": []}
    assert seen["secret"].startswith("whsec_")
    assert seen["secretGone"]
    assert seen["summary"] == "Active · New conversation, Message received"
    assert seen["testOutcome"] == "Test event delivered (HTTP 204)."
    assert seen["logRow"] == ["webhook.test", "Delivered", "1", "204"]
    assert seen["paused"]
    assert seen["listed"] == [url]

    # The test event reached the receiver, signed with the secret shown once.
    [(headers, body)] = received
    verify(seen["secret"], body, headers["x-inbox-signature"], time.time())
    assert json.loads(body)["type"] == "webhook.test"

    # A customer writes: the whole path of the local stack brings both events, signed.
    message = {
        "external_id": secrets.token_hex(8),
        "from": {"name": "Webhook Customer", "email": "hook@example.net"},
        "subject": "Livraison",
        "text": "Où en est ma commande ?",
    }
    assert post_webhook(own_tenant, message).status_code == 202
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(received) < 3:
        time.sleep(0.5)
    events = {}
    for headers, body in received[1:]:
        verify(seen["secret"], body, headers["x-inbox-signature"], time.time())
        event = json.loads(body)
        events[event["type"]] = event
    assert set(events) == {"conversation.created", "message.received"}, received
    assert events["message.received"]["data"]["text"] == "Où en est ma commande ?"
    assert events["message.received"]["tenant_id"] == own_tenant["tenant_id"]

    # The log says so too.
    token = sign_in(own_tenant, admin["username"], admin["password"])
    [webhook] = api_get(own_tenant, token, "/webhooks")["items"]
    log = api_get(own_tenant, token, f"/webhooks/{webhook['id']}/deliveries")["items"]
    assert sorted((d["event_type"], d["status"]) for d in log) == [
        ("conversation.created", "delivered"),
        ("message.received", "delivered"),
        ("webhook.test", "delivered"),
    ]
