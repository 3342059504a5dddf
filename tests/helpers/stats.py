"""Statistics in the tests (issue 14, item 2): the table's stream in moto, read as the EventsFunction
is handed it, each record stamped with the (scripted) clock's time of the step that wrote it, and
given to the statistics recorder."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3

from helpers.events import api_request
from inbox import wiring
from inbox.adapters.dynamodb.stream_events import item_writes
from inbox.models import Channel, InboundMessage, Party, Principal, Role, Status


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


TENANT = "tenant-sample"  # the samples' tenant, whose admin the API requests are
ADA = Principal(user_id="user-ada", tenant_id=TENANT, role=Role.AGENT)
BOB = Principal(user_id="user-bob", tenant_id=TENANT, role=Role.AGENT)
OFFICE = [{"start": "09:00", "end": "18:00"}]
WEEK = {day: OFFICE for day in ("monday", "tuesday", "wednesday", "thursday", "friday")}


class ShopSender:
    """The channel's side of a reply: taken at once (the send path is ours, the provider is not)."""

    def send(self, integration, message) -> str:
        return f"provider-{message.id}"

    def sender_party(self, integration, parent) -> Party:
        return Party(name="Shop", email="shop@example.com")

    def message_id(self, integration, message_id) -> None:
        return None


def at(hhmm: str, day: int = 3) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(2026, 11, day, int(hours), int(minutes), tzinfo=UTC)  # Tuesday 3 November 2026


class Day:
    """The script's steps, each at its time, the stream's records of each step counted at that time."""

    def __init__(self, aws, clock, integration_id: str):
        self.clock, self.integration_id = clock, integration_id
        self.stream = StreamTap(aws)
        self.conversations: dict[str, str] = {}

    def step(self, when: datetime, act) -> None:
        self.clock.set(when)
        act()
        self.stream.record(when)

    def customer_writes(self, when: datetime, who: str, thread_key: str | None = None) -> None:
        """`thread_key`: the channel's thread (which a resolved conversation still continues)."""

        def write():
            inbound = InboundMessage(
                tenant_id=TENANT,
                integration_id=self.integration_id,
                channel=Channel.CUSTOM,
                external_id=f"{who}-{when.isoformat()}",
                sender=Party(name=who, email=f"{who}@example.fr"),
                subject=f"Question of {who}",
                text="Bonjour, une question.",
                thread_key=thread_key,
            )
            self.conversations[who] = wiring.ingestor().ingest(inbound).conversation_id

        self.step(when, write)

    def reply(self, when: datetime, who: str, by: Principal | None) -> None:
        """`by`: a person; None: the automatic reply."""
        sender = by or ADA
        options = {"auto_reply": by is None}
        self.step(when, lambda: wiring.replies().reply(sender, self.conversations[who], "Voici.", **options))

    def resolve(self, when: datetime, who: str, assignee: Principal) -> None:
        def resolve():
            store = wiring.store()
            before = store.get_conversation(TENANT, self.conversations[who])
            store.save_conversation(before, before.model_copy(update={"assignee_id": assignee.user_id}))
            wiring.conversations().change(assignee, self.conversations[who], {"status": Status.RESOLVED})

        self.step(when, resolve)

    def set_status(self, when: datetime, who: str, status: Status, by: Principal) -> None:
        self.step(when, lambda: wiring.conversations().change(by, self.conversations[who], {"status": status}))


def script_the_clock(clock, monkeypatch) -> None:
    """Ingest and the send path read the scripted clock (on AWS, the system's time)."""
    monkeypatch.setattr(wiring.ingestor(), "_clock", clock.now)
    monkeypatch.setattr(wiring.replies(), "_clock", clock.now)


def stats(
    api, granularity: str, business_hours: bool = False, start: str = "2026-11-03", end: str = "2026-11-04", **filters
) -> dict:
    """GET /inbox/stats over `start`..`end` (the scripted day and the next by default)."""
    query = f"/stats?from={start}&to={end}&granularity={granularity}&business_hours={str(business_hours).lower()}"
    query += "".join(f"&{name}={value}" for name, value in filters.items())
    status, body = api(api_request("GET", query))
    assert status == 200, body
    return body


def times(durations: dict) -> tuple[int, float | None]:
    return durations["count"], durations["mean_seconds"]
