"""Business hours and a folder's nudges in a real browser (issue 13, item 6): Settings → Business hours
(time zone, week grid, holidays) and the folder editor's automatic follow-up, as the API then holds them;
axe on each screen, and the hours screen in French."""

from __future__ import annotations

import secrets

import pytest

from helpers.local_stack import sign_in
from helpers.web import api_get, run_browser

pytestmark = pytest.mark.e2e


def test_an_admin_sets_business_hours_and_a_folder_nudge(own_tenant):
    admin = own_tenant["admin"]
    folder_name = f"Quotes {secrets.token_hex(3)}"
    nudge_text = "Have you had a chance to look at our quote?"
    seen = run_browser(
        "nudges.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "FOLDER_NAME": folder_name,
            "NUDGE_TEXT": nudge_text,
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"hours": [], "folderNudge": [], "hoursFrench": []}
    assert seen["defaults"].startswith("Not set yet: Monday to Friday, 09:00 to 18:00")
    assert seen["overlap"] == "Overlaps other hours of this day."
    assert seen["saveDisabledOnOverlap"] is True
    assert seen["nightShift"] == "(the next day)"
    assert seen["friday"].startswith("Closed")
    assert seen["saved"] == "Business hours saved."
    assert seen["disabledWhileOff"] is True
    assert (seen["frenchZone"], seen["frenchMonday"]) == ("America/New_York", "Lundi")

    token = sign_in(own_tenant, admin["username"], admin["password"])
    hours = api_get(own_tenant, token, "/settings/business-hours")
    assert hours["configured"] is True
    assert hours["time_zone"] == "America/New_York"
    week = hours["week"]
    assert week["monday"] == [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}]
    assert week["friday"] == []
    assert week["saturday"] == [{"start": "22:00", "end": "06:00"}]
    assert week["tuesday"] == [{"start": "09:00", "end": "18:00"}]
    assert hours["holidays"] == ["2026-12-25"]

    (folder,) = [f for f in api_get(own_tenant, token, "/folders")["items"] if f["name"] == folder_name]
    assert folder["nudge"] == {
        "enabled": True,
        "after_hours": 24,
        "max_nudges": 3,
        "mode": "validation",
        "text": nudge_text,
    }
