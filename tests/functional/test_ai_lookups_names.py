"""A lookup's name is its tenant's alone (issue 16, item 1 leftovers): the table claims it in the
same transaction as the lookup, so two creations racing past the service's check of the list store
one lookup and answer the other a 409 naming `name`; a rename claims the new name and lets go of the
old one; a delete frees it; another tenant's names are its own. A lookup stored before the claims
(none for its name) keeps its name through the service's check of the list; a claim left behind
(its lookup gone, or named otherwise since) is taken over by the next to take the name; a rename
racing a delete is a 404; writes colliding twice are still a 409 on `name`."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from helpers.events import api_request
from inbox import wiring
from inbox.adapters.dynamodb import keys

OTHER_TENANT = {"custom:tenant_id": "tenant-other", "sub": "u-other-admin"}
PARAMETERS = {"type": "object", "properties": {"order_number": {"type": "string"}}, "required": ["order_number"]}
TAKEN = "name: another lookup is named find_order"
BUSY = "name: another change of this name was being saved at the same moment: try again"
TENANT = "tenant-sample"


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


# ------------------------------------------------------------------ lookups stored before the claims


def stored_before_the_claims(api, name: str) -> dict[str, Any]:
    """A lookup as the store kept it before names were claimed: its item, no claim of its name."""
    status, created = create(api, name)
    assert status == 201, created
    store = wiring.ai_lookups()._store
    claim = {"PK": {"S": keys.ai_lookups_pk(TENANT)}, "SK": {"S": keys.ai_lookup_name_sk(name)}}
    store._call("delete_item", TableName=store._table, Key=claim)
    assert store._holder(TENANT, name) is None
    return created


def test_a_lookup_stored_before_the_claims_still_holds_its_name_against_a_creation_and_a_rename(aws, api):
    stored_before_the_claims(api, "find_order")
    status, other = create(api, "find_booking")
    assert status == 201, other

    assert create(api) == (409, {"error": {"code": "conflict", "message": TAKEN}})  # the service's check of the list
    status, body = api(api_request("PATCH", f"/ai/lookups/{other['id']}", {"name": "find_order"}))
    assert (status, body["error"]["message"]) == (409, TAKEN)
    assert names(api) == ["find_booking", "find_order"]


def test_a_lookup_stored_before_the_claims_can_be_renamed_and_then_deleted(aws, api):
    old = stored_before_the_claims(api, "find_order")
    path = f"/ai/lookups/{old['id']}"

    status, renamed = api(api_request("PATCH", path, {"name": "find_parcel"}))

    assert (status, renamed["name"]) == (200, "find_parcel")
    assert wiring.ai_lookups()._store._holder(TENANT, "find_parcel") == old["id"]  # claimed from now on
    assert create(api, "find_parcel")[0] == 409
    status, again = create(api)  # its old name is free
    assert status == 201, again

    assert api(api_request("DELETE", path))[0] == 204
    status, reused = create(api, "find_parcel")
    assert status == 201, reused
    assert names(api) == ["find_order", "find_parcel"]


def test_a_lookup_stored_before_the_claims_can_be_deleted_and_its_name_used_again(aws, api):
    old = stored_before_the_claims(api, "find_order")

    assert api(api_request("DELETE", f"/ai/lookups/{old['id']}"))[0] == 204

    status, again = create(api)
    assert status == 201, again
    assert wiring.ai_lookups()._store._holder(TENANT, "find_order") == again["id"]


# ------------------------------------------------------------------ claims left behind


def renamed_twice_at_once(api, monkeypatch, lookup_id: str, first: str, then: str) -> None:
    """Two renames of one lookup racing: `first` lands while the rename to `then` is under way (it
    read the lookup under its old name before), which leaves `first` claimed by a lookup named `then`."""
    store = wiring.ai_lookups()._store
    path = f"/ai/lookups/{lookup_id}"
    listed = store.lookups

    def meanwhile(tenant_id: str):
        monkeypatch.setattr(store, "lookups", listed)
        assert api(api_request("PATCH", path, {"name": first}))[0] == 200
        return listed(tenant_id)

    monkeypatch.setattr(store, "lookups", meanwhile)  # read by the rename after it read the lookup
    status, renamed = api(api_request("PATCH", path, {"name": then}))
    assert (status, renamed["name"]) == (200, then)
    assert store._holder(TENANT, first) == lookup_id  # the claim left behind


def test_a_claim_whose_lookup_is_named_otherwise_now_is_taken_over_by_a_creation(aws, api, monkeypatch):
    status, holder = create(api, "find_booking")
    assert status == 201, holder
    renamed_twice_at_once(api, monkeypatch, holder["id"], first="find_order", then="find_parcel")

    status, created = create(api)

    assert status == 201, created
    store = wiring.ai_lookups()._store
    assert store._holder(TENANT, "find_order") == created["id"]
    assert store._holder(TENANT, "find_parcel") == holder["id"]  # its own name stays held
    assert create(api, "find_parcel")[0] == 409
    assert names(api) == ["find_order", "find_parcel"]


def test_a_claim_whose_lookup_is_named_otherwise_now_is_taken_over_by_a_rename(aws, api, monkeypatch):
    status, holder = create(api, "find_booking")
    assert status == 201, holder
    renamed_twice_at_once(api, monkeypatch, holder["id"], first="find_order", then="find_parcel")
    status, other = create(api, "find_invoice")
    assert status == 201, other

    status, renamed = api(api_request("PATCH", f"/ai/lookups/{other['id']}", {"name": "find_order"}))

    assert (status, renamed["name"]) == (200, "find_order")
    store = wiring.ai_lookups()._store
    assert store._holder(TENANT, "find_order") == other["id"]
    assert store._holder(TENANT, "find_invoice") is None  # its old name let go
    assert create(api) == (409, {"error": {"code": "conflict", "message": TAKEN}})
    assert create(api, "find_invoice")[0] == 201


def test_a_claim_left_by_a_lookup_gone_is_taken_over_by_a_rename(aws, api):
    status, gone = create(api)
    assert status == 201, gone
    store = wiring.ai_lookups()._store
    lookup_key = {"PK": {"S": keys.ai_lookups_pk(TENANT)}, "SK": {"S": keys.ai_lookup_sk(gone["id"])}}
    store._call("delete_item", TableName=store._table, Key=lookup_key)  # the lookup gone, its claim left
    status, other = create(api, "find_booking")
    assert status == 201, other

    status, renamed = api(api_request("PATCH", f"/ai/lookups/{other['id']}", {"name": "find_order"}))

    assert (status, renamed["name"]) == (200, "find_order")
    assert store._holder(TENANT, "find_order") == other["id"]
    assert store._holder(TENANT, "find_booking") is None
    assert names(api) == ["find_order"]


# ------------------------------------------------------------------ races


def test_a_rename_racing_a_delete_is_a_404_and_claims_nothing(aws, api, monkeypatch):
    status, created = create(api)
    assert status == 201, created
    store = wiring.ai_lookups()._store
    path = f"/ai/lookups/{created['id']}"
    listed = store.lookups

    def deleted_meanwhile(tenant_id: str):  # after the rename read the lookup, before it writes
        monkeypatch.setattr(store, "lookups", listed)
        assert api(api_request("DELETE", path))[0] == 204
        return listed(tenant_id)

    monkeypatch.setattr(store, "lookups", deleted_meanwhile)
    status, body = api(api_request("PATCH", path, {"name": "find_parcel"}))

    assert (status, body["error"]["code"]) == (404, "not_found")
    assert names(api) == []  # not brought back
    assert store._holder(TENANT, "find_parcel") is None
    assert store._holder(TENANT, "find_order") is None
    assert create(api, "find_parcel")[0] == 201
    assert create(api)[0] == 201


class Collisions:
    """DynamoDB cancelling the store's next `times` transactions for a conflict with another writer
    (TransactionConflict on the name's claim, as it says it), `meanwhile` done before the last."""

    def __init__(self, monkeypatch, times: int, meanwhile=None) -> None:
        client = wiring.ai_lookups()._store._client
        self.left, self.meanwhile, self._transact = times, meanwhile, client.transact_write_items
        monkeypatch.setattr(client, "transact_write_items", self._write)

    def _write(self, **kwargs):
        if not self.left:
            return self._transact(**kwargs)
        self.left -= 1
        if not self.left and self.meanwhile:
            self.meanwhile()  # the other writer, its own write let through
        reasons = [{"Code": "None"}, {"Code": "TransactionConflict"}] + [{"Code": "None"}] * (
            len(kwargs["TransactItems"]) - 2
        )
        response = {"Error": {"Code": "TransactionCanceledException"}, "CancellationReasons": reasons}
        raise ClientError(response, "TransactWriteItems")


def test_a_creation_colliding_twice_is_a_409_on_the_name_and_trying_again_stores_it(aws, api, monkeypatch):
    collisions = Collisions(monkeypatch, times=2)

    assert create(api) == (409, {"error": {"code": "conflict", "message": BUSY}})

    assert (collisions.left, names(api)) == (0, [])
    status, again = create(api)
    assert status == 201, again


def test_a_creation_colliding_twice_with_another_that_takes_the_name_is_told_it_is_taken(aws, api, monkeypatch):
    others: list[tuple[int, Any]] = []
    Collisions(monkeypatch, times=2, meanwhile=lambda: others.append(create(api)))

    assert create(api) == (409, {"error": {"code": "conflict", "message": TAKEN}})

    assert [status for status, _ in others] == [201]
    assert names(api) == ["find_order"]


def test_a_rename_colliding_twice_is_a_409_on_the_name_and_changes_nothing(aws, api, monkeypatch):
    status, created = create(api)
    assert status == 201, created
    path = f"/ai/lookups/{created['id']}"
    Collisions(monkeypatch, times=2)

    assert api(api_request("PATCH", path, {"name": "find_parcel"})) == (
        409,
        {"error": {"code": "conflict", "message": BUSY}},
    )

    assert names(api) == ["find_order"]
    Collisions(monkeypatch, times=2)  # no name at stake: the general conflict, as before
    status, body = api(api_request("PATCH", path, {"description": "Find an order by number"}))
    assert (status, body["error"]["message"]) == (409, "another transaction is writing the same items")
