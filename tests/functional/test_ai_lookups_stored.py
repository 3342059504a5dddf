"""The AI's lookups as the table keeps them (issue 16 review, lookups #1, #6, #12): numbers in a
parameter's enum come back as numbers, a lookup stored in the first form (a map) still reads, two
lookups of one name cannot both be stored, and a lookup's schema has a size bound."""

from __future__ import annotations

from typing import Any

from helpers.events import api_request
from inbox import wiring
from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import item_of, marshal

ENUMS = {
    "size": {"type": "object", "properties": {"size": {"type": "integer", "enum": [1, 2]}}},
    "weight": {"type": "object", "properties": {"w": {"type": "number", "enum": [1.5, 2]}}},
}


def lookup_body(name: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "description": "Find an order by its number",
        "parameters": parameters,
        "endpoint": "https://shop.example.com/lookups",
    }


def test_numbers_in_an_enum_are_stored_read_offered_and_removable(aws, api):
    created = {}
    for name, parameters in ENUMS.items():
        status, body = api(api_request("POST", "/ai/lookups", lookup_body(name, parameters)))
        assert status == 201, body
        created[name] = body
    status, listed = api(api_request("GET", "/ai/lookups"))
    assert status == 200, listed
    enums = {item["name"]: next(iter(item["parameters"]["properties"].values()))["enum"] for item in listed["items"]}
    assert enums == {"size": [1, 2], "weight": [1.5, 2]}
    assert all(type(v) is int for v in enums["size"])
    tools = wiring.ai_lookups().tools("tenant-sample")
    assert [(t.name, t.parameters) for t in tools] == [
        ("size", created["size"]["parameters"]),
        ("weight", created["weight"]["parameters"]),
    ]
    for item in created.values():
        assert api(api_request("DELETE", f"/ai/lookups/{item['id']}"))[0] == 204
    assert api(api_request("GET", "/ai/lookups")) == (200, {"items": []})


def test_a_lookup_stored_as_a_map_before_the_fix_still_reads(aws, api):
    """The first form kept `parameters` as a DynamoDB map (its numbers come back as Decimal)."""
    status, created = api(api_request("POST", "/ai/lookups", lookup_body("size", {"type": "object", "properties": {}})))
    assert status == 201, created
    store = wiring.ai_lookups()._store
    lookup = store.lookup("tenant-sample", created["id"])
    old = lookup.model_copy(update={"parameters": {**lookup.parameters, "properties": ENUMS["size"]["properties"]}})
    item = item_of(keys.ai_lookups_pk("tenant-sample"), keys.ai_lookup_sk(lookup.id), "ai_lookup", old)
    store._call("put_item", TableName=store._table, Item=marshal(item))
    [read] = store.lookups("tenant-sample")
    assert read.parameters["properties"]["size"]["enum"] == [1, 2]
    assert all(type(v) is int for v in read.parameters["properties"]["size"]["enum"])
    assert store.lookup("tenant-sample", lookup.id) == read


def big_parameters() -> dict[str, Any]:
    """10 parameters, each a 200-character description and 20 values of 100 characters: about 25 KB."""
    return {
        "type": "object",
        "properties": {
            f"p{n}": {"type": "string", "description": "d" * 200, "enum": [f"{v:03d}" + "v" * 97 for v in range(20)]}
            for n in range(10)
        },
    }


def test_a_schema_over_the_size_bound_is_a_422_on_parameters(aws, api):
    status, body = api(api_request("POST", "/ai/lookups", lookup_body("big", big_parameters())))
    assert status == 422, body
    assert body["error"]["message"].startswith("parameters:"), body
    status, created = api(api_request("POST", "/ai/lookups", lookup_body("small", ENUMS["size"])))
    assert status == 201, created
    status, body = api(api_request("PATCH", f"/ai/lookups/{created['id']}", {"parameters": big_parameters()}))
    assert status == 422, body
    assert body["error"]["message"].startswith("parameters:"), body
