"""The app's AWS API calls counted as its code makes them, by phase, with what DynamoDB writes touch and
what S3 puts store: the email benchmark's third measure (benchmarks/email_sync.py) and the cost
benchmark's request counts (benchmarks/request_counts.py) both read them."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

DYNAMODB_WRITES = frozenset(("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"))
DYNAMODB_READS = frozenset(("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"))


@dataclass
class AwsCalls:
    """API calls of the app's clients in one recording, by phase: `ingest` (inside Ingestor.ingest) or `sync`."""

    requests: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (phase, service, operation)
    items: Counter[tuple[str, str]] = field(default_factory=Counter)  # (phase, kind of DynamoDB item written)
    transact_items: Counter[str] = field(default_factory=Counter)  # phase -> items inside TransactWriteItems
    s3_puts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (phase, key kind: raw, bodies, ...)
    sqs_entries: Counter[str] = field(default_factory=Counter)

    def count(self, service: str, operations: frozenset[str] | str, phase: str | None = None) -> int:
        wanted = {operations} if isinstance(operations, str) else operations
        return sum(n for (p, s, o), n in self.requests.items() if s == service and o in wanted and phase in (None, p))

    def of_service(self, service: str, phase: str | None = None) -> int:
        return sum(n for (p, s, _o), n in self.requests.items() if s == service and phase in (None, p))

    def operations(self) -> Counter[tuple[str, str]]:
        found: Counter[tuple[str, str]] = Counter()
        for (_phase, service, operation), n in self.requests.items():
            found[service, operation] += n
        return found


class AwsRecorder:
    """Counts each API call once, as the code makes it (retries of one call are not counted again).

    Hooked on `before-parameter-build`, which botocore emits once per call with the caller's parameters,
    so TransactWriteItems can be opened to count and name the items it writes.
    """

    def __init__(self) -> None:
        self.calls: AwsCalls | None = None
        self.phase_of_run = "sync"  # what a run's calls are, on every thread (request_counts names the function)
        self._in_ingest_here = threading.local()  # the sync stores raw copies on threads of its own

    @property
    def phase(self) -> str:
        return "ingest" if getattr(self._in_ingest_here, "on", False) else self.phase_of_run

    @phase.setter
    def phase(self, value: str) -> None:
        self.phase_of_run = value

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-parameter-build", self._seen)

    @contextlib.contextmanager
    def recording(self) -> Iterator[AwsCalls]:
        self.calls = AwsCalls()
        try:
            yield self.calls
        finally:
            self.calls = None

    def watch_ingest(self, ingestor: Any) -> None:
        """Calls made inside `ingestor.ingest`, `writes_raw_ahead` (the look for its delivery) and `keep_raw`
        (its raw copy, stored ahead by the sync on other threads) are the `ingest` phase; the rest is `sync`."""
        for name in ("ingest", "writes_raw_ahead", "keep_raw"):
            setattr(ingestor, name, self._in_ingest(getattr(ingestor, name)))

    def _in_ingest(self, real: Any) -> Any:
        def call(inbound: Any) -> Any:
            here = self._in_ingest_here
            before, here.on = getattr(here, "on", False), True
            try:
                return real(inbound)
            finally:
                here.on = before

        return call

    def _seen(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        calls = self.calls
        if calls is None:
            return
        service, operation, phase = model.service_model.service_name, model.name, self.phase
        calls.requests[phase, service, operation] += 1
        if service == "dynamodb" and operation in DYNAMODB_WRITES:
            for item in _written_items(operation, params):
                calls.items[phase, item] += 1
            if operation == "TransactWriteItems":
                calls.transact_items[phase] += sum("ConditionCheck" not in w for w in params["TransactItems"])
        elif service == "s3" and operation == "PutObject":
            calls.s3_puts[phase, params["Key"].split("/")[1]] += 1
        elif service == "sqs" and operation in ("SendMessageBatch", "SendMessage"):
            calls.sqs_entries[phase] += len(params.get("Entries", [None]))


_KIND_BY_SORT_KEY = {"COUNTER": "folder counter", "DAY": "daily stats", "SYNC": "sync state"}
_KIND_BY_TYPE = {"sync": "sync state"}


def _written_items(operation: str, params: dict[str, Any]) -> list[str]:
    """What each written item is (its `type`, else what its sort key says), for the breakdown."""
    if operation == "TransactWriteItems":
        bodies = [body for w in params["TransactItems"] for action, body in w.items() if action != "ConditionCheck"]
    elif operation == "BatchWriteItem":
        bodies = [body for ws in params["RequestItems"].values() for w in ws for body in w.values()]
    else:
        bodies = [params]
    kinds = []
    for body in bodies:
        item = body.get("Item") or body.get("Key") or {}
        if "type" in item:
            kind = item["type"]["S"]
            kinds.append(_KIND_BY_TYPE.get(kind, kind))
        else:
            prefix = item.get("SK", {}).get("S", "?").split("#")[0]
            kinds.append(_KIND_BY_SORT_KEY.get(prefix, prefix.lower()))
    return kinds
