"""local/moto_dynamodb.py: moto's TransactWriteItems without copying the stream's history, with the
same outcomes: a transaction's writes and stream records, a failed one's rollback and no records."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import StreamRecord

from local.moto_dynamodb import patch_moto_dynamodb


@pytest.fixture
def dynamodb(monkeypatch):
    patch_moto_dynamodb()

    def refuse(record, memo):
        raise AssertionError("a transaction copied the stream's records")

    monkeypatch.setattr(StreamRecord, "__deepcopy__", refuse, raising=False)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-3")
        client.create_table(
            TableName="T",
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        for n in range(20):
            client.put_item(TableName="T", Item={"PK": {"S": "A"}, "SK": {"S": f"M#{n}"}, "n": {"N": str(n)}})
        yield client


def table():
    return dynamodb_backends["123456789012"]["eu-west-3"].tables["T"]


def put(sk: str, **condition) -> dict:
    return {"Put": {"TableName": "T", "Item": {"PK": {"S": "A"}, "SK": {"S": sk}}, **condition}}


def test_a_transaction_writes_and_streams_its_items(dynamodb):
    dynamodb.transact_write_items(
        TransactItems=[
            put("NEW#1"),
            put("NEW#2"),
            {"Delete": {"TableName": "T", "Key": {"PK": {"S": "A"}, "SK": {"S": "M#0"}}}},
        ]
    )
    items = dynamodb.query(
        TableName="T", KeyConditionExpression="PK = :a", ExpressionAttributeValues={":a": {"S": "A"}}
    )
    keys = {i["SK"]["S"] for i in items["Items"]}
    assert {"NEW#1", "NEW#2"} <= keys
    assert "M#0" not in keys
    assert [r.record["eventName"] for r in table().stream_shard.items[20:]] == ["INSERT", "INSERT", "REMOVE"]


def test_a_failed_transaction_is_rolled_back_and_streams_nothing(dynamodb):
    live = table()
    with pytest.raises(ClientError, match="TransactionCanceled"):
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": "T",
                        "Key": {"PK": {"S": "A"}, "SK": {"S": "M#1"}},
                        "UpdateExpression": "SET n = :n",
                        "ExpressionAttributeValues": {":n": {"N": "100"}},
                    }
                },
                put("M#2", ConditionExpression="attribute_not_exists(PK)"),
            ]
        )
    item = dynamodb.get_item(TableName="T", Key={"PK": {"S": "A"}, "SK": {"S": "M#1"}})["Item"]
    assert item["n"] == {"N": "1"}
    restored = table()
    assert len(restored.stream_shard.items) == 20
    assert restored.stream_shard.table is restored
    assert restored is not live  # moto's own rollback: the copy took the table's place
    # The stream goes on from there.
    dynamodb.put_item(TableName="T", Item={"PK": {"S": "A"}, "SK": {"S": "AFTER"}})
    assert len(restored.stream_shard.items) == 21
