"""Projects in a real browser (issue 13, item 7): added in the settings, linked from a conversation,
created on the spot, the list filtered by one, archived ones no longer offered; axe on each screen."""

from __future__ import annotations

import secrets

import pytest

from helpers.local_stack import post_webhook, sign_in
from helpers.web import api_get, run_browser

pytestmark = pytest.mark.e2e


def test_a_project_is_added_linked_created_on_the_spot_filtered_and_archived(own_tenant):
    second = {
        "external_id": secrets.token_hex(8),
        "from": {"name": "Second Customer", "email": "second@example.net"},
        "subject": "Devis cuisine",
        "text": "Pouvez-vous passer mardi ?",
    }
    assert post_webhook(own_tenant, second).status_code == 202
    admin = own_tenant["admin"]
    token = sign_in(own_tenant, admin["username"], admin["password"])
    tag = secrets.token_hex(3)
    names = {"PROJECT": f"Kitchen {tag}", "REFERENCE": f"JOB-{tag}", "SPOT_PROJECT": f"Bathroom {tag}"}
    seen = run_browser(
        "projects.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "PROJECT_URL": f"https://erp.example.com/jobs/{tag}",
            **names,
        },
        timeout=180,
    )

    assert seen["problems"] == [], "\n".join(seen["problems"])  # the script's own stack, whole
    assert seen["axe"] == {"settings": [], "picker": [], "spotForm": []}
    assert seen["settingsRow"] == [names["PROJECT"], names["REFERENCE"], "erp.example.com", "Active Edit Archive"]
    assert seen["outsideLink"] == {"text": "Open in erp.example.com", "href": f"https://erp.example.com/jobs/{tag}"}
    assert seen["spotLinked"] == names["SPOT_PROJECT"]

    # What the browser did is what the API holds: each conversation in its project, the filter the API's list.
    projects = {p["name"]: p for p in api_get(own_tenant, token, "/projects")["items"]}
    kitchen, bathroom = projects[names["PROJECT"]], projects[names["SPOT_PROJECT"]]
    assert (kitchen["external_ref"], kitchen["archived"], bathroom["archived"]) == (names["REFERENCE"], True, False)
    linked = {
        p["id"]: [c["id"] for c in api_get(own_tenant, token, f"/conversations?project={p['id']}")["items"]]
        for p in (kitchen, bathroom)
    }
    assert linked == {kitchen["id"]: [seen["firstId"]], bathroom["id"]: [seen["spotId"]]}
    assert seen["filtered"] == [seen["firstId"]]
    assert seen["urlHasProject"]
    assert seen["offeredAfterArchive"] == ["No project", names["SPOT_PROJECT"], "New project…"]
