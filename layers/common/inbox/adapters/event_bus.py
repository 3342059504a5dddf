"""The deployment's EventBridge bus: each domain event as one entry (source `inbox`, detail-type its
`type`, detail the event's JSON), ten per PutEvents call (EventBridge's limit)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel

from inbox.errors import TransientError
from inbox.models.events import SOURCE


def entry(event: BaseModel, bus_name: str) -> dict[str, Any]:
    detail = event.model_dump(mode="json")
    return {
        "EventBusName": bus_name,
        "Source": SOURCE,
        "DetailType": detail["type"],
        "Detail": json.dumps(detail, separators=(",", ":"), ensure_ascii=False),
        "Resources": [],
        "Time": event.time,  # type: ignore[attr-defined]
    }


class EventBus:
    def __init__(self, client: Any, bus_name: str):
        self._client = client
        self._bus = bus_name

    def put(self, events: Sequence[BaseModel]) -> None:
        """Publish `events`; an entry EventBridge refused fails the call (the stream's batch is read
        again, and the events' ids let a consumer drop what it already had)."""
        for start in range(0, len(events), 10):
            entries = [entry(event, self._bus) for event in events[start : start + 10]]
            try:
                response = self._client.put_events(Entries=entries)
            except ClientError as error:
                raise TransientError(f"EventBridge put_events: {error.response['Error']['Code']}") from error
            if response.get("FailedEntryCount"):
                raise TransientError(f"EventBridge refused {response['FailedEntryCount']} event(s)")
