"""Statistics in the tests (issue 14, item 2): the table's stream in moto, read as the EventsFunction
is handed it, each record stamped with the (scripted) clock's time of the step that wrote it, and
given to the statistics recorder."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import boto3

from inbox import wiring
from inbox.adapters.dynamodb.stream_events import item_writes


class StreamTap:
    """The stream from the moment it is opened: `records()` gives what was written since the last call."""

    def __init__(self, aws: Any):
        self._aws = aws
        aws.dynamodb.update_table(
            TableName=aws.table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        )
        self._arn = aws.dynamodb.describe_table(TableName=aws.table)["Table"]["LatestStreamArn"]
        self._streams = boto3.client("dynamodbstreams", region_name=aws.dynamodb.meta.region_name)
        self._last: dict[str, str] = {}  # per shard, the last record read

    def records(self, at: datetime | None = None) -> list[dict[str, Any]]:
        """The new records, their ApproximateCreationDateTime set to `at` when given (the scripted clock)."""
        fresh = []
        shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            after = self._last.get(shard["ShardId"])
            where = (
                {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after}
                if after
                else {"ShardIteratorType": "TRIM_HORIZON"}
            )
            iterator = self._streams.get_shard_iterator(StreamArn=self._arn, ShardId=shard["ShardId"], **where)
            for record in self._streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"]:
                self._last[shard["ShardId"]] = record["dynamodb"]["SequenceNumber"]
                if at is not None:
                    record["dynamodb"]["ApproximateCreationDateTime"] = at.timestamp()
                fresh.append(record)
        return fresh

    def record(self, at: datetime | None = None) -> list[dict[str, Any]]:
        """The new records, counted by the statistics recorder as the EventsFunction would; returned."""
        records = self.records(at)
        wiring.statistics_recorder().take(item_writes(records))
        return records
