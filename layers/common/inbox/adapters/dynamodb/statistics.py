"""Statistics (issue 14, item 2), counters moved by atomic ADDs:

- `T#t#STATS / DAY#yyyy-mm-dd`: the day's classification decisions and corrections (AI accuracy), by
  ADDs outside any transaction (every classification of a tenant touches it);
- `T#t#STATS#<granularity>#<dimension> / P#<period start>`: what the stream recorder counts, per day,
  ISO week or month of the tenant's calendar and per dimension (`all`, `channel:x`, `folder:x`,
  `assignee:x`), and `ai`: the AI's work ADDed where the AI is called (by UTC day);
- `T#t#STATS#<granularity>#PEOPLE / P#<period start>#<person>`: per person counters.

A stream batch's counters go in transactions of at most 100 items: the counters items, and a marker
per stream record they come from (`T#t#STATS#APPLIED / <record id>`, put only if absent, kept a
day): a record read again (the batch retried whole or split in halves) finds its marker and adds
nothing. Stored form: the counters alone under their keys (no `type`: only ADDs
write them), and the marker its `expires_at`."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import ConditionsFailedError, Table, fields_of, key
from inbox.domain.stats_counting import PEOPLE, CounterKey
from inbox.domain.stats_periods import Granularity, period_start
from inbox.errors import ConcurrentUpdateError

MAX_TRANSACTION = 100
_MARKER_KEPT_SECONDS = 86_400
_CONFLICT_RETRIES = 4


def _keys_of(tenant_id: str, at: CounterKey) -> tuple[str, str]:
    granularity, dimension, start, person = at
    if dimension == PEOPLE:
        return keys.stats_people_pk(tenant_id, granularity), keys.stats_period_sk(start, person)
    return keys.stats_counters_pk(tenant_id, granularity, dimension), keys.stats_period_sk(start)


class StatisticsStore(Table):
    def count_classification(self, tenant_id: str, day: str, counters: dict[str, int]) -> None:
        """Decisions and corrections of the day, by decider and folder (AI accuracy)."""
        self._add_to_day(tenant_id, day, counters)

    def stats_between(self, tenant_id: str, first_day: str, last_day: str) -> dict[str, dict[str, int]]:
        """The day counters from `first_day` to `last_day` (ISO dates), in one Query."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": {"S": keys.stats_pk(tenant_id)},
                ":first": {"S": keys.day_sk(first_day)},
                ":last": {"S": keys.day_sk(last_day)},
            },
        )
        return {keys.day_of(item["SK"]): {k: int(v) for k, v in fields_of(item).items()} for item in items}

    def day_stats(self, tenant_id: str, day: str) -> dict[str, int]:
        item = self._get(keys.stats_pk(tenant_id), keys.day_sk(day)) or {}
        return {k: int(v) for k, v in fields_of(item).items()}

    # ------------------------------------------------------------ the counters of issue 14

    def count_ai(self, tenant_id: str, day: date, counters: Mapping[str, int]) -> None:
        """AI work (tokens per model, drafts, decisions) ADDed where it happens, outside any transaction,
        to the day's, the ISO week's and the month's `ai` counters (UTC days: no settings read there)."""
        if not counters:
            return
        for granularity in Granularity:
            start = period_start(day, granularity).isoformat()
            pk = keys.stats_counters_pk(tenant_id, granularity.value, "ai")
            self._add_counters(pk, keys.stats_period_sk(start), counters)

    def apply_counters(
        self, tenant_id: str, record_ids: Sequence[str], increments: Mapping[CounterKey, Mapping[str, int]]
    ) -> list[str]:
        """ADD `increments` (one entry per counters item) in one transaction with a marker per stream
        record they come from, each put only if absent: nothing is added when a record was counted
        before, and those records are returned (the caller counts the others again without them);
        an empty list when it was added. Markers and counters are at most 100 items."""
        if len(record_ids) + len(increments) > MAX_TRANSACTION:
            raise ValueError("at most 100 markers and counters items per transaction")
        expires = {"N": str(int(time.time()) + _MARKER_KEPT_SECONDS)}
        markers = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": {**key(keys.stats_applied_pk(tenant_id), record_id), "expires_at": expires},
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
            for record_id in record_ids
        ]
        updates = [self._add_update(*_keys_of(tenant_id, at), counters) for at, counters in sorted(increments.items())]
        writes = markers + [{"Update": update} for update in updates]
        for attempt in range(_CONFLICT_RETRIES + 1):
            try:
                self._transact(writes)
                return []
            except ConditionsFailedError as error:
                if error.indexes and all(i < len(markers) for i in error.indexes):
                    return [record_ids[i] for i in error.indexes]
                raise
            except ConcurrentUpdateError:  # another shard's batch moved the same counters: a moment later
                if attempt == _CONFLICT_RETRIES:
                    raise
                time.sleep(0.05 * 2**attempt)
        return []

    def counters_between(
        self, tenant_id: str, granularity: str, dimension: str, first: str, last: str
    ) -> dict[str, dict[str, int]]:
        """{period start: counters} of the periods starting from `first` to `last` (one Query, paged)."""
        pk = keys.stats_counters_pk(tenant_id, granularity, dimension)
        return {keys.stats_period_of(sk)[0]: c for sk, c in self._range(pk, first, last).items()}

    def people_between(
        self, tenant_id: str, granularity: str, first: str, last: str
    ) -> dict[tuple[str, str], dict[str, int]]:
        """{(period start, person): counters} of the periods from `first` to `last` (one Query, paged)."""
        pk = keys.stats_people_pk(tenant_id, granularity)
        return {keys.stats_period_of(sk): c for sk, c in self._range(pk, first, last).items()}  # type: ignore[misc]

    def _range(self, pk: str, first: str, last: str) -> dict[str, dict[str, int]]:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": {"S": pk},
                ":first": {"S": keys.stats_period_sk(first)},
                ":last": {"S": keys.stats_period_sk(last) + "~"},  # and the people of the last period
            },
        )
        return {item["SK"]: {k: int(v) for k, v in fields_of(item).items()} for item in items}

    def _add_update(self, pk: str, sk: str, counters: Mapping[str, int]) -> dict[str, Any]:
        names = {f"#c{i}": name for i, name in enumerate(counters)}
        values = {f":c{i}": {"N": str(value)} for i, value in enumerate(counters.values())}
        return {
            "TableName": self._table,
            "Key": key(pk, sk),
            "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counters))),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }

    def _add_to_day(self, tenant_id: str, day: str, counters: Mapping[str, int]) -> None:
        """The AI's work of a UTC day (classification, drafts, auto-replies): to the day's item that
        AI accuracy reads, and to the statistics page's `ai` counters."""
        self._add_counters(keys.stats_pk(tenant_id), keys.day_sk(day), counters)
        self.count_ai(tenant_id, date.fromisoformat(day), counters)

    def _add_counters(self, pk: str, sk: str, counters: Mapping[str, int]) -> None:
        """Atomic ADDs to one counters item."""
        if counters:
            self._call("update_item", **self._add_update(pk, sk, counters))
