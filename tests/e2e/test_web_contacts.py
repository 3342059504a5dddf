"""The customer panel in a real browser (issue 13, item 3): a customer shown beside their conversation with
their history, edited, merged with another after the preview (the API holds what the browser did, and a later
message from the merged-away address lands on the survivor); the panel on a phone; axe on each screen."""

from __future__ import annotations

import secrets

import pytest

from helpers.local_stack import post_webhook, sign_in
from helpers.web import api_get, run_browser

pytestmark = pytest.mark.e2e


def message(name: str, email: str, subject: str) -> dict:
    return {
        "external_id": secrets.token_hex(8),
        "from": {"name": name, "email": email},
        "subject": subject,
        "text": "?",
    }


def test_the_customer_panel_edits_and_merges_after_a_preview(own_tenant):
    third_email = f"third-{secrets.token_hex(3)}@example.net"
    assert post_webhook(own_tenant, message("Third Customer", third_email, "Facture 77")).status_code == 202
    admin = own_tenant["admin"]
    token = sign_in(own_tenant, admin["username"], admin["password"])
    [first] = api_get(own_tenant, token, "/contacts?q=first@example.net")["items"]
    [third] = api_get(own_tenant, token, f"/contacts?q={third_email}")["items"]

    seen = run_browser(
        "contacts.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "THIRD_EMAIL": third_email,
            "PHONE": "+33 6 12 34 56 78",
        },
        timeout=180,
    )

    assert seen["problems"] == [], "\n".join(seen["problems"])
    assert seen["axe"] == {"panel": [], "editor": [], "preview": [], "search": [], "phone": []}
    assert (seen["name"], seen["toggleExpanded"], seen["current"], seen["beside"]) == (
        "First Customer",
        "true",
        seen["firstId"],
        True,
    )
    assert seen["card"] == ["first@example.net", "+33612345678", "Martin SA", "None"]
    assert seen["claimed"].startswith(f"{third_email} is another customer's.")
    assert (seen["searched"], seen["candidates"]) == (third_email, ["Third Customer"])
    assert seen["preview"] == [
        "First Customer",
        f"first@example.net, {third_email}",
        "+33612345678",
        "Martin SA",
        "Also known as Third Customer",  # the merged-away name is kept, in the notes
    ]
    assert seen["merged"] == "Merged: 1 conversation(s) moved."
    assert seen["openedTitle"] == "Facture 77"
    assert set(seen["history"]) == {seen["firstId"], seen["thirdId"]}
    assert (seen["searchHistory"], seen["reopened"]) == (2, True)  # the top bar's Customers search

    # What the browser did is what the API holds; the merged-away address now finds the survivor.
    survivor = api_get(own_tenant, token, f"/contacts/{first['id']}")
    assert survivor["contact"]["emails"] == ["first@example.net", third_email]
    assert survivor["contact"]["merged_ids"] == [third["id"]]
    assert {c["id"] for c in survivor["conversations"]} == {seen["firstId"], seen["thirdId"]}
    later = post_webhook(own_tenant, message("Third Customer", third_email, "Encore moi"))
    assert later.status_code == 202
    conversation = api_get(own_tenant, token, f"/conversations/{later.json()['conversation_id']}")["conversation"]
    assert conversation["contact_id"] == first["id"]

    # On a phone: closed at first, opened it fits the 390 px window, its button a 44 px tap target.
    assert seen["phoneClosed"] == "false"
    phone = seen["phone"]
    assert phone["scrollWidth"] <= phone["innerWidth"] == 390
    assert phone["panelRight"] <= 390
    assert phone["toggleHeight"] >= 44
    assert phone["heading"] == "Historique"
