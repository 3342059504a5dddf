"""What a run of the app's handlers asks of AWS, per Lambda function, for the cost benchmark (issue 15, item 4).

The requests are counted by benchmarks/aws_calls.py's `AwsRecorder` (a botocore `before-parameter-build` hook:
one count per API call, retries not counted again), its phase set to the function being run. Beside it,
what the bill is made of and a request count does not say: DynamoDB's request units (from the items'
sizes, read in moto's own table before and after each write, with the five GSIs' copies), the bytes put
to S3, the events put to EventBridge, the WebSocket messages posted, each handler's time, its log bytes.
Calls made outside `Meter.invoke` (the harness draining queues, reading the stream) are not counted.
"""

from __future__ import annotations

import contextlib
import io
import math
import sys
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from benchmarks.aws_calls import DYNAMODB_WRITES, AwsCalls, AwsRecorder

GSI_KEYS = {f"GSI{n}": (f"GSI{n}PK", "activity") for n in range(1, 6)}  # template.yaml: five, projection ALL
MOTO_ACCOUNT, REGION = "123456789012", "eu-west-3"


def value_size(value: dict[str, Any]) -> int:
    """DynamoDB's size of an attribute value (wire format): strings and binaries their bytes, numbers about
    one byte per two digits, lists and maps 3 bytes plus one per element."""
    (kind, inner), *_ = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(inner.strip("-").replace(".", "")) // 2 + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in inner)
    if kind == "NS":
        return sum(len(n) // 2 + 1 for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in inner)
    return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in inner.items())  # M


def item_size(item: dict[str, Any] | None) -> int:
    return sum(len(k.encode()) + value_size(v) for k, v in (item or {}).items())


def _units(size: int, unit: int) -> int:
    return max(1, math.ceil(size / unit))


class Meter:
    """Counts per function: invocations, seconds in the handler, AWS requests, request units, bytes."""

    def __init__(self) -> None:
        self.recorder = AwsRecorder()
        self.calls = AwsCalls()
        self.invocations: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.log_bytes: Counter[str] = Counter()
        self.units: Counter[tuple[str, str]] = Counter()  # (function, "write" | "read")
        self.s3_bytes_put: Counter[str] = Counter()
        self.events_put: Counter[str] = Counter()
        self.websocket_posts: Counter[str] = Counter()
        self.function: str | None = None
        self._pending: list[tuple[str, dict[str, Any], Any]] = []  # the keys a write is about to change

    # ---- hooks (installed once on boto3's default session: see `install`)

    def _seen(self, params: dict[str, Any], model: Any, **kwargs: Any) -> None:
        self.recorder._seen(params=params, model=model, **kwargs)  # the email benchmark's count of requests
        self._before_call(params, model)

    def _before_call(self, params: dict[str, Any], model: Any) -> None:
        if self.function is None:
            return
        service, operation = model.service_model.service_name, model.name
        if service == "dynamodb" and operation in DYNAMODB_WRITES:
            self._pending = [(table, key, _moto_item(table, key)) for table, key in _written_keys(params)]
        elif service == "s3" and operation == "PutObject":
            body = params.get("Body", b"")
            self.s3_bytes_put[self.function] += len(body) if isinstance(body, bytes | str) else 0
        elif service == "events" and operation == "PutEvents":
            self.events_put[self.function] += len(params.get("Entries", []))
        elif service == "apigatewaymanagementapi" and operation == "PostToConnection":
            self.websocket_posts[self.function] += max(1, math.ceil(len(params.get("Data", b"")) / 32_768))

    def _after_call(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if self.function is None or model.service_model.service_name != "dynamodb":
            return
        operation = model.name
        if operation in DYNAMODB_WRITES:
            self.units[self.function, "write"] += self._write_units(operation)
        else:
            self.units[self.function, "read"] += _read_units(operation, parsed)

    def _write_units(self, operation: str) -> float:
        """Each item billed on the larger of its sizes before and after, twice in a transaction; and each
        GSI holding a copy of it (a key changed: the old copy deleted, the new one put). The harness runs
        one call at a time, so the keys noted before the call are this call's."""
        written, self._pending = self._pending, []
        factor = 2 if operation == "TransactWriteItems" else 1
        units = 0.0
        for table, key, before in written:
            after = _moto_item(table, key)
            units += factor * _units(max(item_size(before), item_size(after)), 1024)
            for hash_key, range_key in GSI_KEYS.values():
                old = (before or {}).get(hash_key), (before or {}).get(range_key)
                new = (after or {}).get(hash_key), (after or {}).get(range_key)
                if None in old and None in new:
                    continue
                if None not in old and None not in new and old == new:
                    units += _units(max(item_size(before), item_size(after)), 1024)
                else:  # a key put, removed or changed: the index deletes the old copy and puts the new one
                    units += (None not in old) * _units(item_size(before), 1024)
                    units += (None not in new) * _units(item_size(after), 1024)
        return units

    # ---- running a handler

    @contextlib.contextmanager
    def invoke(self, function: str) -> Iterator[None]:
        """One Lambda invocation of `function`: its AWS calls, its time, what it logged."""
        from inbox.observability import logger

        handler = logger.registered_handler
        log, metrics = io.StringIO(), io.StringIO()
        stream = handler.setStream(log)
        self.function, self.recorder.calls, self.recorder.phase = function, self.calls, function
        started = time.perf_counter()
        try:
            with contextlib.redirect_stdout(metrics):  # Powertools prints its metrics (EMF) to stdout
                yield
        finally:
            self.seconds[function] += time.perf_counter() - started
            self.invocations[function] += 1
            self.log_bytes[function] += len(log.getvalue().encode()) + len(metrics.getvalue().encode())
            self.function, self.recorder.calls, self.recorder.phase = None, None, "sync"
            self._pending = []
            handler.setStream(stream or sys.stderr)

    def requests(self, function: str | None = None) -> Counter[tuple[str, str]]:
        """(service, operation) -> API calls, of one function or all."""
        found: Counter[tuple[str, str]] = Counter()
        for (phase, service, operation), n in self.calls.requests.items():
            if function in (None, phase):
                found[service, operation] += n
        return found


_ACTIVE: list[Meter] = []  # the meter counting now (one at a time)


def install() -> None:
    """Once, before the app builds its clients: every client boto3's default session makes afterwards
    (the app's through inbox.wiring, and the WebSocket management client it makes itself) reports to the
    active meter. Hooks on a session reach only the clients made after them, hence before wiring.reset()."""
    import boto3

    session = boto3._get_default_session()._session
    session.register("before-parameter-build", lambda **kw: _ACTIVE and _ACTIVE[-1]._seen(**kw))
    session.register("after-call", lambda **kw: _ACTIVE and _ACTIVE[-1]._after_call(**kw))


@contextlib.contextmanager
def active(meter: Meter) -> Iterator[Meter]:
    _ACTIVE.append(meter)
    try:
        yield meter
    finally:
        _ACTIVE.remove(meter)


def _written_keys(params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if "TransactItems" in params:
        return [
            (body["TableName"], body.get("Key") or _key_of(body["Item"]))
            for w in params["TransactItems"]
            for body in w.values()
        ]
    if "RequestItems" in params:
        return [
            (table, w.get("DeleteRequest", {}).get("Key") or _key_of(w["PutRequest"]["Item"]))
            for table, ws in params["RequestItems"].items()
            for w in ws
        ]
    return [(params["TableName"], params.get("Key") or _key_of(params["Item"]))]


def _key_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"PK": item["PK"], "SK": item["SK"]}


def _moto_item(table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    """The item as moto's table holds it now, in the wire format (read from moto, not through the API)."""
    from moto.dynamodb.models import dynamodb_backends

    try:
        item = dynamodb_backends[MOTO_ACCOUNT][REGION].get_item(table, key)
    except Exception:
        return None
    return item.to_json()["Attributes"] if item is not None else None


def _read_units(operation: str, parsed: dict[str, Any]) -> float:
    """Read request units: 4 KB steps, half for an eventually consistent read (the app's default)."""
    if operation == "GetItem":
        return _units(item_size(parsed.get("Item")), 4096) / 2
    if operation in ("Query", "Scan"):
        return _units(sum(item_size(i) for i in parsed.get("Items", [])), 4096) / 2
    if operation == "BatchGetItem":
        items = [i for found in parsed.get("Responses", {}).values() for i in found]
        return sum(_units(item_size(i), 4096) / 2 for i in items) or 0.5
    if operation == "TransactGetItems":
        return sum(2 * _units(item_size(r.get("Item")), 4096) for r in parsed.get("Responses", []))
    return 0.0
