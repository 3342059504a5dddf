"""The audit trail's entries (issue 14, item 3).

  T#t#AUDIT#yyyy-mm   <time>#<entry id>   one entry, in its tenant's month, TTL `expires_at`;
                                          GSI1PK T#t#AUDITOF#<conversation> + `activity` (= SK) when it
                                          concerns a conversation: its history is one GSI1 Query

An entry's key comes from its stream record (its id) and time (the record's), so a batch read twice
puts the same items over themselves. A page walks the months of the period newest first, each a
Query between the period's bounds; filters (person, kind, and not past its TTL: DynamoDB removes an
expired item within a few days, not at once) are FilterExpressions, and a page stops after
MAX_QUERY_ROUNDS reads with a cursor (a page may then be short, or empty). No Scan."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import (
    MAX_QUERY_ROUNDS,
    Table,
    check_item_list_start,
    decode_cursor,
    encode,
    marshal,
    unmarshal,
)
from inbox.domain.audit import AuditChange, AuditEntry, AuditKind, AuditQuery
from inbox.errors import InvalidInputError, TransientError

_BATCH = 25  # batch_write_item takes at most 25 requests
_BATCH_ATTEMPTS = 6


def _month(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m")


def _months_back(end: datetime, start: datetime) -> list[str]:
    """The months from `end`'s back to `start`'s, newest first."""
    year, month = end.astimezone(UTC).year, end.astimezone(UTC).month
    last = _month(start)
    months = []
    while True:
        months.append(f"{year:04d}-{month:02d}")
        if months[-1] <= last:
            return months
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


class AuditStore(Table):
    def put_audit_entries(self, entries: list[AuditEntry], keep_for: timedelta) -> None:
        """Each entry put (over itself if it is there already: the same record makes the same key),
        to expire `keep_for` after it happened (DynamoDB's TTL removes it within a few days after)."""
        items = [marshal(_item_of(entry, int((entry.at + keep_for).timestamp()))) for entry in entries]
        for start in range(0, len(items), _BATCH):
            pending: dict[str, Any] = {
                self._table: [{"PutRequest": {"Item": i}} for i in items[start : start + _BATCH]]
            }
            for attempt in range(_BATCH_ATTEMPTS):
                pending = self._call("batch_write_item", RequestItems=pending).get("UnprocessedItems") or {}
                if not pending:
                    break
                time.sleep(min(0.05 * 2**attempt, 1.0))  # DynamoDB left them unprocessed: it is throttling
            else:
                raise TransientError("DynamoDB left audit entries unwritten; the batch is read again")

    def list_audit(
        self, tenant_id: str, query: AuditQuery, limit: int, cursor: str | None
    ) -> tuple[list[AuditEntry], str | None]:
        """Entries newest first within the period, filtered; at most MAX_QUERY_ROUNDS reads."""
        low, high = keys.stamp(query.start), keys.stamp(query.end) + "~"
        filters, values = _filters(query, int(time.time()))
        if query.conversation_id:
            partition = keys.conversation_audit_pk(tenant_id, query.conversation_id)
            parts = [partition]
            condition = "GSI1PK = :pk AND activity BETWEEN :low AND :high"
            index = {"IndexName": "GSI1"}
        else:
            parts = [keys.audit_pk(tenant_id, m) for m in _months_back(query.end, query.start)]
            condition = "PK = :pk AND SK BETWEEN :low AND :high"
            index = {}
        part, start = self._audit_position(tenant_id, parts, cursor, (low, high))
        found: list[AuditEntry] = []
        for _ in range(MAX_QUERY_ROUNDS):
            request: dict[str, Any] = {
                "KeyConditionExpression": condition,
                "ExpressionAttributeValues": {":pk": {"S": parts[part]}, ":low": {"S": low}, ":high": {"S": high}}
                | values,
                "ScanIndexForward": False,
                "Limit": max(limit - len(found), 25),  # filtered: most read match, expired ones are few
                **index,
            }
            request["FilterExpression"] = filters
            if start:
                request["ExclusiveStartKey"] = start
            page = self._call("query", TableName=self._table, **request)
            items = [unmarshal(i) for i in page.get("Items", [])]
            taken = items[: limit - len(found)]
            found += [_entry_of(i) for i in taken]
            # more matched than the page holds: go on after the last one taken
            start = _start_of(taken[-1], index) if len(taken) < len(items) else page.get("LastEvaluatedKey")
            if not start:
                part, start = part + 1, None
                if part >= len(parts):
                    return found, None
            if len(found) >= limit:
                break
        return found, encode({"p": parts[part], "k": start})

    def _audit_position(
        self, tenant_id: str, parts: list[str], cursor: str | None, period: tuple[str, str]
    ) -> tuple[int, dict[str, Any] | None]:
        """Where a cursor goes on: which partition of the period, after which key. Only a cursor of
        this list (this tenant, partition and period) is taken: DynamoDB refuses a start key outside
        the Query's key condition (a 500 on AWS; moto lets it by), so its sort key is checked to be
        within the period."""
        if not cursor:
            return 0, None
        position = decode_cursor(cursor)
        if not (isinstance(position, dict) and set(position) == {"p", "k"} and position["p"] in parts):
            raise InvalidInputError("cursor", "does not continue this list")
        start = position["k"]
        if start is not None:
            if position["p"].startswith(keys.audit_pk_prefix(tenant_id)):  # the months' partitions
                valid = isinstance(start, dict) and set(start) == {"PK", "SK"} and start["PK"] == {"S": position["p"]}
            else:  # a conversation's history, on GSI1: its sort key is `activity` (= SK)
                check_item_list_start(start, position["p"], keys.audit_pk_prefix(tenant_id), "")
                valid = start["activity"] == start["SK"]
            valid = valid and isinstance(start["SK"], dict) and set(start["SK"]) == {"S"}
            sort_key = start["SK"]["S"] if valid else None
            if not (isinstance(sort_key, str) and period[0] <= sort_key <= period[1]):
                raise InvalidInputError("cursor", "does not continue this list")
        return parts.index(position["p"]), start


def _filters(query: AuditQuery, now: int) -> tuple[str, dict[str, Any]]:
    conditions, values = ["expires_at > :now"], {":now": {"N": str(now)}}
    if query.person:
        conditions.append("actor_id = :person AND actor_type = :person_type")
        values |= {":person": {"S": query.person}, ":person_type": {"S": "person"}}
    if query.kind:
        conditions.append("kind = :kind")
        values[":kind"] = {"S": str(query.kind)}
    return " AND ".join(conditions), values


def _start_of(item: dict[str, Any], index: dict[str, Any]) -> dict[str, Any]:
    names = ("PK", "SK", "GSI1PK", "activity") if index else ("PK", "SK")
    return {name: {"S": item[name]} for name in names}


def _item_of(entry: AuditEntry, expires_at: int) -> dict[str, Any]:
    sort_key = keys.audit_sk(keys.stamp(entry.at), entry.id)
    item: dict[str, Any] = {
        "PK": keys.audit_pk(entry.tenant_id, _month(entry.at)),
        "SK": sort_key,
        "type": keys.AUDIT_TYPE,
        "id": entry.id,
        "at": keys.stamp(entry.at),
        "actor_type": entry.actor_type,
        "actor_id": entry.actor_id,
        "kind": str(entry.kind),
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "conversation_id": entry.conversation_id,
        # JSON text: a value before or after may be any JSON (floats, nulls), which DynamoDB would refuse
        "changes": json.dumps([[c.field, c.before, c.after] for c in entry.changes], ensure_ascii=False),
        "summary": entry.summary,
        "audited_tenant": entry.tenant_id,  # not `tenant_id`: the stream's readers skip an entry's item
        "expires_at": expires_at,
    }
    if entry.conversation_id:
        item |= {"GSI1PK": keys.conversation_audit_pk(entry.tenant_id, entry.conversation_id), "activity": sort_key}
    return item


def _entry_of(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=item["id"],
        tenant_id=item["audited_tenant"],
        at=datetime.fromisoformat(item["at"]),
        actor_type=item["actor_type"],
        actor_id=item["actor_id"],
        kind=AuditKind(item["kind"]),
        target_type=item["target_type"],
        target_id=item["target_id"],
        conversation_id=item.get("conversation_id"),
        changes=tuple(AuditChange(f, b, a) for f, b, a in json.loads(item.get("changes") or "[]")),
        summary=item.get("summary"),
    )
