"""The search chain driven for real under moto (issue 14): the table's changes as stream records
(moto's table has no stream here) -> EventsFunction's publish handler (the feed) -> SearchQueue ->
IndexerFunction's handler. What a user notices: a message stored, then found."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from helpers.events import LambdaContext
from inbox import wiring

Snapshot = dict[tuple[str, str], dict[str, Any]]


def events_environment(aws: Any, monkeypatch: Any) -> None:
    """What EventsFunction needs beside SearchQueue: its bus and the webhooks' delivery queue."""
    region = aws.sqs.meta.region_name
    boto3.client("events", region_name=region).create_event_bus(Name="inbox-test-events")
    deliveries = aws.sqs.create_queue(QueueName="inbox-test-webhook-deliveries")["QueueUrl"]
    monkeypatch.setenv("EVENT_BUS_NAME", "inbox-test-events")
    monkeypatch.setenv("WEBHOOK_DELIVERY_QUEUE_URL", deliveries)
    wiring.reset()


def snapshot(aws: Any) -> Snapshot:
    return {(i["PK"]["S"], i["SK"]["S"]): i for i in aws.all_items()}


def stream_records(before: Snapshot, after: Snapshot, tag: str) -> list[dict[str, Any]]:
    """The stream records of what changed between two reads of the table: INSERT, MODIFY, REMOVE."""
    records = []
    for n, where in enumerate(sorted(before.keys() | after.keys())):
        old, new = before.get(where), after.get(where)
        if old == new:
            continue
        either = new or old
        stream: dict[str, Any] = {"Keys": {"PK": either["PK"], "SK": either["SK"]}, "ApproximateCreationDateTime": 1}
        if new is not None:
            stream["NewImage"] = new
        if old is not None:
            stream["OldImage"] = old
        name = "REMOVE" if new is None else "MODIFY" if old is not None else "INSERT"
        records.append({"eventID": f"{tag}-{n}", "eventName": name, "dynamodb": stream})
    return records


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {
                    "MessageGroupId": m["Attributes"]["MessageGroupId"],
                    "MessageDeduplicationId": m["Attributes"]["MessageDeduplicationId"],
                    "ApproximateReceiveCount": "1",
                },
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-3:123456789012:inbox-test-search.fifo",
            }
            for m in messages
        ]
    }


class SearchChain:
    """Run `act`, then everything after it that makes it searchable, as on AWS."""

    def __init__(self, aws: Any):
        self._aws = aws
        self._runs = 0

    def after(self, act: Callable[[], Any]) -> Any:
        before = snapshot(self._aws)
        result = act()
        self.publish(stream_records(before, snapshot(self._aws), f"run{self._runs}"))
        self._runs += 1
        self.index()
        return result

    def publish(self, records: list[dict[str, Any]]) -> None:
        from functions.events import app

        if records:
            app.publish_handler({"Records": records}, LambdaContext())

    def index(self) -> list[dict[str, Any]]:
        """SearchQueue drained into IndexerFunction, ten at a time (a FIFO batch's most)."""
        from functions.search_indexer import app

        responses = []
        while True:
            messages = self._aws.sqs.receive_message(
                QueueUrl=self._aws.search_queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
            ).get("Messages", [])
            if not messages:
                return responses
            response = app.lambda_handler(sqs_event(messages), LambdaContext())
            assert response == {"batchItemFailures": []}, response
            for m in messages:
                self._aws.sqs.delete_message(QueueUrl=self._aws.search_queue_url, ReceiptHandle=m["ReceiptHandle"])
            responses.append(response)


@pytest.fixture
def chain(aws: Any, monkeypatch: Any) -> SearchChain:
    """The search chain over the test's moto account (a plugin of tests/conftest.py)."""
    events_environment(aws, monkeypatch)
    return SearchChain(aws)
