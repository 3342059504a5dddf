"""The AI's drafts, "Suggest a reply" and the summary in a real browser (issue 12, items 5 and 7)."""

from __future__ import annotations

import secrets
import time

import pytest
import requests

from helpers.local_stack import id_token
from helpers.web import api_get, deliver_sms, run_browser
from local.seed import DEMO_SMS_NUMBER

pytestmark = pytest.mark.e2e


def test_a_validation_folders_draft_is_edited_and_sent_from_the_browser_and_the_copilot_and_summary_answer(web_stack):
    # The seed's Appointments folder (validation mode) takes a message asking for a "rendez-vous"; its
    # company prompt and knowledge base (local/seed_ai_replies.py) let the fake OpenAI answer.
    tag = secrets.token_hex(3)
    customer = f"3361{secrets.randbelow(10**7):07d}"
    text = f"Bonjour, je voudrais un rendez-vous pour essayer un canapé samedi. {tag}"
    conversation = deliver_sms(web_stack, customer, text)
    token = id_token(web_stack)
    drafts_path = f"/conversations/{conversation['id']}/drafts"
    deadline = time.monotonic() + 60
    while not [d for d in api_get(web_stack, token, drafts_path)["items"] if d["status"] == "pending"]:
        assert time.monotonic() < deadline, api_get(web_stack, token, drafts_path)
        time.sleep(0.5)
    edited = f"Bonjour, avec plaisir : samedi à 10 h ? L'équipe Maison Lumière. {tag}"

    seen = run_browser(
        "drafts.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "SMS_TEXT": text,
            "EDITED": edited,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"draftAndSummary": [], "suggestion": [], "french": []}
    # The draft: above the composer, its confidence and the knowledge-base passage it quoted.
    assert seen["draftsAboveComposer"] is True
    assert seen["draftTitle"] == "AI draft"
    assert seen["confidence"] == "Confidence 90%"
    assert "Rendez-vous en boutique" in seen["passageTitles"]
    assert "rendez-vous" in seen["passageExcerpt"]
    # Sent as edited, through the fake Vonage, and gone from the conversation.
    assert seen["delivery"] in ("Sent", "Delivered")
    assert seen["cardsAfterSend"] == 0
    vonage = web_stack["vonage"]
    log = requests.get(
        f"{vonage['base_url']}/_fake/sent", auth=(vonage["api_key"], vonage["api_secret"]), timeout=30
    ).json()
    assert [(s["channel"], s["to"], s["from"], s["text"]) for s in log if s.get("to") == customer] == [
        ("sms", customer, DEMO_SMS_NUMBER.lstrip("+"), edited)
    ]
    drafts = api_get(web_stack, token, drafts_path)["items"]
    [auto] = [d for d in drafts if d["source"] == "auto_reply"]
    assert (auto["status"], auto["outcome"], auto["mode"]) == ("sent", "sent_edited", "validation")
    assert auto["decided_by"]
    assert auto["edit_ratio"] > 0
    # The summary: its three parts, out of date once the reply went, up to date again after Update.
    assert seen["summaryState"] == "fresh"
    assert seen["summaryHeadings"] == ["What the customer wants", "Key points", "What was promised"]
    assert seen["summaryWants"].strip()
    assert seen["staleText"].startswith("Newer messages since this summary")
    assert seen["updatedState"] == "fresh"
    # "Suggest a reply" by its key, listed in the ? help, then discarded in French.
    assert seen["helpListsSuggest"] == 1
    assert seen["suggestedTitle"] == "Suggested reply"
    assert seen["suggestedFocused"] is True
    assert seen["french"]["title"] == "Réponse suggérée"
    assert seen["french"]["buttons"][:3] == ["Envoyer", "Modifier", "Écarter"]
    assert seen["french"]["tools"] == ["Suggérer une réponse", "Masquer le résumé"]
    assert seen["french"]["summaryTitle"] == "Résumé"
    assert seen["french"]["summaryHeadings"] == ["Ce que veut le client", "Points clés", "Ce qui a été promis"]
    assert seen["french"]["summaryState"].startswith("À jour")
    [suggestion] = [d for d in api_get(web_stack, token, drafts_path)["items"] if d["source"] == "suggestion"]
    assert (suggestion["status"], suggestion["outcome"]) == ("discarded", "discarded")
