"""Live updates in the table: the tenant's open WebSocket connections, and the stream's records read
back into the changes the apps are told about (domain/live_updates.py).

Stored forms: a connection's item is the Connection under the tenant's connections partition, so that
the fan-out of a change is one Query (keys.connections_pk); a route item maps the connection id to
its tenant for $disconnect, which names nothing else. Both carry `expires_at`, the table's TTL
attribute: API Gateway closes a connection after two hours at most, and a $disconnect can be lost.
"""

from __future__ import annotations

from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationItem
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, key, put, unmarshal
from inbox.domain.live_updates import (
    AssigneeCounterChange,
    ConversationChange,
    CounterChange,
    DraftChange,
    NotificationChange,
    TableChange,
)
from inbox.models.live import Connection

CONNECTION = "connection"


class ConnectionStore(Table):
    def save_connection(self, connection: Connection) -> None:
        t, connection_id = connection.tenant_id, connection.connection_id
        item = item_of(keys.connections_pk(t), keys.connection_sk(connection_id), CONNECTION, connection)
        route = {
            "PK": keys.connection_route_pk(connection_id),
            "SK": keys.ROUTE,
            "type": "connection_route",
            "tenant_id": t,
            "expires_at": connection.expires_at,
        }
        self._transact([put(self._table, item), put(self._table, route)])

    def forget_connection(self, connection_id: str) -> str | None:
        """Remove a connection ($disconnect); its tenant, or None if it was not (or no longer) known."""
        route = self._get(keys.connection_route_pk(connection_id), keys.ROUTE)
        if route is None:
            return None
        self.remove_connection(str(route["tenant_id"]), connection_id)
        return str(route["tenant_id"])

    def remove_connection(self, tenant_id: str, connection_id: str) -> None:
        """Remove a connection API Gateway says is gone (410 to a post), or that closed."""
        removals = [
            key(keys.connections_pk(tenant_id), keys.connection_sk(connection_id)),
            key(keys.connection_route_pk(connection_id), keys.ROUTE),
        ]
        self._transact([{"Delete": {"TableName": self._table, "Key": k}} for k in removals])

    def tenant_connections(self, tenant_id: str, now: int) -> list[Connection]:
        """The tenant's open connections (those whose TTL passed may linger in the table for a while:
        left out)."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            FilterExpression="expires_at > :now",
            ExpressionAttributeValues={
                ":pk": {"S": keys.connections_pk(tenant_id)},
                ":prefix": {"S": keys.CONNECTION_PREFIX},
                ":now": {"N": str(now)},
            },
        )
        return [Connection.model_validate(fields_of(item)) for item in items]


def table_changes(records: list[dict[str, Any]]) -> list[TableChange]:
    """The conversation, draft, counter and notification changes among a DynamoDB stream's records (NEW_AND_OLD_IMAGES),
    in their order; every other item is left out (the event source's filter already does so on AWS)."""
    changes: list[TableChange] = []
    for record in records:
        stream = record.get("dynamodb") or {}
        keys_ = unmarshal(stream.get("Keys") or {})
        pk, sk = str(keys_.get("PK", "")), str(keys_.get("SK", ""))
        if not pk.startswith(keys.tenant("")):
            continue
        if sk == keys.CONVERSATION:
            before, after = (_conversation(stream.get(image)) for image in ("OldImage", "NewImage"))
            if before is not None or after is not None:
                changes.append(ConversationChange(before=before, after=after))
        elif sk.startswith(keys.DRAFT_PREFIX):
            draft = unmarshal(stream.get("NewImage") or stream.get("OldImage") or {})
            tenant_id, conversation_id = draft.get("tenant_id"), draft.get("conversation_id")
            if tenant_id and conversation_id:
                changes.append(DraftChange(tenant_id=str(tenant_id), conversation_id=str(conversation_id)))
        elif sk.startswith(keys.COUNTER_PREFIX):
            changes.append(CounterChange(tenant_id=pk.removeprefix(keys.tenant("")), folder=keys.folder_of_counter(sk)))
        elif sk.startswith(keys.ASSIGNEE_COUNTER_PREFIX):
            tenant_id, assignee = pk.removeprefix(keys.tenant("")), sk.removeprefix(keys.ASSIGNEE_COUNTER_PREFIX)
            changes.append(AssigneeCounterChange(tenant_id=tenant_id, assignee=assignee))
        elif sk.startswith(keys.NOTIFICATION_PREFIX):
            change = _notification_change(record.get("eventName"), stream)
            if change is not None:
                changes.append(change)
    return changes


def _notification_change(event_name: Any, stream: dict[str, Any]) -> NotificationChange | None:
    """A notification written (INSERT) or read (MODIFY setting `read_at`); one expiring says nothing."""
    after = unmarshal(stream.get("NewImage") or {})
    before = unmarshal(stream.get("OldImage") or {})
    if not (after.get("tenant_id") and after.get("user_id") and after.get("id")):
        return None
    created = event_name == "INSERT"
    if not created and not (event_name == "MODIFY" and after.get("read_at") and not before.get("read_at")):
        return None
    return NotificationChange(
        tenant_id=str(after["tenant_id"]),
        user_id=str(after["user_id"]),
        notification_id=str(after["id"]),
        created=created,
    )


def _conversation(image: dict[str, Any] | None) -> Any:
    return ConversationItem.read(unmarshal(image)) if image else None
