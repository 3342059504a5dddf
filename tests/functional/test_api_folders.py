"""Folders through the API: admins shape them, everyone sees them with exact counters."""

from __future__ import annotations

from helpers.events import api_request
from samples import AGENT, APPOINTMENTS


def test_folders_are_listed_in_order_between_the_inbox_and_automated_mail(api, aws):
    assert api(api_request("POST", "/folders", {"name": "Support", "position": 5}))[0] == 201
    status, created = api(api_request("POST", "/folders", APPOINTMENTS | {"position": 1, "color": "#3366cc"}))
    assert status == 201, created
    assert created["rules"] == {
        "any": [
            {"field": "subject", "op": "contains", "value": "RDV", "not": False},
            {"field": "body", "op": "contains", "value": "rendez-vous", "not": False},
        ]
    }

    status, listed = api(api_request("GET", "/folders"))
    assert status == 200, listed
    assert [f["name"] for f in listed["items"]] == ["Inbox", "Appointments", "Support", "Newsletters & automated"]
    assert [f["system"] for f in listed["items"]] == [True, False, False, True]
    assert all(f["total"] == 0 and f["unread"] == 0 for f in listed["items"])
    # A new folder with rules sorts the open conversations again, in the background.
    jobs = aws.queued()
    assert {k: jobs[-1][k] for k in ("job", "tenant_id")} == {"job": "reclassify", "tenant_id": "tenant-sample"}


def test_only_admins_change_folders_and_everyone_reads_them(api):
    assert api(api_request("POST", "/folders", {"name": "Orders"}, **AGENT))[0] == 403
    assert api(api_request("POST", "/folders", {"name": "Orders"}))[0] == 201
    assert api(api_request("GET", "/folders", **AGENT))[0] == 200


def test_a_bad_rule_is_a_422_naming_where_it_is(api):
    cases = [
        ({"all": [{"field": "sender", "op": "contains", "value": "x"}]}, "rules.all.0.field: "),
        ({"any": [{"all": [{"field": "subject", "op": "like", "value": "x"}]}]}, "rules.any.0.all.0.op: "),
        ({"all": [{"field": "body", "op": "matches", "value": "(?<=a)b"}]}, "rules.all.0: value is not a regular"),
        ({"all": [], "any": []}, "rules: "),
    ]
    for rules, message in cases:
        status, body = api(api_request("POST", "/folders", {"name": "Bad", "rules": rules}))
        assert status == 422, (rules, body)
        assert body["error"]["message"].startswith(message), body


def test_folder_names_are_unique_and_changes_keep_their_id(api, aws):
    _, first = api(api_request("POST", "/folders", {"name": "Orders"}))
    status, body = api(api_request("POST", "/folders", {"name": "orders"}))
    assert (status, body["error"]["message"]) == (422, "name: another folder has this name")

    aws.queued()  # drain
    status, changed = api(api_request("PUT", f"/folders/{first['id']}", APPOINTMENTS))
    assert status == 200, changed
    assert (changed["id"], changed["name"]) == (first["id"], "Appointments")
    assert [job["job"] for job in aws.queued()] == ["reclassify"]

    assert api(api_request("DELETE", f"/folders/{first['id']}"))[0] == 204
    assert [job["job"] for job in aws.queued()] == ["refile"]
    assert api(api_request("PUT", f"/folders/{first['id']}", APPOINTMENTS))[0] == 404
    assert api(api_request("DELETE", "/folders/inbox"))[0] == 404  # the system folders stay
