"""Who acts (issue 14, item 3): the contextvar, and `changed_by` stamped by the table adapter on
every Put and Update it sends, merged into the write's own expressions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from inbox.actor import Actor, acting_as, current_actor, is_removal_stamp
from inbox.adapters.dynamodb.table import Table, fields_of

FOLDER = {"PK": {"S": "T#t"}, "SK": {"S": "FOLDER#f1"}}


class Recorder:
    def __init__(self):
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, operation):
        def call(**kwargs):
            self.calls.append((operation, kwargs))
            return {}

        return call


def test_acting_as_nests_and_comes_back():
    assert current_actor() == Actor.system("unknown")
    with acting_as(Actor.person("u1")):
        assert current_actor().stamp == "person:u1"
        with acting_as("classify"):
            assert current_actor() == Actor("system", "classify")
        assert current_actor().id == "u1"
    assert current_actor().id == "unknown"


def test_a_handler_decorated_acts_as_its_part():
    @acting_as("sync")
    def handler():
        return current_actor().stamp

    assert handler() == "system:sync"
    assert handler() == "system:sync"  # the decorator works again on each call
    assert current_actor().id == "unknown"


def test_stamps_are_read_back():
    assert Actor.of_stamp("person:abc") == Actor.person("abc")
    assert Actor.of_stamp("system:autoreply") == Actor.system("autoreply")
    assert Actor.of_stamp(None) is None
    assert Actor.of_stamp("robot:x") is None
    assert Actor.of_stamp(Actor.person("abc").removal_stamp) == Actor.person("abc")
    assert is_removal_stamp("person:abc;removing")
    assert not is_removal_stamp("person:abc")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("SET a = :a", "SET #audit_changed_by = :audit_changed_by, a = :a"),
        ("ADD #total :total", "ADD #total :total SET #audit_changed_by = :audit_changed_by"),
        (
            "ADD #version :one SET #type = :type",
            "ADD #version :one SET #audit_changed_by = :audit_changed_by, #type = :type",
        ),
        ("set x = :set REMOVE y", "set #audit_changed_by = :audit_changed_by, x = :set REMOVE y"),
        ("REMOVE #set", "REMOVE #set SET #audit_changed_by = :audit_changed_by"),
    ],
)
def test_update_item_is_stamped_in_its_set_clause(expression, expected):
    client = Recorder()
    with acting_as(Actor.person("u1")):
        Table(client, "t")._call(
            "update_item",
            TableName="t",
            Key={},
            UpdateExpression=expression,
            ExpressionAttributeValues={":a": {"S": "1"}},
        )
    (_, sent) = client.calls[0]
    assert sent["UpdateExpression"] == expected
    assert sent["ExpressionAttributeNames"]["#audit_changed_by"] == "changed_by"
    assert sent["ExpressionAttributeValues"] == {":a": {"S": "1"}, ":audit_changed_by": {"S": "person:u1"}}


def test_puts_transactions_and_batches_are_stamped():
    client = Recorder()
    table = Table(client, "t")
    with acting_as("classify"):
        table._call("put_item", TableName="t", Item={"PK": {"S": "p"}})
        table._transact(
            [
                {"Put": {"TableName": "t", "Item": {"PK": {"S": "p"}}}},
                {"Update": {"TableName": "t", "Key": {}, "UpdateExpression": "ADD n :one"}},
                {"Delete": {"TableName": "t", "Key": FOLDER}},
                {"ConditionCheck": {"TableName": "t", "Key": {}, "ConditionExpression": "attribute_exists(PK)"}},
            ]
        )
        table._call("batch_write_item", RequestItems={"t": [{"PutRequest": {"Item": {}}}, {"DeleteRequest": {}}]})
    stamp = {"S": "system:classify"}
    assert client.calls[0][1]["Item"]["changed_by"] == stamp
    operation, before_delete = client.calls[1]  # an audited item is stamped by its deleter first
    assert operation == "update_item"
    assert before_delete["Key"] == FOLDER
    # marked as a removal's stamp: a removal without the mark is nobody's action (audit item 1)
    assert before_delete["ExpressionAttributeValues"] == {":audit_changed_by": {"S": "system:classify;removing"}}
    put, update, delete, check = client.calls[2][1]["TransactItems"]
    assert put["Put"]["Item"]["changed_by"] == stamp
    assert update["Update"]["ExpressionAttributeValues"][":audit_changed_by"] == stamp
    assert delete == {"Delete": {"TableName": "t", "Key": FOLDER}}
    assert "ExpressionAttributeValues" not in check["ConditionCheck"]
    batch = client.calls[3][1]["RequestItems"]["t"]
    assert batch[0]["PutRequest"]["Item"]["changed_by"] == stamp
    assert batch[1] == {"DeleteRequest": {}}


def test_no_model_sees_the_stamp():
    assert fields_of({"PK": "p", "SK": "s", "type": "x", "changed_by": "person:u", "name": "n"}) == {"name": "n"}


def test_other_deletes_are_not_stamped_first():
    client = Recorder()
    Table(client, "t")._call("delete_item", TableName="t", Key={"PK": {"S": "T#t#CONV#c"}, "SK": {"S": "SUGGESTING"}})
    assert [operation for operation, _ in client.calls] == ["delete_item"]


def test_every_worker_acts_as_a_named_part_with_words_for_it():
    """A worker without `@acting_as` writes as `system:unknown` (the search indexer did: audit item
    12); the web app names each part in English and French (`audit.system.<part>`)."""
    root = Path(__file__).resolve().parents[2]
    catalog = (root / "web/src/i18n/messages.ts").read_text()
    parts = {}
    for app in sorted((root / "functions").glob("*/app.py")):
        if app.parent.name == "api":
            continue  # the signed-in person, each request (http/api.py), else the `webhook` part
        parts[app.parent.name] = re.findall(r'^@acting_as\("(\w+)"\)', app.read_text(), re.MULTILINE)
    assert [name for name, named in parts.items() if not named] == []
    for part in {"webhook", *(p for named in parts.values() for p in named)}:
        assert catalog.count(f'"audit.system.{part}":') == 2, part  # en and fr
