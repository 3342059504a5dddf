"""DynamoDB stream event sources: read a table's stream, keep the records the source's FilterCriteria
keeps, invoke the function with a batch in Lambda's DynamoDB event shape.

Like Lambda's poller: the stream is read from StartingPosition (LATEST or TRIM_HORIZON) shard by shard
in order, a batch is up to BatchSize records; a failed batch is tried again up to MaximumRetryAttempts
(three locally when the template says forever) and then skipped. Filtered-out records never invoke.
Limits: one batch in flight per source; no bisection, no on-failure destination, no tumbling windows.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .aws import Aws
from .event_filters import compile_filters, keeps
from .function_specs import function_events
from .runtime import InvocationError
from .template import Template

log = logging.getLogger("local")

Invoke = Callable[[str, dict[str, Any]], Any]
POLL_SECONDS = 0.2  # Lambda reads a stream about four times a second per shard


@dataclass
class DynamoDbSource:
    function: str
    stream_arn: str
    starting_position: str = "LATEST"
    batch_size: int = 100
    retries: int = 3
    filters: list[dict[str, Any]] = field(default_factory=list)


def dynamodb_sources(template: Template) -> list[DynamoDbSource]:
    sources = []
    for logical_id in template.of_type("AWS::Serverless::Function"):
        for _name, props in function_events(template, logical_id, "DynamoDB"):
            props = template.resolve(props)
            if props.get("Enabled", True) in (False, "false", "False"):
                continue
            if not props.get("Stream"):
                log.warning("%s: the table has no stream locally; its DynamoDB events are not delivered", logical_id)
                continue
            retries = int(props.get("MaximumRetryAttempts", -1))
            sources.append(
                DynamoDbSource(
                    function=logical_id,
                    stream_arn=str(props["Stream"]),
                    starting_position=str(props.get("StartingPosition", "LATEST")),
                    batch_size=int(props.get("BatchSize", 100)),
                    retries=3 if retries < 0 else min(retries, 3),
                    filters=compile_filters(props.get("FilterCriteria")),
                )
            )
    return sources


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda hands it over: times in epoch seconds, binary values in base64."""
    converted = _json_safe(record)
    converted["eventSourceARN"] = stream_arn
    return converted


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return value


class StreamPoller:
    """A background thread that feeds one stream's records to one function."""

    def __init__(self, source: DynamoDbSource, aws: Aws, invoke: Invoke, *, interval: float = POLL_SECONDS):
        self.source, self.aws, self.invoke, self.interval = source, aws, invoke, interval
        self._iterators: dict[str, str | None] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._open_shards()  # before returning: a change made right after the start is read
        self._thread = threading.Thread(target=self._run, name=f"stream:{self.source.function}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _open_shards(self) -> None:
        streams = self.aws.client("dynamodbstreams")
        shards = streams.describe_stream(StreamArn=self.source.stream_arn)["StreamDescription"].get("Shards", [])
        for shard in shards:
            if shard["ShardId"] not in self._iterators:
                self._iterators[shard["ShardId"]] = streams.get_shard_iterator(
                    StreamArn=self.source.stream_arn,
                    ShardId=shard["ShardId"],
                    ShardIteratorType=self.source.starting_position,
                )["ShardIterator"]

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll_once()
            except Exception:
                log.exception("reading the stream %s failed; retrying", self.source.stream_arn)
                self._stop.wait(2)

    def poll_once(self) -> int:
        """Read each shard once, invoke with what the filters keep; returns how many records were read."""
        self._open_shards()
        streams, read = self.aws.client("dynamodbstreams"), 0
        for shard_id, iterator in list(self._iterators.items()):
            if iterator is None:
                continue  # a closed shard, read to its end
            page = streams.get_records(ShardIterator=iterator, Limit=self.source.batch_size)
            records = [lambda_record(r, self.source.stream_arn) for r in page.get("Records", [])]
            read += len(records)
            kept = [r for r in records if keeps(self.source.filters, r)]
            if kept:
                self._deliver(kept)
            if page.get("NextShardIterator") is None:
                self._iterators[shard_id] = None
            elif records:
                # A new iterator after the last record for each read, rather than the one GetRecords hands
                # back: moto's iterators hold on to the stream's objects of when they were made, which the
                # snapshots of its state can outlive (an iterator kept across them read nothing more).
                self._iterators[shard_id] = streams.get_shard_iterator(
                    StreamArn=self.source.stream_arn,
                    ShardId=shard_id,
                    ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                    SequenceNumber=records[-1]["dynamodb"]["SequenceNumber"],
                )["ShardIterator"]
        return read

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        for attempt in range(self.source.retries + 1):
            try:
                self.invoke(self.source.function, {"Records": records})
                return
            except InvocationError as error:
                log.error(
                    "%s failed on %d stream records (try %d): %s",
                    self.source.function,
                    len(records),
                    attempt + 1,
                    error,
                )
        log.error("%s: %d stream records skipped after every try", self.source.function, len(records))
