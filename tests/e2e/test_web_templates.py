"""WhatsApp templates listed from Vonage in a real browser (issue 16, item 5): the local stack's fake Vonage
serves the demo WhatsApp Business Account's templates (local/vonage_templates.py); with the account's id set
on the demo integration, the settings list them with their status, the composer offers the approved ones
once the customer's window is closed and sends one, and a follow-up carries one. axe on each screen."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import requests

from helpers.local_stack import id_token
from helpers.web import api_get, run_browser, vonage_hooks
from local.seed import DEMO_WHATSAPP_NUMBER
from local.vonage_templates import DEMO_WABA_ID

pytestmark = pytest.mark.e2e


def closed_window_conversation(stack: dict[str, Any], token: str, customer: str, name: str) -> dict[str, Any]:
    """A WhatsApp customer of the test's own whose last message is moved 26 hours back in the table."""
    from inbox.adapters.dynamodb import keys

    vonage = stack["vonage"]
    text = f"Des nouvelles de ma demande ? {secrets.token_hex(3)}"
    hooks = vonage_hooks(stack)
    hooks.application_id = vonage["application_id"]
    inbound = hooks.whatsapp_inbound(DEMO_WHATSAPP_NUMBER.lstrip("+"), customer, name=name, text=text)
    assert hooks.deliver(vonage["webhooks"]["messages_inbound"], inbound).ok
    deadline = time.monotonic() + 30
    while not (found := [c for c in api_get(stack, token, "/conversations?limit=20")["items"] if c["preview"] == text]):
        assert time.monotonic() < deadline, "the WhatsApp message did not arrive"
        time.sleep(0.5)
    table = boto3.resource(
        "dynamodb",
        endpoint_url=stack["aws_endpoint_url"],
        region_name=stack["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).Table(stack["tables"]["InboxTable"])
    pk = keys.conversation_pk(stack["tenant_id"], found[0]["id"])
    then = (datetime.now(UTC) - timedelta(hours=26)).isoformat()
    table.update_item(
        Key={"PK": pk, "SK": keys.CONVERSATION},
        UpdateExpression="SET last_inbound_at = :t",
        ExpressionAttributeValues={":t": then},
    )
    for item in table.query(KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": pk})["Items"]:
        if item["SK"].startswith(keys.MESSAGE_PREFIX):
            table.update_item(
                Key={"PK": pk, "SK": item["SK"]},
                UpdateExpression="SET received_at = :t",
                ExpressionAttributeValues={":t": then},
            )
    return found[0]


def test_templates_listed_from_vonage_are_offered_sent_and_carried_by_a_follow_up(web_stack):
    token = id_token(web_stack)
    headers = {"Authorization": f"Bearer {token}"}
    vonage = web_stack["vonage"]
    response = requests.put(
        f"{web_stack['api_url']}/integrations/{vonage['integration_id']}",
        json={"vonage": {"whatsapp_business_account_id": DEMO_WABA_ID}},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    customer = "33622334455"
    conversation = closed_window_conversation(web_stack, token, customer, "Lucie Bernard")
    folder_name = f"Relances WhatsApp {secrets.token_hex(2)}"

    seen = run_browser(
        "templates.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "WHATSAPP_CONTACT": "Lucie Bernard",
            "FOLDER_NAME": folder_name,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"settings": [], "composer": [], "followUp": [], "nudge": []}
    assert ["avis_client", "fr", "Waiting for review"] in seen["settingsRows"]
    assert ["promo_noel", "fr", "Rejected"] in seen["settingsRows"]
    assert ["suivi_demande", "fr", "Approved"] in seen["settingsRows"]
    assert seen["fetched"].startswith("Read from Vonage on ")
    assert "suivi_demande" in seen["offered"]
    assert "avis_client" not in seen["offered"]  # pending: never offered
    assert "promo_noel" not in seen["offered"]
    assert seen["preview"] == (
        "Bonjour Lucie, nous revenons vers vous au sujet de votre demande D-77. Pouvons-nous encore vous aider ?"
    )
    assert seen["delivery"] in ("Sent", "Delivered")
    assert seen["followUpPreview"] == "Sent as (fr): Bonjour Lucie, votre commande 48213 est prête."
    assert seen["scheduled"].startswith("Follow-up scheduled for ")
    assert seen["followUpTemplate"] == "Template if the window is closed: order_ready"
    assert "suivi_demande" in seen["nudgeOffered"]
    assert "avis_client" not in seen["nudgeOffered"]

    log = requests.get(
        f"{vonage['base_url']}/_fake/sent", auth=(vonage["api_key"], vonage["api_secret"]), timeout=30
    ).json()
    [received] = [s for s in log if s.get("to") == customer and s.get("channel") == "whatsapp"]
    assert received["template"] == {"name": "suivi_demande", "parameters": ["Lucie", "D-77"]}
    assert received["whatsapp"] == {"policy": "deterministic", "locale": "fr"}
    [follow_up] = api_get(web_stack, token, f"/conversations/{conversation['id']}/follow-ups")["items"]
    assert (follow_up["action"], follow_up["state"]) == ("send", "scheduled")
    assert follow_up["template"] == {"name": "order_ready", "locale": "fr", "parameters": ["Lucie", "48213"]}
    [folder] = [f for f in api_get(web_stack, token, "/folders")["items"] if f["name"] == folder_name]
    chosen = {"name": "suivi_demande", "locale": "fr", "parameters": ["client", "en cours"]}
    assert folder["nudge"]["template"] == chosen
