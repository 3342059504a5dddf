"""Saved replies in a real browser (issue 16, item 4): written on their screen (the team's and one's own),
inserted in the composer by `/` and a few letters and from the menu, filled for the conversation with a
missing value left visible and named, and offered in the follow-up dialog; axe on each of these."""

from __future__ import annotations

import secrets

import pytest

from helpers.local_stack import cognito, sign_in
from helpers.web import api_get, run_browser

pytestmark = pytest.mark.e2e


def test_saved_replies_are_written_inserted_filled_and_offered_to_follow_ups(own_tenant):
    admin = own_tenant["admin"]
    # A name for the admin, so that {{agent.name}} has a value; the email-only customer has no phone.
    cognito(own_tenant).admin_update_user_attributes(
        UserPoolId=own_tenant["user_pool_id"],
        Username=admin["username"],
        UserAttributes=[{"Name": "name", "Value": "Alex Martin"}],
    )
    tag = secrets.token_hex(3)
    titles = {"TEAM_TITLE": f"Délais de livraison {tag}", "OWN_TITLE": f"Merci beaucoup {tag}"}
    seen = run_browser(
        "saved-replies.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            **titles,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert seen["manageOffered"] == 1  # the field was empty
    assert seen["reopened"] == seen["conversationId"]  # the screen's way back opened it again
    assert seen["axe"] == {"screen": [], "suggestions": [], "menu": [], "followUp": []}
    assert seen["sections"] == [["The team's", [titles["TEAM_TITLE"]]], ["Yours", [titles["OWN_TITLE"]]]]
    assert [s.splitlines()[0] for s in seen["suggested"]] == [titles["TEAM_TITLE"]]
    assert seen["afterSlash"] == "Bonjour First, comptez 3 jours. Un numéro ? {{contact.phone}} — Alex Martin"
    assert seen["left"] == "To write by hand, no value here: {{contact.phone}}"
    assert seen["selected"] == "{{contact.phone}}"  # ready to be written over
    assert seen["menuChoices"] == [f"{titles['OWN_TITLE']}\nOnly me"]
    assert seen["afterMenu"] == seen["afterSlash"] + " Merci First !"
    assert seen["followUpText"].startswith("Bonjour {{contact.first_name}}, comptez 3 jours.")

    # What the browser wrote is what the API holds: the team's and the admin's own.
    token = sign_in(own_tenant, admin["username"], admin["password"])
    held = {r["title"]: r["scope"] for r in api_get(own_tenant, token, "/saved-replies")["items"]}
    assert held == {titles["TEAM_TITLE"]: "team", titles["OWN_TITLE"]: "personal"}
