"""A message that is not a job of its queue fails at the consumer's entry: named, logged, masked,
and reported as that record's failure (SQS retries it, then keeps it in the dead-letter queue);
the rest of the batch runs. And every sample event carries a job its queue reads."""

from __future__ import annotations

import importlib
import io
import json
from types import SimpleNamespace
from typing import Any

import pytest

from helpers.events import LambdaContext, load_event
from inbox import wiring
from inbox.models.jobs import AUTO_REPLY_JOB, CLASSIFY_JOB, PURGE_JOB, SYNC_JOB, VONAGE_JOB

PHONE = "+33612345678"


pytestmark = pytest.mark.usefixtures("placeholder_environment")  # the handlers check their variables


@pytest.fixture
def log_lines(monkeypatch):
    from inbox.observability import logger

    stream = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


class Anything:
    """Whatever service a well-formed job reaches: it succeeds."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: SimpleNamespace(outcome="synced", result="stored")


# queue, function module, handler, sample event, a well-formed job, a malformed one, a field it names
CASES = [
    (
        "ClassifyQueue",
        "functions.classify.app",
        "lambda_handler",
        "classify/message_job.json",
        {"tenant_id": "t1", "conversation_id": "c1", "message_id": "m1"},
        {"job": "refile", "tenant_id": "t1"},  # which folder?
        "folder_id",
    ),
    (
        "SyncQueue",
        "functions.sync_email.app",
        "worker_handler",
        "sync_email/sync_job.json",
        {"tenant_id": "t1", "integration_id": "i1"},
        {"tenant_id": "t1", "integration": "i1"},
        "integration_id",
    ),
    (
        "VonageQueue",
        "functions.vonage_worker.app",
        "lambda_handler",
        "vonage_worker/sms_parts_job.json",
        {"tenant_id": "t1", "conversation_id": "c1", "message_id": "m1", "received_at": "2026-11-20T09:30:00+00:00"},
        {
            "job": "sms_parts",
            "tenant_id": "t1",
            "integration_id": "i1",
            "sender": PHONE,
            "to": "+33757000000",
            "ref": "r",
            "total": "many",
        },
        "total",
    ),
    (
        "AutoReplyQueue",
        "functions.autoreply.app",
        "lambda_handler",
        "autoreply/job.json",
        {"tenant_id": "t1", "conversation_id": "c1", "message_id": "m1", "mode": "automatic"},
        {"tenant_id": "t1", "conversation_id": "c1", "message_id": "m1", "mode": "whenever"},
        "mode",
    ),
    (
        "PurgeQueue",
        "functions.purge.app",
        "lambda_handler",
        "purge/purge_job.json",
        {"job": "purge_conversation", "tenant_id": "t1", "conversation_id": "c1"},
        {"job": "purge_everything", "tenant_id": "t1"},
        "purge_everything",
    ),
]


def sqs_event(sample: str, **bodies: Any) -> dict[str, Any]:
    event = load_event(sample)
    template = event["Records"][0]
    event["Records"] = [
        template | {"messageId": f"sqs-{name}", "body": body if isinstance(body, str) else json.dumps(body)}
        for name, body in bodies.items()
    ]
    return event


@pytest.mark.parametrize(
    ("queue", "module", "handler", "sample", "good", "bad", "named"), CASES, ids=[c[0] for c in CASES]
)
def test_malformed_job_fails_named_and_logged_and_only_it_is_reported(
    monkeypatch, log_lines, queue, module, handler, sample, good, bad, named
):
    services = (
        "classifier",
        "mailbox_sync",
        "media_fetcher",
        "vonage_webhooks",
        "conversation_deletion",
        "auto_replies",
    )
    for service in services:
        monkeypatch.setattr(wiring, service, Anything)
    function = getattr(importlib.import_module(module), handler)

    answer = function(sqs_event(sample, good=good, bad=bad, garbled="{not json"), LambdaContext())

    assert answer == {"batchItemFailures": [{"itemIdentifier": "sqs-bad"}, {"itemIdentifier": "sqs-garbled"}]}
    failures = [line for line in log_lines() if line["level"] == "ERROR"]
    assert [f["sqs_message_id"] for f in failures] == ["sqs-bad", "sqs-garbled"]
    for failure in failures:
        assert (failure["error_type"], failure["queue"]) == ("MalformedJobError", f"inbox-{queue}")
        assert f"not a {queue} job" in failure["exception"]
        assert "ValidationError" not in failure["exception"]  # the values it carried stay out of the logs
        assert PHONE not in json.dumps(failure)
    assert named in failures[0]["exception"]
    assert "Invalid JSON" in failures[1]["exception"]


@pytest.mark.parametrize(
    ("sample", "jobs"),
    [
        ("classify/message_job.json", CLASSIFY_JOB),
        ("classify/reclassify_job.json", CLASSIFY_JOB),
        ("sync_email/sync_job.json", SYNC_JOB),
        ("vonage_worker/media_job.json", VONAGE_JOB),
        ("vonage_worker/sms_parts_job.json", VONAGE_JOB),
        ("purge/purge_job.json", PURGE_JOB),
        ("autoreply/job.json", AUTO_REPLY_JOB),
    ],
)
def test_malformed_jobs_none_among_the_sample_events(sample, jobs):
    event = load_event(sample, RECEIVED_AT="2026-11-20T09:30:00+00:00")
    for record in event["Records"]:
        jobs.validate_json(record["body"])
