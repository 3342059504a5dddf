"""The web app's channel composers in a real browser (issue 11, item 3): email, SMS, WhatsApp."""

from __future__ import annotations

import secrets

import pytest
import requests

from helpers.local_stack import id_token
from helpers.web import (
    api_get,
    closed_window_conversation,
    deliver_sms,
    email_conversation,
    run_browser,
)
from local.seed import DEMO_SMS_NUMBER, DEMO_WHATSAPP_NUMBER

pytestmark = pytest.mark.e2e


def test_composers_reply_by_email_with_its_subject_and_by_sms_with_its_parts_counted(web_stack, mailbox, smtp_server):
    tag = secrets.token_hex(3)
    subject = f"Cambio de pedido {tag}"
    email = email_conversation(web_stack, mailbox, smtp_server, subject)
    sms_text = f"Vous livrez à Lyon ? {tag}"
    sms = deliver_sms(web_stack, "33622334455", sms_text)
    replies = {
        "EMAIL_REPLY_SUBJECT": f"Su pedido {tag}",
        "EMAIL_REPLY": f"Lo cambiamos hoy. {tag}",
        "SMS_REPLY": f"Oui, le mardi. {tag}",
    }

    seen = run_browser(
        "composers.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "EMAIL_SUBJECT": subject,
            "SMS_TEXT": sms_text,
            "WHATSAPP_CONTACT": "Karim Benali",
            **replies,
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"email": [], "sms": [], "whatsapp": []}
    # Email: prefilled as the API's default, sent with the subject written, to the SMTP server.
    assert (seen["emailChannel"], seen["subjectPrefilled"]) == ("email", f"Re: {subject}")
    assert seen["emailDelivery"] == "Sent"
    [received] = smtp_server.wait_for(1)
    assert received.rcpt_tos == ("ana@example.es",)
    assert received.message["Subject"] == replies["EMAIL_REPLY_SUBJECT"]
    assert received.message.get_body(("plain",)).get_content().strip() == replies["EMAIL_REPLY"]
    token = id_token(web_stack)
    [stored] = [
        m
        for m in api_get(web_stack, token, f"/conversations/{email['id']}")["messages"]
        if m["direction"] == "outbound"
    ]
    assert stored["subject"] == replies["EMAIL_REPLY_SUBJECT"]
    # SMS: no subject; 160 GSM characters are one part, 161 two; the reply reached the fake Vonage.
    assert (seen["smsChannel"], seen["smsSubjectFields"]) == ("sms", 0)
    assert seen["sms160"] == {"parts": 1, "encoding": "GSM-7"}
    assert seen["sms161"] == {"parts": 2, "encoding": "GSM-7"}
    assert seen["sms161Text"] == "SMS parts: 2 · 145 characters left in this part · GSM-7"
    assert seen["smsEuro"] == {"parts": 2, "encoding": "GSM-7"}
    assert seen["smsCyrillic"] == {"parts": 1, "encoding": "UCS-2"}
    assert seen["smsDelivery"] in ("Sent", "Delivered")
    vonage = web_stack["vonage"]
    log = requests.get(
        f"{vonage['base_url']}/_fake/sent", auth=(vonage["api_key"], vonage["api_secret"]), timeout=30
    ).json()
    assert [(s["channel"], s["to"], s["from"]) for s in log if s.get("text") == replies["SMS_REPLY"]] == [
        ("sms", "33622334455", DEMO_SMS_NUMBER.lstrip("+"))
    ]
    assert sms["channel"] == "sms"
    # WhatsApp: the demo customer wrote at start-up, so the window is open for most of a day.
    assert seen["whatsappWindow"].startswith("WhatsApp window open, closes in ")
    assert seen["whatsappSendEnabled"] is True


def test_a_whatsapp_customer_who_wrote_over_24_hours_ago_is_answered_by_a_template(web_stack):
    token = id_token(web_stack)
    headers = {"Authorization": f"Bearer {token}"}
    vonage = web_stack["vonage"]
    template = {
        "name": "order_ready",
        "locale": "fr-FR",
        "parameters": 2,
        "text": "Bonjour {{1}}, votre commande {{2}} est prête.",
    }
    response = requests.put(
        f"{web_stack['api_url']}/integrations/{vonage['integration_id']}",
        json={"vonage": {"whatsapp_templates": [template]}},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    # A customer of its own writes on WhatsApp; the stack's clock cannot wait a day, so the message and the
    # conversation's last inbound time are moved 26 hours back in the table (helpers.web).
    customer = "33611223344"
    conversation = closed_window_conversation(web_stack, token, customer, "Lucie Martin")

    seen = run_browser(
        "whatsapp-template.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "WHATSAPP_CONTACT": "Lucie Martin",
            "TEMPLATE_NAME": "order_ready",
            "PARAMETER_1": "Lucie",
            "PARAMETER_2": "48213",
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == []
    assert seen["window"] == "WhatsApp window closed: only a template can be sent"
    assert seen["textFields"] == 0  # free text would be refused: the templates take its place
    assert "order_ready" in seen["offered"]
    assert seen["sendBeforeParameters"] is False
    assert seen["preview"] == "Bonjour Lucie, votre commande 48213 est prête."
    # The demo's Vonage lists its own order_ready (in "fr", local/vonage_templates.py) since the seed sets its
    # WhatsApp Business Account: Vonage's word wins over the one typed here in fr-FR (domain.whatsapp_templates.offer).
    assert seen["previewCaption"] == "Preview (fr)"
    assert seen["delivery"] in ("Sent", "Delivered")
    log = requests.get(
        f"{vonage['base_url']}/_fake/sent", auth=(vonage["api_key"], vonage["api_secret"]), timeout=30
    ).json()
    [received] = [s for s in log if s.get("to") == customer and s.get("channel") == "whatsapp"]
    assert {k: v for k, v in received.items() if k not in ("message_uuid", "auth", "client_ref")} == {
        "message_type": "template",
        "channel": "whatsapp",
        "to": customer,
        "from": DEMO_WHATSAPP_NUMBER.lstrip("+"),
        "template": {"name": "order_ready", "parameters": ["Lucie", "48213"]},
        "whatsapp": {"policy": "deterministic", "locale": "fr"},
    }
    [stored] = [
        m
        for m in api_get(web_stack, token, f"/conversations/{conversation['id']}")["messages"]
        if m["direction"] == "outbound"
    ]
    assert (stored["text"], stored["template"]["name"]) == (seen["preview"], "order_ready")
