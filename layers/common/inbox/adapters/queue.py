"""SQS: messages carry ids, never bodies, so they stay far below any size limit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel

from inbox.errors import TransientError


class WorkQueue:
    def __init__(self, client: Any, queue_url: str):
        self._client = client
        self._url = queue_url

    def send(self, jobs: Sequence[BaseModel], delay_seconds: int = 0) -> None:
        """Send jobs (the models of `inbox.models.jobs`) as JSON, in batches of ten (SQS's limit), visible
        after `delay_seconds` (at most 900); a failed entry is an error, never silence."""
        for start in range(0, len(jobs), 10):
            entries = [
                {"Id": str(i), "MessageBody": _body(job), "DelaySeconds": delay_seconds}
                for i, job in enumerate(jobs[start : start + 10])
            ]
            try:
                response = self._client.send_message_batch(QueueUrl=self._url, Entries=entries)
            except ClientError as error:
                raise TransientError(f"SQS send_message_batch: {error.response['Error']['Code']}") from error
            if response.get("Failed"):
                raise TransientError(f"SQS refused {len(response['Failed'])} message(s)")


def _body(job: BaseModel) -> str:
    return json.dumps(job.model_dump(mode="json"), separators=(",", ":"))


class FifoQueue:
    """A FIFO queue (SearchQueue): each job in its message group, deduplicated by the id we give."""

    def __init__(self, client: Any, queue_url: str):
        self._client = client
        self._url = queue_url

    def send(self, jobs: Sequence[tuple[BaseModel, str, str]]) -> None:
        """(job, group, deduplication id) each, in order, in batches of ten."""
        for start in range(0, len(jobs), 10):
            entries = [
                {"Id": str(i), "MessageBody": _body(job), "MessageGroupId": group, "MessageDeduplicationId": dedup}
                for i, (job, group, dedup) in enumerate(jobs[start : start + 10])
            ]
            try:
                response = self._client.send_message_batch(QueueUrl=self._url, Entries=entries)
            except ClientError as error:
                raise TransientError(f"SQS send_message_batch: {error.response['Error']['Code']}") from error
            if response.get("Failed"):
                raise TransientError(f"SQS refused {len(response['Failed'])} message(s)")
