"""SQS: messages carry ids, never bodies, so they stay far below any size limit."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from inbox.errors import TransientError


class WorkQueue:
    def __init__(self, client: Any, queue_url: str):
        self._client = client
        self._url = queue_url

    def send(self, payloads: list[dict[str, str]], delay_seconds: int = 0) -> None:
        """Send in batches of ten (SQS's limit), visible after `delay_seconds` (at most 900); a failed
        entry is an error, never silence."""
        for start in range(0, len(payloads), 10):
            entries = [
                {"Id": str(i), "MessageBody": json.dumps(payload, separators=(",", ":")), "DelaySeconds": delay_seconds}
                for i, payload in enumerate(payloads[start : start + 10])
            ]
            try:
                response = self._client.send_message_batch(QueueUrl=self._url, Entries=entries)
            except ClientError as error:
                raise TransientError(f"SQS send_message_batch: {error.response['Error']['Code']}") from error
            if response.get("Failed"):
                raise TransientError(f"SQS refused {len(response['Failed'])} message(s)")
