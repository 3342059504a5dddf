"""SQS event source mappings: poll a queue, invoke the consumer with a batch, delete what succeeded.

Like Lambda's poller: a batch is up to BatchSize messages gathered for at most
MaximumBatchingWindowInSeconds; records have the real SQS event shape. After the invocation,
every record is deleted when the function returns normally, except those it lists in
`batchItemFailures` when the source has `FunctionResponseTypes: [ReportBatchItemFailures]`.
When the function raises (or its process dies) nothing is deleted. What is not deleted becomes
visible again after the queue's visibility timeout, and the queue's redrive policy moves it to
the dead-letter queue after maxReceiveCount receives (moto implements the redrive).
Limits: one batch in flight per source (Lambda scales out); FIFO ordering after a failure and
FilterCriteria are not reproduced.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from .aws import Aws
from .function_specs import SqsSource
from .runtime import InvocationError

log = logging.getLogger("local")

Invoke = Callable[[str, dict[str, Any]], Any]


def sqs_record(message: dict[str, Any], queue_arn: str, region: str) -> dict[str, Any]:
    """One record of an SQS event, from a ReceiveMessage result."""
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message.get("Body", ""),
        "attributes": dict(message.get("Attributes") or {}),
        "messageAttributes": {
            name: _message_attribute(value) for name, value in (message.get("MessageAttributes") or {}).items()
        },
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": region,
    }
    if message.get("MD5OfMessageAttributes"):
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def _message_attribute(value: dict[str, Any]) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "stringListValues": list(value.get("StringListValues") or []),
        "binaryListValues": [base64.b64encode(v).decode() for v in value.get("BinaryListValues") or []],
        "dataType": value.get("DataType", "String"),
    }
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return attribute


def failed_ids(result: Any, records: list[dict[str, Any]], report_failures: bool) -> set[str]:
    """The message ids to keep (not delete) after a successful invocation.

    With ReportBatchItemFailures, a response Lambda cannot interpret (an id that is not in the
    batch, an empty id) fails the whole batch, as Lambda does.
    """
    if not report_failures or not isinstance(result, dict):
        return set()
    failures = result.get("batchItemFailures") or []
    batch_ids = {r["messageId"] for r in records}
    ids = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in batch_ids:
            return batch_ids
        ids.add(identifier)
    return ids


class SqsPoller:
    """A background thread that feeds one queue's messages to one function."""

    def __init__(self, source: SqsSource, aws: Aws, invoke: Invoke, *, wait_seconds: int = 1):
        self.source = source
        self.aws = aws
        self.invoke = invoke
        self.wait_seconds = wait_seconds  # short long-polls keep shutdowns and snapshots prompt
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._queue_url: str | None = None

    @property
    def queue_url(self) -> str:
        if self._queue_url is None:
            account, name = self.source.queue_arn.split(":")[4:6]
            self._queue_url = self.aws.client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)[
                "QueueUrl"
            ]
        return self._queue_url

    def start(self) -> None:
        name = f"sqs:{self.source.function}"
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.wait_seconds + 30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once()
            except Exception:
                log.exception("polling %s failed; retrying", self.source.queue_arn)
                self._stop.wait(2)

    def _receive(self, count: int, wait: int) -> list[dict[str, Any]]:
        return (
            self.aws.client("sqs")
            .receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=count,
                WaitTimeSeconds=wait,
                AttributeNames=["All"],
                MessageSystemAttributeNames=["All"],
                MessageAttributeNames=["All"],
            )
            .get("Messages", [])
        )

    def gather(self) -> list[dict[str, Any]]:
        """Up to BatchSize messages, waiting at most the batching window once the first one arrived."""
        batch = self._receive(min(10, self.source.batch_size), self.wait_seconds)
        if not batch:
            return []
        window_ends = time.monotonic() + self.source.batching_window
        while len(batch) < self.source.batch_size and not self._stop.is_set():
            remaining = window_ends - time.monotonic()
            if remaining <= 0:
                break
            wanted = min(10, self.source.batch_size - len(batch))
            wait = max(0, min(int(remaining), self.wait_seconds))
            more = self._receive(wanted, wait)
            if not more and wait == 0:
                self._stop.wait(min(remaining, 0.1))
            batch += more
        # A message whose visibility ran out during the window comes back: keep its newest receipt.
        return list({m["MessageId"]: m for m in batch}.values())

    def poll_once(self) -> int:
        """Receive one batch, invoke, delete the successes; returns how many records were processed."""
        messages = self.gather()
        if not messages:
            return 0
        region = self.source.queue_arn.split(":")[3]
        records = [sqs_record(m, self.source.queue_arn, region) for m in messages]
        try:
            result = self.invoke(self.source.function, {"Records": records})
        except InvocationError as error:
            log.error(
                "%s failed on %d SQS records, they will be retried: %s",
                self.source.function,
                len(records),
                error,
            )
            return len(records)
        keep = failed_ids(result, records, self.source.report_batch_item_failures)
        done = [r for r in records if r["messageId"] not in keep]
        for start in range(0, len(done), 10):
            chunk = done[start : start + 10]
            entries = [{"Id": str(i), "ReceiptHandle": r["receiptHandle"]} for i, r in enumerate(chunk)]
            self.aws.client("sqs").delete_message_batch(QueueUrl=self.queue_url, Entries=entries)
        if keep:
            log.info(
                "%s: %d of %d SQS records failed and will be retried",
                self.source.function,
                len(keep),
                len(records),
            )
        return len(records)
