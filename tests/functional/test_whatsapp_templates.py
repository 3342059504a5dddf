"""WhatsApp's approved templates (issue 11): set in the Vonage integration's settings, listed for a WhatsApp
conversation, sent through the one send path once the 24-hour window is closed, and received by the fake
Vonage exactly as Vonage's Messages API spec writes a template message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from helpers.events import api_request, load_event
from helpers.vonage import invoke, messages_event, sms, sms_event
from local.vonage import FakeVonage
from samples import CUSTOMER, WHATSAPP_NUMBER

ORDER_READY = {
    "name": "order_ready",
    "locale": "fr-FR",
    "parameters": 2,
    "text": "Bonjour {{1}}, votre commande {{2}} est prête. Répondez à ce message pour en parler.",
}
WELCOME_EN = {"name": "welcome_back", "locale": "en-GB", "parameters": 0, "text": "Hello again! How can we help?"}
WELCOME_FR = {"name": "welcome_back", "locale": "fr-FR", "parameters": 0, "text": "Re-bonjour ! Que peut-on faire ?"}


def set_templates(api, integration_id: str, templates: list[dict[str, Any]] | None) -> tuple[int, Any]:
    body = {"vonage": {"whatsapp_templates": templates}}
    return api(api_request("PUT", f"/integrations/{integration_id}", body))


def whatsapp_conversation(api, aws, fake: FakeVonage, hours_ago: float = 0) -> str:
    """A WhatsApp conversation whose customer last wrote `hours_ago` (the window's clock is `last_inbound_at`)."""
    payload = fake.whatsapp_inbound(WHATSAPP_NUMBER, CUSTOMER, text="Bonjour, ma commande ?")
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))
    assert status == 200, answer
    if hours_ago:
        then = (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat()
        (item,) = [i for i in aws.all_items() if i["SK"]["S"] == "CONV"]
        aws.dynamodb.update_item(
            TableName=aws.table,
            Key={"PK": item["PK"], "SK": item["SK"]},
            UpdateExpression="SET last_inbound_at = :t",
            ExpressionAttributeValues={":t": {"S": then}},
        )
    return answer["conversation_id"]


def reply(api, conversation_id: str, body: dict[str, Any]) -> tuple[int, Any]:
    return api(api_request("POST", f"/conversations/{conversation_id}/messages", body))


@pytest.fixture
def templated(api, vonage_integration) -> dict[str, Any]:
    status, body = set_templates(api, vonage_integration["id"], [ORDER_READY, WELCOME_EN, WELCOME_FR])
    assert status == 200, body
    return body


def test_templates_are_kept_in_the_vonage_settings_and_listed_for_a_whatsapp_conversation(api, aws, fake, templated):
    assert templated["settings"]["whatsapp_templates"] == [ORDER_READY, WELCOME_EN, WELCOME_FR]
    conversation_id = whatsapp_conversation(api, aws, fake)

    status, listed = api(load_event("api/whatsapp_templates.json", CONVERSATION_ID=conversation_id))

    assert status == 200, listed
    assert listed["items"] == [ORDER_READY, WELCOME_EN, WELCOME_FR]
    # an SMS conversation has none to offer
    status, answer = invoke("sms", sms_event("sms_form", sms(fake)))
    assert status == 200, answer
    path = f"/conversations/{answer['conversation_id']}/whatsapp-templates"
    assert api(api_request("GET", path)) == (200, {"items": []})


def test_a_template_answers_a_customer_who_wrote_more_than_24_hours_ago(api, aws, fake, templated):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)

    status, sent = api(load_event("api/reply_whatsapp_template.json", CONVERSATION_ID=conversation_id))

    assert status == 201, sent
    assert sent["delivery"] == "sent"
    assert sent["text"] == "Bonjour Karim, votre commande 48213 est prête. Répondez à ce message pour en parler."
    assert sent["template"] == {"name": "order_ready", "locale": "fr-FR", "parameters": ["Karim", "48213"]}
    # The body of Vonage's spec (messages-olympus.yml: templateMessageWhatsApp) in the v1 send's shape.
    (received,) = fake.sent
    assert received.auth == "jwt"
    assert received.body == {
        "message_type": "template",
        "channel": "whatsapp",
        "to": CUSTOMER,
        "from": WHATSAPP_NUMBER,
        "client_ref": sent["id"],
        "template": {"name": "order_ready", "parameters": ["Karim", "48213"]},
        "whatsapp": {"policy": "deterministic", "locale": "fr-FR"},
    }
    status, detail = api(load_event("api/get_conversation.json", CONVERSATION_ID=conversation_id))
    assert detail["messages"][-1]["text"] == sent["text"]
    assert detail["conversation"]["preview"].startswith("Bonjour Karim, votre commande 48213")


def test_a_template_named_in_several_locales_needs_its_locale(api, aws, fake, templated):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)

    status, body = reply(api, conversation_id, {"template": {"name": "welcome_back"}})
    assert (status, body["error"]["message"]) == (
        422,
        "template.locale: 'welcome_back' exists in en-GB, fr-FR: say which",
    )

    status, sent = reply(api, conversation_id, {"template": {"name": "welcome_back", "locale": "fr-fr"}})
    assert (status, sent["text"]) == (201, "Re-bonjour ! Que peut-on faire ?")
    assert fake.sent[-1].body["whatsapp"] == {"policy": "deterministic", "locale": "fr-FR"}
    assert fake.sent[-1].body["template"] == {"name": "welcome_back", "parameters": []}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": "Toujours là ?"}, "text: WhatsApp only allows a free-form reply within 24 hours"),
        ({"template": {"name": "order_shipped", "parameters": []}}, "template.name: 'order_shipped' is not"),
        ({"template": {"name": "order_ready", "parameters": ["Karim"]}}, "template.parameters: 'order_ready' takes 2"),
        ({"template": {"name": "order_ready", "parameters": ["Karim", "4\n8"]}}, "template.parameters.1: must be one"),
        ({"template": {"name": "order_ready", "locale": "de"}}, "template.locale: 'order_ready' is not approved in de"),
        ({"template": {"name": "welcome_back", "locale": "en-GB"}, "text": "Hi"}, "text: a template reply has no"),
        ({"template": {"name": "welcome_back", "locale": "en-GB"}, "html": "<p>Hi</p>"}, "html: a template reply"),
        ({}, "text: is required (or a WhatsApp `template`)"),
    ],
)
def test_a_refused_whatsapp_reply_is_a_422_naming_the_field(api, aws, fake, templated, body, message):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)

    status, answer = reply(api, conversation_id, body)

    assert status == 422, answer
    assert answer["error"]["message"].startswith(message)
    assert fake.sent == []


def test_the_closed_window_points_to_the_templates(api, aws, fake, templated):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=25)

    _, answer = reply(api, conversation_id, {"text": "Toujours là ?"})

    assert "approved templates (`template`" in answer["error"]["message"]


def test_a_template_on_an_sms_conversation_is_a_422(api, fake, templated):
    status, answer = invoke("sms", sms_event("sms_form", sms(fake)))
    assert status == 200, answer

    status, body = reply(api, answer["conversation_id"], {"template": {"name": "welcome_back", "locale": "en-GB"}})

    assert (status, body["error"]["message"]) == (422, "template: only WhatsApp takes templates; a sms reply is text")
    assert fake.sent == []


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (ORDER_READY | {"parameters": 1}, "vonage.whatsapp_templates.0.text"),
        (ORDER_READY | {"text": "Bonjour {{1}}, commande {{3}}"}, "vonage.whatsapp_templates.0.text"),
        (ORDER_READY | {"locale": "français"}, "vonage.whatsapp_templates.0.locale"),
        (ORDER_READY | {"name": "order ready"}, "vonage.whatsapp_templates.0.name"),
    ],
)
def test_a_template_whose_text_does_not_fit_it_is_refused_naming_the_field(api, vonage_integration, given, field):
    status, body = set_templates(api, vonage_integration["id"], [given])

    assert status == 422, body
    assert body["error"]["message"].startswith(f"{field}: ")


def test_a_template_listed_twice_is_refused_and_an_empty_list_removes_them(api, templated):
    status, body = set_templates(api, templated["id"], [WELCOME_EN, WELCOME_EN | {"locale": "en-gb"}])
    assert (status, body["error"]["message"]) == (
        422,
        "vonage.whatsapp_templates: welcome_back in en-gb is listed twice",
    )
    status, body = set_templates(api, templated["id"], [])
    assert (status, body["settings"]["whatsapp_templates"]) == (200, [])


def test_null_templates_in_an_update_keep_them(api, templated):
    status, body = set_templates(api, templated["id"], None)
    assert (status, body["settings"]["whatsapp_templates"]) == (200, templated["settings"]["whatsapp_templates"])


def test_the_fake_vonage_checks_a_template_send_as_the_spec_writes_it(fake):
    def send(body: dict[str, Any]) -> requests.Response:
        auth = (fake.api_key, fake.api_secret)
        return requests.post(f"{fake.base_url}/v1/messages", json=body, auth=auth, timeout=5)

    good = {
        "message_type": "template",
        "channel": "whatsapp",
        "to": CUSTOMER,
        "from": WHATSAPP_NUMBER,
        "template": {"name": "order_ready", "parameters": ["Karim", "48213"]},
        "whatsapp": {"policy": "deterministic", "locale": "fr-FR"},
    }
    assert send(good).status_code == 202
    assert send(good | {"whatsapp": {"policy": "fallback", "locale": "fr-FR"}}).status_code == 400
    refused = {  # each case: the parameter Vonage names
        "message_type": send(good | {"channel": "sms"}),
        "whatsapp.locale": send(good | {"whatsapp": {"policy": "deterministic"}}),
        "whatsapp": send({k: v for k, v in good.items() if k != "whatsapp"}),
        "template.parameters": send(good | {"template": {"name": "order_ready", "parameters": [48213]}}),
        "template.name": send(good | {"template": {"parameters": []}}),
    }
    for name, response in refused.items():
        assert response.status_code == 422, name
        assert [p["name"] for p in response.json()["invalid_parameters"]] == [name]
    assert len(fake.sent) == 1
