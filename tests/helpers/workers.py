"""Runners of the queue workers, as Lambda's SQS event sources run them."""

from __future__ import annotations

from typing import Any

from helpers.aws_account import Resources
from helpers.events import LambdaContext


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
