"""Daily statistics: one item per tenant and day, moved by atomic ADDs outside any transaction
(every message of a tenant touches it, and a transaction on it would collide with each other one).

Stored form: a day's item holds its counters alone, under its keys (no `type`: only ADDs write it)."""

from __future__ import annotations

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, key


class StatisticsStore(Table):
    def count_inbound(self, tenant_id: str, day: str, channel: str, new_conversation: bool) -> None:
        """The day's statistics, outside the ingest transaction: every message of a tenant
        touches this item, and a transaction on it would collide with each concurrent one."""
        counters = {"messages_in": 1, f"messages_in_{channel}": 1}
        if new_conversation:
            counters["conversations_created"] = 1
        self._add_to_day(tenant_id, day, counters)

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

    def _add_to_day(self, tenant_id: str, day: str, counters: dict[str, int]) -> None:
        """Atomic ADDs to the day's statistics item."""
        names = {f"#c{i}": name for i, name in enumerate(counters)}
        values = {f":c{i}": {"N": str(value)} for i, value in enumerate(counters.values())}
        self._call(
            "update_item",
            TableName=self._table,
            Key=key(keys.stats_pk(tenant_id), keys.day_sk(day)),
            UpdateExpression="ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counters))),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
