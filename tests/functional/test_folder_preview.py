"""A folder's rule tried before it is saved: which of the tenant's latest conversations it would file."""

from __future__ import annotations

from helpers.events import api_request
from samples import AGENT


def preview(rules: dict, **claims: str) -> tuple[int, dict]:
    return api_request("POST", "/folders/preview", {"rules": rules}, **claims)


def test_the_preview_lists_the_latest_conversations_the_rule_matches(api, post_webhook):
    assert post_webhook()[0] == 202  # Élodie Martin, "Commande 1042 : livraison ?"
    status, _ = post_webhook(
        external_id="form-2",
        thread_key="other",
        subject="Rendez-vous mardi",
        text="Bonjour, je voudrais un rendez-vous.",
        **{"from": {"name": "Paul Durand", "email": "paul@durand.example"}},
    )
    assert status == 202
    _, page = api(api_request("GET", "/conversations"))
    by_subject = {c["subject"]: c["id"] for c in page["items"]}

    either = {
        "any": [
            {"field": "subject", "op": "contains", "value": "COMMANDE"},  # folded like the classifier folds
            {"field": "body", "op": "contains", "value": "Rendez-Vous", "not": False},
        ]
    }
    status, found = api(preview(either))
    assert status == 200, found
    assert sorted(c["id"] for c in found["items"]) == sorted(by_subject.values())
    assert (found["examined"], found["not_previewed"]) == (2, [])

    nested = {
        "all": [
            {"field": "from_domain", "op": "equals", "value": "durand.example", "not": True},
            {
                "any": [
                    {"field": "channel", "op": "equals", "value": "custom"},
                    {"field": "header:X-Shop", "op": "contains", "value": "1"},
                ]
            },
        ]
    }
    status, found = api(preview(nested))
    assert status == 200, found
    assert [c["id"] for c in found["items"]] == [by_subject["Commande 1042 : livraison ?"]]
    # A header is not on a conversation's list item: the preview says it cannot judge it.
    assert found["not_previewed"] == ["header:x-shop"]


def test_the_preview_sees_only_the_callers_tenant_and_is_for_admins(api, post_webhook):
    assert post_webhook()[0] == 202
    anything = {"any": [{"field": "subject", "op": "matches", "value": "."}]}
    assert len(api(preview(anything))[1]["items"]) == 1

    status, other = api(preview(anything, **{"custom:tenant_id": "tenant-other"}))
    assert (status, other["items"], other["examined"]) == (200, [], 0)
    assert api(preview(anything, **AGENT))[0] == 403


def test_a_bad_rule_is_refused_as_a_folder_would_refuse_it(api):
    status, body = api(preview({"all": [{"field": "sender", "op": "contains", "value": "x"}]}))
    assert status == 422, body
    assert body["error"]["message"].startswith("rules.all.0.field: "), body
