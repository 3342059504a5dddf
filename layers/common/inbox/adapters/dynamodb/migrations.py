"""Data migrations: changes to items already stored that a new version of the code needs, each
applied once per table and recorded there (`META#MIGRATIONS`), run by scripts/migrate.py after a
deploy and by the local stack at start (its table outlives code changes in its snapshot).

A migration is the one place a Scan is allowed: an operator runs it once, not a person waiting."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.contacts import ContactItem
from inbox.adapters.dynamodb.conversations import ConversationItem
from inbox.adapters.dynamodb.notifications import UNREAD, UNREAD_COUNT, unread_count_write
from inbox.adapters.dynamodb.table import Table, key, marshal, unmarshal
from inbox.domain.conversations import counter_deltas, urgency_rank, view_assignee


class Migrations(Table):
    def applied(self) -> set[str]:
        items = self._query_prefix(keys.MIGRATIONS_PK, keys.migration_sk(""))
        return {item["SK"].removeprefix(keys.migration_sk("")) for item in items}

    def run_pending(self) -> dict[str, int]:
        """Apply, in order, every migration not yet recorded; the items each one changed, by name."""
        done = self.applied()
        changed: dict[str, int] = {}
        for name, migration in MIGRATIONS.items():
            if name in done:
                continue
            changed[name] = migration(self)
            self._call("put_item", TableName=self._table, Item=marshal(self._record(name, changed[name])))
        return changed

    @staticmethod
    def _record(name: str, changed: int) -> dict[str, Any]:
        at = datetime.now(UTC).isoformat()
        return {
            "PK": keys.MIGRATIONS_PK,
            "SK": keys.migration_sk(name),
            "type": "migration",
            "at": at,
            "changed": changed,
        }

    def _scan(self, **options: Any) -> Iterator[dict[str, Any]]:
        scan: dict[str, Any] = {"TableName": self._table, **options}
        while True:
            page = self._call("scan", **scan)
            yield from (unmarshal(item) for item in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return
            scan["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def backfill_priority(self) -> int:
        """Conversations stored before the urgency sort have no `priority`, so the GSInU indexes
        (sorted by it) leave them out; give each one its key. Only that attribute is set: a conversation
        written meanwhile got its own from that write, and the condition leaves it alone."""
        changed = 0
        stale = self._scan(
            FilterExpression="#type = :conversation AND attribute_not_exists(priority)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={":conversation": {"S": ConversationItem.TYPE}},
        )
        for item in stale:
            conversation = ConversationItem.read(item)
            value = keys.priority(urgency_rank(conversation), conversation.last_activity_at, conversation.id)
            try:
                self._client.update_item(
                    TableName=self._table,
                    Key=key(item["PK"], item["SK"]),
                    UpdateExpression="SET priority = :priority",
                    ConditionExpression="attribute_exists(PK) AND attribute_not_exists(priority)",
                    ExpressionAttributeValues={":priority": {"S": value}},
                )
            except self._client.exceptions.ConditionalCheckFailedException:
                continue  # written or deleted meanwhile
            changed += 1
        return changed

    def count_by_assignee(self) -> int:
        """The Mine and Unassigned counters (COUNTER#ASSIGNEE#<user|none>) start with issue 13: count the
        conversations already stored, per tenant and assignee, as counter_deltas would have, and set them.
        Run once right after the deploy; a change in the seconds between the Scan and the write may be off
        by one until that conversation changes again."""
        totals: dict[tuple[str, str], list[int]] = {}
        conversations = self._scan(
            FilterExpression="#type = :conversation",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={":conversation": {"S": ConversationItem.TYPE}},
        )
        for item in conversations:
            conversation = ConversationItem.read(item)
            for delta in counter_deltas(None, conversation, view_assignee):
                entry = totals.setdefault((conversation.tenant_id, delta.folder), [0, 0])
                entry[0] += delta.total
                entry[1] += delta.unread
        for (tenant_id, assignee), (total, unread) in totals.items():
            self._client.update_item(
                TableName=self._table,
                Key=key(keys.tenant(tenant_id), keys.assignee_counter_sk(assignee)),
                UpdateExpression="SET #total = :total, #unread = :unread",
                ExpressionAttributeNames={"#total": "total", "#unread": "unread"},
                ExpressionAttributeValues={":total": {"N": str(total)}, ":unread": {"N": str(unread)}},
            )
        return len(totals)

    def index_contacts(self) -> int:
        """Contacts stored before the customer panel have one `email` and one `phone`, no version and
        no place in the contacts list (GSI1 by folded name): write each one again in today's form
        (the lists, version 1, its GSI1 keys). A contact written meanwhile has them, and is left alone."""
        changed = 0
        stale = self._scan(
            FilterExpression="#type = :contact AND attribute_not_exists(GSI1PK)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={":contact": {"S": ContactItem.TYPE}},
        )
        for item in stale:
            contact = ContactItem.read(item)
            try:
                self._client.put_item(
                    TableName=self._table,
                    Item=marshal(ContactItem.of(contact, version=max(contact.version, 1))),
                    ConditionExpression="attribute_exists(PK) AND attribute_not_exists(GSI1PK)",
                )
            except self._client.exceptions.ConditionalCheckFailedException:
                continue  # written or deleted meanwhile
            changed += 1
        return changed

    def count_unread_notifications(self) -> int:
        """A person's unread count is the sum of their UNREADCOUNT#<expiry day> items from issue 15 on
        (notifications.py): count the unread markers already stored, per person and expiry day, and set
        every day's count to them, 0 for a count with none (a read between the deploy and this run may
        have left it wrong). Run once right after the deploy; a notification created or read between the
        Scan and the write may be off by one until its day's count expires."""
        counts: dict[tuple[str, int], int] = {}
        markers_and_counts = self._scan(
            FilterExpression="#type IN (:unread, :count)",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues={":unread": {"S": UNREAD}, ":count": {"S": UNREAD_COUNT}},
        )
        for item in markers_and_counts:
            if item["type"] == UNREAD_COUNT:
                day_of_count = date.fromisoformat(item["SK"].removeprefix(keys.UNREAD_COUNT_PREFIX))
                day = int(datetime.combine(day_of_count, time(), UTC).timestamp())
                counts.setdefault((item["PK"], day), 0)
                continue
            expires_at = int(item["expires_at"])
            day = expires_at - expires_at % 86_400  # the UTC day it expires on: one count each
            counts[(item["PK"], day)] = counts.get((item["PK"], day), 0) + 1
        for (pk, day), count in counts.items():
            self._client.update_item(**unread_count_write(self._table, pk, day, count, exact=True)["Update"])
        return len(counts)


# In the order they were written; a name is never reused.
MIGRATIONS: dict[str, Callable[[Migrations], int]] = {
    "2026-11-conversation-priority": Migrations.backfill_priority,
    "2026-12-contact-lists-and-name-index": Migrations.index_contacts,
    "2026-12-assignee-counters": Migrations.count_by_assignee,
    "2026-12-unread-notification-counts": Migrations.count_unread_notifications,
}
