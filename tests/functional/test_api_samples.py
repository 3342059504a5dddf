"""Every route of the API has a sample event in `events/api/`, and the samples do what they say:
played in order as one admin would, each answers as documented and leaves what a person would see."""

from __future__ import annotations

import json
import re

from helpers.events import EVENTS, load_event, signed

SAMPLES = sorted((EVENTS / "api").glob("*.json"))


def _route(sample: dict) -> tuple[str, str]:
    return sample["requestContext"]["http"]["method"], sample["rawPath"]


def test_every_route_of_the_api_has_a_sample_event():
    from functions.api.app import app

    document = json.loads(app.get_openapi_json_schema())
    sampled = [_route(json.loads(path.read_text())) for path in SAMPLES]
    missing = []
    for template, operations in document["paths"].items():
        pattern = re.compile(re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method in operations:
            if not any(m == method.upper() and pattern.match(path) for m, path in sampled):
                missing.append(f"{method.upper()} {template}")
    assert missing == []


def test_each_sample_is_played_by_a_test():
    tests = "".join(path.read_text() for path in (EVENTS.parent / "tests").rglob("test_*.py"))
    unplayed = [path.name for path in SAMPLES if f"api/{path.name}" not in tests]
    assert unplayed == []


def test_the_samples_played_in_order_do_what_they_say(api):
    status, me = api(load_event("api/me.json"))
    assert (status, me["tenant_id"], me["role"]) == (200, "tenant-sample", "admin")

    status, ai = api(load_event("api/put_ai_settings.json"))
    assert (status, ai["model"]) == (200, "gpt-4o-mini")
    assert api(load_event("api/get_ai_settings.json")) == (200, ai)

    status, folder = api(load_event("api/create_folder.json"))
    assert (status, folder["name"], folder["color"]) == (201, "Factures", "#2f80ed")
    assert folder["rules"]["any"][1]["all"][0] == {
        "field": "from_domain",
        "op": "equals",
        "value": "stripe.com",
        "not": False,
    }
    status, renamed = api(load_event("api/update_folder.json", FOLDER_ID=folder["id"]))
    assert (status, renamed["id"], renamed["name"]) == (200, folder["id"], "Billing")
    status, folders = api(load_event("api/list_folders.json"))
    assert "Billing" in [f["name"] for f in folders["items"]]
    assert api(load_event("api/delete_folder.json", FOLDER_ID=folder["id"]))[0] == 204
    assert "Billing" not in [f["name"] for f in api(load_event("api/list_folders.json"))[1]["items"]]

    status, custom = api(load_event("api/create_integration.json"))
    assert status == 201
    status, renamed = api(load_event("api/update_integration.json", INTEGRATION_ID=custom["id"]))
    assert (status, renamed["name"]) == (200, "Website contact form (new site)")
    status, found = api(load_event("api/get_integration.json", INTEGRATION_ID=custom["id"]))
    assert (status, found["name"]) == (200, "Website contact form (new site)")

    webhook = load_event("api/custom_webhook.json", INTEGRATION_ID=custom["id"])
    status, delivered = api(signed(webhook, "whsec_sample_0123456789abcdefghij"))
    assert status == 202, delivered
    status, page = api(load_event("api/list_conversations.json"))
    [listed] = page["items"]
    status, conversation = api(load_event("api/get_conversation.json", CONVERSATION_ID=listed["id"]))
    assert (status, len(conversation["messages"])) == (200, 1)
    # The rule of a folder being shaped, tried on the latest conversations before it is saved.
    status, preview = api(load_event("api/preview_folder_rules.json"))
    assert (status, [c["id"] for c in preview["items"]], preview["examined"]) == (200, [listed["id"]], 1), preview
    # A custom webhook's sender cannot be answered from the inbox: the reply says so, naming why.
    status, refused = api(load_event("api/reply.json", CONVERSATION_ID=listed["id"]))
    assert status == 422, refused
    assert "not available yet" in refused["error"]["message"]
    # Resolved and read in bulk: the answer says per id what happened; the sample's unknown id is not found.
    status, bulk = api(load_event("api/bulk_conversations.json", CONVERSATION_ID=listed["id"]))
    assert status == 200, bulk
    assert [(r["id"], r["result"]) for r in bulk["results"]] == [
        (listed["id"], "changed"),
        ("no-such-conversation", "not_found"),
    ]
    assert (bulk["results"][0]["conversation"]["status"], bulk["results"][0]["conversation"]["unread"]) == (
        "resolved",
        False,
    )

    status, stats = api(load_event("api/classification_stats.json"))
    assert (status, stats["days"]) == (200, 7)

    status, mailbox = api(load_event("api/create_email_integration.json"))
    assert (status, mailbox["kind"]) == (201, "email"), mailbox
    status, queued = api(load_event("api/sync_integration.json", INTEGRATION_ID=mailbox["id"]))
    assert (status, queued) == (202, {"queued": True})
    status, check = api(load_event("api/test_integration.json"))
    assert (status, check["imap_ok"], check["smtp_ok"]) == (200, False, False)
    assert "imap.example.com" in check["imap_error"], check
    assert "smtp.example.com" in check["smtp_error"], check

    assert api(load_event("api/delete_conversation.json", CONVERSATION_ID=listed["id"]))[0] == 202
    assert api(load_event("api/get_conversation.json", CONVERSATION_ID=listed["id"]))[0] == 404
    assert api(load_event("api/delete_integration.json", INTEGRATION_ID=mailbox["id"]))[0] == 204
    assert api(load_event("api/get_integration.json", INTEGRATION_ID=mailbox["id"]))[0] == 404


def test_the_business_hours_and_nudging_folder_samples(api):
    # Unset, the hours are the defaults and say so; the sample's hours are then kept as sent.
    status, defaults = api(load_event("api/get_business_hours.json"))
    assert (status, defaults["configured"], defaults["time_zone"]) == (200, False, "Europe/Paris")
    status, stored = api(load_event("api/put_business_hours.json"))
    assert (status, stored["configured"]) == (200, True), stored
    assert stored["week"]["monday"] == [{"start": "09:00", "end": "12:30"}, {"start": "14:00", "end": "18:00"}]
    assert (stored["week"]["saturday"], stored["holidays"]) == ([], ["2026-12-25", "2027-01-01"])
    assert api(load_event("api/get_business_hours.json")) == (200, stored)

    status, folder = api(load_event("api/create_folder_with_nudge.json"))
    assert (status, folder["name"]) == (201, "Devis"), folder
    assert {k: folder["nudge"][k] for k in ("enabled", "after_hours", "max_nudges", "mode")} == {
        "enabled": True,
        "after_hours": 48,
        "max_nudges": 2,
        "mode": "automatic",
    }
    [listed] = [f for f in api(load_event("api/list_folders.json"))[1]["items"] if f["id"] == folder["id"]]
    assert listed["nudge"] == folder["nudge"]
