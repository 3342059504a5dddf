"""The web app's settings screens in a real browser (issue 11, item 4)."""

from __future__ import annotations

import json
import re
import secrets
import time

import pytest
import requests

from helpers.local_stack import create_user, id_token
from helpers.web import (
    api_get,
    run_browser,
    settled_counters,
)
from inbox.domain.signatures import sign

pytestmark = pytest.mark.e2e


def test_settings_build_a_folder_rule_make_a_webhook_secret_once_and_change_the_ai_model(web_stack):
    """Issue 11, item 4: the settings screens as the demo admin would use them; an agent has none."""
    token = id_token(web_stack)
    settled_counters(web_stack, token)  # the seed's conversations are in, so the preview has them to show
    agent_email, agent_password = "agent.settings@demo.example.com", "Agent-Password-4242"
    create_user(
        web_stack,
        agent_email,
        tenant_id=web_stack["tenant_id"],
        group="agent",
        password=agent_password,
        email_verified=True,
    )
    names = {
        "FOLDER_NAME": "Billing or Sofia",
        "WEBHOOK_NAME": "Shop form (e2e)",
        "AI_MODEL": "gpt-4o-mini-e2e",
        "COMPANY_PROMPT": "We are the e2e flower shop. Be brief.",
        "INVITE_EMAIL": "invited.settings@demo.example.com",
        "INVITE_NAME": "Ines Invited",
    }

    seen = run_browser(
        "settings.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "INBOX_AGENT_EMAIL": agent_email,
            "INBOX_AGENT_PASSWORD": agent_password,
            **names,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert {screen: found for screen, found in seen["axe"].items() if found} == {}
    assert set(seen["axe"]) == {
        "integrations",
        "mailboxForm",
        "webhookSecret",
        "folders",
        "folderEditor",
        "ai",
        "people",
    }
    # People (issue 13, item 1): the invited person is listed, an enabled agent, and the API has them.
    assert seen["invitedRow"][:2] == [names["INVITE_NAME"], names["INVITE_EMAIL"]]
    assert seen["invitedRow"][3].startswith("Active")
    [invited] = [u for u in api_get(web_stack, token, "/users")["items"] if u["email"] == names["INVITE_EMAIL"]]
    assert (invited["name"], invited["role"], invited["enabled"]) == (names["INVITE_NAME"], "agent", True)
    # A mailbox: the preset fills the servers; nothing is saved before the connection is tested.
    assert (seen["presetHost"], seen["saveBeforeTest"]) == ("ssl0.ovh.net", True)

    # The folder's rule is the builder's two-condition OR, as GET /folders holds it.
    rule = {
        "any": [
            {"field": "subject", "op": "contains", "value": "Invoice", "not": False},
            {"field": "from_name", "op": "contains", "value": "Sofia", "not": False},
        ]
    }
    folders = api_get(web_stack, token, "/folders")["items"]
    [folder] = [f for f in folders if f["name"] == names["FOLDER_NAME"]]
    assert folder["rules"] == rule
    # The preview listed what the API's preview of the same rule lists: James's invoice and Sofia's quote.
    preview = requests.post(
        f"{web_stack['api_url']}/folders/preview",
        json={"rules": rule},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    assert sorted(seen["previewIds"]) == sorted(c["id"] for c in preview["items"])
    assert len(seen["previewIds"]) >= 2
    assert seen["previewCount"] == f"{len(preview['items'])} of the latest {preview['examined']} conversations."
    # Alt+Up moved it above the folder before it, in the list and in the API's order.
    assert seen["orderAfter"][-2] == names["FOLDER_NAME"]
    assert seen["orderAfter"][-1] == seen["orderBefore"][-2]
    assert seen["focusAfterMove"] == f"Move {names['FOLDER_NAME']}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        order = [f["name"] for f in api_get(web_stack, token, "/folders")["items"] if not f["system"]]
        if order == seen["orderAfter"]:
            break
        time.sleep(0.5)
    assert order == seen["orderAfter"]

    # The webhook's secret was shown once, and it is the one the API checks signatures with.
    assert re.fullmatch(r"whsec_[0-9a-f]{64}", seen["secret"]), seen["secret"]
    assert seen["secretShownAgain"] is False
    [hook] = [i for i in api_get(web_stack, token, "/integrations") if i["name"] == names["WEBHOOK_NAME"]]
    assert seen["webhookUrl"] == seen["cardUrl"] == f"{web_stack['web_url'].rstrip('/')}{hook['webhook_path']}"
    message = {"external_id": "e2e-settings-1", "from": {"name": "Ana", "email": "ana@example.com"}, "text": "Hi"}
    body = json.dumps(message).encode()
    delivered = requests.post(
        seen["webhookUrl"],
        data=body,
        headers={"Content-Type": "application/json", "X-Inbox-Signature": sign(seen["secret"], body, int(time.time()))},
        timeout=30,
    )
    assert delivered.status_code == 202, delivered.text

    # The AI model changed; the key stays write-only.
    ai = api_get(web_stack, token, "/settings/ai")
    assert ai["model"] == names["AI_MODEL"]
    # The company prompt and the caps (issue 12) saved with it.
    assert ai["company_prompt"] == names["COMPANY_PROMPT"]
    assert ai["autoreply_limits"]["window_minutes"] == 15
    assert seen["keyState"] in ("(set)", "(not set)")
    assert seen["keyFieldEmpty"] is True
    assert seen["backToInbox"] is True

    # An agent has no Settings in the header; reached by its address, the screen refuses.
    assert seen["agentSeesSettings"] == 0
    assert "Only admins change the settings." in seen["agentSettingsScreen"]


def test_the_knowledge_base_screen_adds_uploads_edits_and_deletes_documents(web_stack):
    """Issue 12, item 6: Settings → Knowledge base, as the demo admin would use it."""
    token = id_token(web_stack)
    title = "Retours et livraison (e2e)"
    file_text = "Horaires du service client : du lundi au vendredi, de 9 h à 18 h."
    seen = run_browser(
        "knowledge.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "DOC_TITLE": title,
            "FILE_TEXT": file_text,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert {screen: found for screen, found in seen["axe"].items() if found} == {}
    assert set(seen["axe"]) == {"knowledge", "knowledgeEdit"}
    assert (seen["title"], seen["navCurrent"]) == ("Knowledge base", "Knowledge base")
    assert seen["details"].startswith("Markdown · ")
    assert seen["details"].endswith("· 2 passages")
    assert seen["refusal"] == "“file” was not accepted: is binary data, not a PDF, DOCX, TXT or HTML file"
    assert seen["editText"].startswith("# Retours\n\nVous avez 30 jours")
    assert f"{title} (edited)" in seen["titlesAfter"]
    assert "horaires" not in seen["titlesAfter"]
    assert seen["frenchTitle"] == "Base de connaissances"
    assert seen["frenchActions"] == ["Ajouter un texte", "Importer un fichier"]

    # What the screen showed is what the API holds.
    documents = {d["title"]: d for d in api_get(web_stack, token, "/knowledge")["items"]}
    edited = documents[f"{title} (edited)"]
    assert (edited["kind"], edited["passages"]) == ("markdown", 2)
    assert "horaires" not in documents
    text = api_get(web_stack, token, f"/knowledge/{edited['id']}")["text"]
    assert text == "# Retours\n\nVous avez 30 jours pour retourner un article.\n\n# Livraison\n\nExpédition sous 48 h."


def test_integration_forms_test_a_mailbox_add_a_whatsapp_template_and_connect_vonage(
    web_stack, mailbox, smtp_server_factory
):
    """Issue 11, items 4 and 9: the mailbox form after Test connection, the WhatsApp templates editor and the
    Vonage form with its webhook URLs, as the demo admin uses them; axe-core on each."""
    token = id_token(web_stack)
    vonage = web_stack["vonage"]
    demo = api_get(web_stack, token, f"/integrations/{vonage['integration_id']}")
    templates_before = demo["settings"].get("whatsapp_templates", [])
    # The form logs in to both servers with one user name and password, as most providers do.
    smtp = smtp_server_factory(tls="none", username=mailbox.username, password=mailbox.password)
    imap = mailbox.imap_settings(tls="none")
    template_name = f"e2e_settings_{secrets.token_hex(3)}"
    names = {
        "TEMPLATE_NAME": template_name,
        "TEMPLATE_TEXT": "Hello {{1}}, your parcel is on its way.",
        "VONAGE_NAME": "Second shop (e2e)",
        # WhatsApp only: SMS numbers must be rented by the account, and the fake rents only the demo's.
        # A WhatsApp sender is not checked against the account; this one is not the demo's.
        "VONAGE_WHATSAPP_NUMBER": "+33757000042",
    }

    seen = run_browser(
        "integrations.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "MAIL_ADDRESS": mailbox.username,
            "MAIL_USERNAME": mailbox.username,
            "MAIL_PASSWORD": mailbox.password,
            "IMAP_HOST": imap["host"],
            "IMAP_PORT": str(imap["port"]),
            "SMTP_HOST": smtp.host,
            "SMTP_PORT": str(smtp.port),
            "DEMO_VONAGE_NAME": demo["name"],
            "VONAGE_API_KEY": vonage["api_key"],
            "VONAGE_API_SECRET": vonage["api_secret"],
            "VONAGE_SIGNATURE_SECRET": vonage["signature_secret"],
            "VONAGE_APPLICATION_ID": vonage["application_id"],
            "VONAGE_PRIVATE_KEY": vonage["private_key_pem"],
            **names,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert {screen: found for screen, found in seen["axe"].items() if found} == {}
    assert set(seen["axe"]) == {"mailboxTested", "whatsappTemplates", "vonageForm", "vonageCreated"}
    # The mailbox: both servers accepted it, and only then could it be saved.
    assert seen["mailCheck"] == ["Incoming mail (IMAP): connected", "Outgoing mail (SMTP): connected"]
    assert (seen["mailSaveBeforeTest"], seen["mailSaveAfterTest"]) == (False, True)

    # The template was added to those the demo account had (the composers' test's, when it ran first).
    assert seen["templatesBefore"] == len(templates_before)
    assert seen["templateParameters"] == "Parameters: 1"
    templates = api_get(web_stack, token, f"/integrations/{vonage['integration_id']}")["settings"]["whatsapp_templates"]
    new = {"name": template_name, "locale": "en-GB", "parameters": 1, "text": names["TEMPLATE_TEXT"]}
    assert templates == [*templates_before, new]

    # The connected panel showed the stack's own webhook URLs, the ones the demo's account posts to.
    assert seen["vonageUrls"] == {
        "SMS inbound URL": vonage["webhooks"]["sms"],
        "Messages application: inbound URL": vonage["webhooks"]["messages_inbound"],
        "Messages application: status URL": vonage["webhooks"]["messages_status"],
    }
    assert seen["vonageCardShown"] is True
    [second] = [i for i in api_get(web_stack, token, "/integrations") if i["name"] == names["VONAGE_NAME"]]
    assert second["settings"]["whatsapp_numbers"] == [names["VONAGE_WHATSAPP_NUMBER"]]
    # Removed, so later tests see the demo's channels only.
    removed = requests.delete(
        f"{web_stack['api_url']}/integrations/{second['id']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert removed.status_code == 204, removed.text
