"""WhatsApp templates listed from Vonage in a real browser (issue 16, item 5): the local stack's fake Vonage
serves the demo WhatsApp Business Account's templates (local/vonage_templates.py); with the account's id set
on the demo integration, the settings list them with their status, the composer offers the approved ones
once the customer's window is closed and sends one, and a follow-up carries one. axe on each screen."""

from __future__ import annotations

import secrets

import pytest
import requests

from helpers.local_stack import id_token
from helpers.web import api_get, closed_window_conversation, list_demo_templates, run_browser

pytestmark = pytest.mark.e2e


def test_templates_listed_from_vonage_are_offered_sent_and_carried_by_a_follow_up(web_stack):
    token = id_token(web_stack)
    vonage = web_stack["vonage"]
    list_demo_templates(web_stack, token)
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
