"""A lookup's name is its tenant's alone (issue 16, item 1 leftovers): the table claims it in the
same transaction as the lookup, so two creations racing past the service's check of the list store
one lookup and answer the other a 409 naming `name`; a rename claims the new name and lets go of the
old one; a delete frees it; another tenant's names are its own."""

from __future__ import annotations

from typing import Any

from helpers.events import api_request
from inbox import wiring
from inbox.adapters.dynamodb import keys

OTHER_TENANT = {"custom:tenant_id": "tenant-other", "sub": "u-other-admin"}
PARAMETERS = {"type": "object", "properties": {"order_number": {"type": "string"}}, "required": ["order_number"]}
TAKEN = "name: another lookup is named find_order"


def lookup_body(name: str = "find_order") -> dict[str, Any]:
    return {
        "name": name,
        "description": "Find an order by its number",
        "parameters": PARAMETERS,
        "endpoint": "https://shop.example.com/lookups/order",
    }


def create(api, name: str = "find_order", **claims: str) -> tuple[int, dict[str, Any]]:
    return api(api_request("POST", "/ai/lookups", lookup_body(name), **claims))


def names(api, **claims: str) -> list[str]:
    status, listed = api(api_request("GET", "/ai/lookups", **claims))
    assert status == 200, listed
    return sorted(item["name"] for item in listed["items"])


def test_two_creations_racing_past_the_check_store_one_and_answer_the_other_409(aws, api, monkeypatch):
    """Both read the list before either wrote (a double click): the name's claim decides."""
    store = wiring.ai_lookups()._store
    monkeypatch.setattr(store, "lookups", lambda tenant_id: [])  # the list each of them read: empty

    first, second = create(api), create(api)

    assert first[0] == 201, first
    assert second == (409, {"error": {"code": "conflict", "message": TAKEN}})
    monkeypatch.undo()
    assert names(api) == ["find_order"]
    assert [t.id for t in wiring.ai_lookups().tools("tenant-sample")] == [first[1]["id"]]


def test_a_rename_onto_a_taken_name_is_a_409_and_changes_nothing(aws, api, monkeypatch):
    assert create(api)[0] == 201
    status, other = create(api, "find_booking")
    assert status == 201, other
    path = f"/ai/lookups/{other['id']}"

    assert api(api_request("PATCH", path, {"name": "find_order"})) == (
        409,
        {"error": {"code": "conflict", "message": TAKEN}},
    )
    monkeypatch.setattr(wiring.ai_lookups()._store, "lookups", lambda tenant_id: [])  # racing past the check
    status, body = api(api_request("PATCH", path, {"name": "find_order"}))
    assert (status, body["error"]["message"]) == (409, TAKEN)
    monkeypatch.undo()
    assert names(api) == ["find_booking", "find_order"]


def test_a_rename_frees_the_old_name_and_a_delete_frees_the_name(aws, api):
    status, created = create(api)
    assert status == 201, created
    path = f"/ai/lookups/{created['id']}"

    status, renamed = api(api_request("PATCH", path, {"name": "find_parcel"}))
    assert (status, renamed["name"]) == (200, "find_parcel")
    assert create(api, "find_parcel")[0] == 409  # the new name is held
    status, again = create(api)  # the old one is free
    assert status == 201, again
    assert api(api_request("PATCH", path, {"name": "find_parcel", "enabled": False}))[0] == 200  # its own name

    assert api(api_request("DELETE", path))[0] == 204
    status, reused = create(api, "find_parcel")
    assert status == 201, reused
    assert names(api) == ["find_order", "find_parcel"]


def test_another_tenant_may_use_a_name_this_tenant_uses(aws, api):
    assert create(api)[0] == 201
    status, theirs = create(api, **OTHER_TENANT)
    assert status == 201, theirs
    assert names(api) == names(api, **OTHER_TENANT) == ["find_order"]
    assert api(api_request("DELETE", f"/ai/lookups/{theirs['id']}", **OTHER_TENANT))[0] == 204
    assert create(api)[0] == 409  # this tenant's still holds it
    assert create(api, **OTHER_TENANT)[0] == 201


def test_a_claim_left_by_a_lookup_gone_does_not_keep_the_name(aws, api):
    """A rename racing a delete can leave a claim naming a lookup no longer there: the next to take
    the name lets it go, and a claim of a lookup that now bears another name too."""
    status, created = create(api)
    assert status == 201, created
    store = wiring.ai_lookups()._store
    store._call(
        "delete_item",
        TableName=store._table,
        Key={"PK": {"S": keys.ai_lookups_pk("tenant-sample")}, "SK": {"S": keys.ai_lookup_sk(created["id"])}},
    )  # the lookup gone, its claim left behind
    assert store._holder("tenant-sample", "find_order") == created["id"]

    status, again = create(api)

    assert status == 201, again
    assert store._holder("tenant-sample", "find_order") == again["id"]
