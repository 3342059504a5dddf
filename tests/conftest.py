"""Shared fixtures: an AWS account in moto, built from the template's own resource definitions."""

from __future__ import annotations

import os

# Before the inbox package is imported: Powertools reads these when its objects are built.
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "Inbox")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "inbox")

import json
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfn_tools import load_yaml
from moto import mock_aws

from inbox import wiring
from inbox.domain import signatures

pytest_plugins = ["servers.fixtures"]

REPO = Path(__file__).resolve().parents[1]
EVENTS = REPO / "events"
REGION = "eu-west-3"


@pytest.fixture(scope="session")
def template() -> dict[str, Any]:
    return load_yaml((REPO / "template.yaml").read_text())


@pytest.fixture
def aws(monkeypatch, template):
    """moto with the template's table, bucket, key and queues; the functions' environment set."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_DEV": "false",
        "POWERTOOLS_METRICS_NAMESPACE": "Inbox",
        "POWERTOOLS_SERVICE_NAME": "inbox",
        # The template's OutboundAllowLoopback, as the local stack sets it: Dovecot, aiosmtpd and the fakes
        # listen on 127.0.0.1. Tests of the guard build their own Destinations, loopback refused.
        "OUTBOUND_ALLOW_LOOPBACK": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        resources = _create(template["Resources"])
        for name, value in resources.env.items():
            monkeypatch.setenv(name, value)
        wiring.reset()
        yield resources
        wiring.reset()


class Resources:
    def __init__(
        self,
        table: str,
        bucket: str,
        key_id: str,
        queue_url: str,
        sync_queue_url: str,
        vonage_queue_url: str,
        autoreply_queue_url: str,
        purge_queue_url: str,
    ):
        self.table, self.bucket, self.key_id = table, bucket, key_id
        self.queue_url, self.sync_queue_url, self.vonage_queue_url = queue_url, sync_queue_url, vonage_queue_url
        self.autoreply_queue_url, self.purge_queue_url = autoreply_queue_url, purge_queue_url
        self.dynamodb = boto3.client("dynamodb", region_name=REGION)
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)

    @property
    def env(self) -> dict[str, str]:
        return {
            "TABLE_NAME": self.table,
            "BLOB_BUCKET": self.bucket,
            "KEY_ID": self.key_id,
            "CLASSIFY_QUEUE_URL": self.queue_url,
            "SYNC_QUEUE_URL": self.sync_queue_url,
            "VONAGE_QUEUE_URL": self.vonage_queue_url,
            "AUTOREPLY_QUEUE_URL": self.autoreply_queue_url,
            "PURGE_QUEUE_URL": self.purge_queue_url,
        }

    def all_items(self) -> list[dict[str, Any]]:
        """Test-only: the table's whole content (the code under test never scans)."""
        return self.dynamodb.scan(TableName=self.table)["Items"]

    def object_keys(self) -> list[str]:
        return [o["Key"] for o in self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])]

    def queued(self, queue_url: str | None = None) -> list[dict[str, Any]]:
        """Test-only: take up to ten messages off a queue (the classify queue by default)."""
        url = queue_url or self.queue_url
        messages = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]


def _create(resources: dict[str, Any]) -> Resources:
    table = resources["InboxTable"]["Properties"]
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    dynamodb.create_table(
        TableName="inbox-test",
        BillingMode=table["BillingMode"],
        AttributeDefinitions=table["AttributeDefinitions"],
        KeySchema=table["KeySchema"],
        GlobalSecondaryIndexes=table["GlobalSecondaryIndexes"],
    )
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket="inbox-test-blobs", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    key_id = boto3.client("kms", region_name=REGION).create_key(Description="inbox test")["KeyMetadata"]["Arn"]
    sqs = boto3.client("sqs", region_name=REGION)
    queue = sqs.create_queue(QueueName="inbox-test-classify")["QueueUrl"]
    sync_queue = sqs.create_queue(QueueName="inbox-test-sync")["QueueUrl"]
    vonage_queue = sqs.create_queue(QueueName="inbox-test-vonage")["QueueUrl"]
    autoreply_queue = sqs.create_queue(QueueName="inbox-test-autoreply")["QueueUrl"]
    purge_queue = sqs.create_queue(QueueName="inbox-test-purge")["QueueUrl"]
    return Resources(
        "inbox-test", "inbox-test-blobs", key_id, queue, sync_queue, vonage_queue, autoreply_queue, purge_queue
    )


# ---------------------------------------------------------------- events and the API handler


def load_event(name: str, **placeholders: str) -> dict[str, Any]:
    text = (EVENTS / name).read_text()
    for placeholder, value in placeholders.items():
        text = text.replace(placeholder, value)
    return json.loads(text)


def with_claims(event: dict[str, Any], **claims: str) -> dict[str, Any]:
    event["requestContext"]["authorizer"]["jwt"]["claims"].update(claims)
    return event


def with_body(event: dict[str, Any], body: Any) -> dict[str, Any]:
    event["body"] = body if isinstance(body, str) else json.dumps(body)
    return event


def signed(event: dict[str, Any], secret: str, at: float | None = None) -> dict[str, Any]:
    timestamp = int(time.time() if at is None else at)
    event["headers"]["x-inbox-signature"] = signatures.sign(secret, event["body"].encode(), timestamp)
    return event


class LambdaContext:
    function_name = "ApiFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:ApiFunction"
    aws_request_id = "test-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 20_000


@pytest.fixture
def api(aws):
    """Invoke the API function as Lambda would; answers (status, JSON body)."""
    from functions.api import app

    def invoke(event: dict[str, Any]) -> tuple[int, Any]:
        response = app.lambda_handler(event, LambdaContext())
        body = response.get("body")
        return response["statusCode"], json.loads(body) if body else None

    return invoke


def run_purges(aws: Resources, context: Any = None, rounds: int = 100) -> list[dict[str, Any]]:
    """Run the purge worker on what the purge queue holds, as Lambda's SQS event source would,
    until the queue is empty or a job fails; answers the batch item failures (SQS would retry those)."""
    from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

    from functions.purge import app

    for _ in range(rounds):
        received = aws.sqs.receive_message(QueueUrl=aws.purge_queue_url, MaxNumberOfMessages=1)
        if not received.get("Messages"):
            return []
        [message] = received["Messages"]
        record = {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": {"ApproximateReceiveCount": "1"},
            "messageAttributes": {},
            "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-west-3:123456789012:inbox-PurgeQueue",
        }
        try:
            failures = app.lambda_handler({"Records": [record]}, context or LambdaContext())["batchItemFailures"]
        except BatchProcessingError:  # the whole batch failed: Lambda reports an error, SQS retries it all
            failures = [{"itemIdentifier": message["MessageId"]}]
        aws.sqs.delete_message(QueueUrl=aws.purge_queue_url, ReceiptHandle=message["ReceiptHandle"])
        if failures:  # SQS would deliver it again: it waits on the queue for the next run
            aws.sqs.send_message(QueueUrl=aws.purge_queue_url, MessageBody=message["Body"])
            return failures
    raise AssertionError(f"the purge queue was not empty after {rounds} runs")


WEBHOOK_SECRET = "whsec_sample_0123456789abcdefghij"


@pytest.fixture
def custom_integration(api) -> str:
    status, body = api(load_event("api/create_integration.json"))
    assert status == 201, body
    return body["id"]


@pytest.fixture
def post_webhook(api, custom_integration):
    """Send a signed custom webhook built on the sample event, with `changes` merged into its body."""

    def send(secret: str = WEBHOOK_SECRET, at: float | None = None, **changes: Any) -> tuple[int, Any]:
        event = load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration)
        body = json.loads(event["body"]) | changes
        return api(signed(with_body(event, body), secret, at))

    return send
