"""A queue job that fails is logged where people look (error level), masked, and still retried by SQS."""

from __future__ import annotations

import importlib
import io
import json

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from helpers.events import LambdaContext, load_event
from inbox import wiring
from inbox.consumers import JobProcessor
from inbox.errors import TransientError
from inbox.models.jobs import ClassifyMessageJob
from inbox.observability import logger

SECRET = "hunter2-Imap!pass"
REFUSAL = f"LOGIN refused for elodie.martin@example.fr with password={SECRET}"


pytestmark = pytest.mark.usefixtures("placeholder_environment")  # the handlers check their variables


@pytest.fixture
def log_lines(monkeypatch):
    """What the functions' real logger writes, one JSON record per line."""
    stream = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


class FailingClassifier:
    def __init__(self, failing: set[str]):
        self.failing = failing

    def handle(self, job: ClassifyMessageJob) -> str:
        if job.message_id in self.failing:
            raise TransientError(REFUSAL)
        return "rule"


def classify_event(*message_ids: str) -> dict:
    event = load_event("classify/message_job.json")
    template = event["Records"][0]
    event["Records"] = [
        template
        | {
            "messageId": f"sqs-{message_id}",
            "body": json.dumps({"tenant_id": "t1", "conversation_id": "c1", "message_id": message_id}),
            "attributes": template["attributes"] | {"ApproximateReceiveCount": "2"},
        }
        for message_id in message_ids
    ]
    return event


def test_job_failure_is_logged_at_error_level_masked_and_only_that_job_is_retried(monkeypatch, log_lines):
    from functions.classify import app

    monkeypatch.setattr(wiring, "classifier", lambda: FailingClassifier({"bad"}))

    answer = app.lambda_handler(classify_event("good", "bad"), LambdaContext())

    assert answer == {"batchItemFailures": [{"itemIdentifier": "sqs-bad"}]}
    (failure,) = [line for line in log_lines() if line["level"] == "ERROR"]
    assert failure["sqs_message_id"] == "sqs-bad"
    assert (failure["queue"], failure["receive_count"], failure["error_type"]) == (
        "inbox-ClassifyQueue",
        2,
        "TransientError",
    )
    assert "raise TransientError(REFUSAL)" in failure["exception"]  # the traceback, for whoever investigates
    for leaked in (SECRET, "elodie.martin", "example.fr"):
        assert leaked not in json.dumps(failure)


def test_job_batch_that_fails_entirely_logs_each_job_masked_and_the_invocation_error_carries_none(
    monkeypatch, log_lines
):
    from functions.classify import app

    monkeypatch.setattr(wiring, "classifier", lambda: FailingClassifier({"a", "b"}))

    with pytest.raises(BatchProcessingError) as raised:  # Lambda counts an error; SQS retries the batch
        app.lambda_handler(classify_event("a", "b"), LambdaContext())

    # The runtime writes this exception itself, past the masking formatter: nothing of the jobs in it.
    assert SECRET not in str(raised.value)
    assert "example.fr" not in str(raised.value)
    failures = [line for line in log_lines() if line["level"] == "ERROR"]
    assert [f["sqs_message_id"] for f in failures] == ["sqs-a", "sqs-b"]
    assert SECRET not in json.dumps(failures)


def sqs_consumers(template) -> list[tuple[str, str, str]]:
    """(function, module, handler) of every function the template feeds from an SQS queue."""
    found = []
    for name, resource in template["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function" and any(
            event["Type"] == "SQS" for event in properties.get("Events", {}).values()
        ):
            module = "functions." + properties["CodeUri"].strip("/").split("/")[-1] + ".app"
            found.append((name, module, properties["Handler"].rpartition(".")[2]))
    return found


def test_job_failures_are_handled_alike_by_every_queue_consumer(template):
    consumers = sqs_consumers(template)
    assert {"ClassifyFunction", "SyncMailboxFunction", "VonageWorkerFunction"} <= {c[0] for c in consumers}
    for name, module, _ in consumers:
        assert isinstance(importlib.import_module(module).processor, JobProcessor), name
