"""A person's notifications in the table: one partition per person (keys.notifications_pk) holding

  NOTIF#<id>    the Notification under its keys, and `expires_at` (the table's TTL, ~90 days);
  UNREAD#<id>   a marker while it is unread (same TTL), so the unread count is a COUNT Query of
                the markers alone and never drifts: a marker goes with its notification, read or expired.

Listing is one Query of NOTIF# read backwards (ids sort by creation time): newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import (
    ConditionsFailedError,
    Table,
    decode_cursor,
    encode,
    fields_of,
    item_of,
    key,
    put,
    unmarshal,
)
from inbox.errors import InvalidInputError
from inbox.models.notification import Notification

NOTIFICATION = "notification"
UNREAD = "notification_unread"


@dataclass(frozen=True)
class NotificationItem:
    """What a notification's item holds beyond the Notification."""

    expires_at: int


class NotificationStore(Table):
    def save_notification(self, notification: Notification, expires_at: int) -> None:
        """A new notification and its unread marker, at once."""
        pk = keys.notifications_pk(notification.tenant_id, notification.user_id)
        sk = keys.notification_sk(notification.id)
        item = item_of(pk, sk, NOTIFICATION, notification, {"expires_at": expires_at})
        marker = {"PK": pk, "SK": keys.unread_sk(notification.id), "type": UNREAD, "expires_at": expires_at}
        self._transact([put(self._table, item, "attribute_not_exists(PK)"), put(self._table, marker)])

    def get_notification(self, tenant_id: str, user_id: str, notification_id: str) -> Notification | None:
        item = self._get(keys.notifications_pk(tenant_id, user_id), keys.notification_sk(notification_id))
        return _notification(item) if item else None

    def list_notifications(
        self, tenant_id: str, user_id: str, limit: int, cursor: str | None = None
    ) -> tuple[list[Notification], str | None]:
        """A page of the person's notifications, newest first, and the cursor of the next page."""
        pk = keys.notifications_pk(tenant_id, user_id)
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":prefix": {"S": keys.NOTIFICATION_PREFIX}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor is not None:
            query["ExclusiveStartKey"] = key(pk, _cursor_sk(cursor))
        page = self._call("query", **query)
        items = [_notification(unmarshal(item)) for item in page.get("Items", [])]
        last = page.get("LastEvaluatedKey")
        return items, encode(last["SK"]["S"]) if last else None

    def unread_notifications(self, tenant_id: str, user_id: str) -> int:
        total, query = (
            0,
            {
                "TableName": self._table,
                "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
                "ExpressionAttributeValues": {
                    ":pk": {"S": keys.notifications_pk(tenant_id, user_id)},
                    ":prefix": {"S": keys.UNREAD_PREFIX},
                },
                "Select": "COUNT",
            },
        )
        while True:
            page = self._call("query", **query)
            total += int(page.get("Count", 0))
            if "LastEvaluatedKey" not in page:
                return total
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def unread_notification_ids(self, tenant_id: str, user_id: str, limit: int) -> list[str]:
        """Up to `limit` ids of the person's unread notifications (one page of their unread index)."""
        page = self._call(
            "query",
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.notifications_pk(tenant_id, user_id)},
                ":prefix": {"S": keys.UNREAD_PREFIX},
            },
            ProjectionExpression="SK",
            Limit=limit,
        )
        return [item["SK"]["S"].removeprefix(keys.UNREAD_PREFIX) for item in page.get("Items", [])]

    def mark_notifications_read(self, tenant_id: str, user_id: str, ids: list[str], at: datetime) -> int:
        """Mark these unread notifications read; how many were (one already read, or gone, is skipped)."""
        # One small transaction each: one read meanwhile (in another tab) must not fail the rest.
        return sum(self._mark_read(tenant_id, user_id, notification_id, at) for notification_id in ids)

    def _mark_read(self, tenant_id: str, user_id: str, notification_id: str, at: datetime) -> bool:
        pk = keys.notifications_pk(tenant_id, user_id)
        writes = [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": key(pk, keys.notification_sk(notification_id)),
                    "UpdateExpression": "SET read_at = :at",
                    "ConditionExpression": "attribute_exists(PK) AND attribute_not_exists(read_at)",
                    "ExpressionAttributeValues": {":at": {"S": at.isoformat()}},
                }
            },
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": key(pk, keys.unread_sk(notification_id)),
                    "ConditionExpression": "attribute_exists(PK)",
                }
            },
        ]
        try:
            self._transact(writes)
        except ConditionsFailedError:
            return False
        return True


def _notification(item: dict[str, Any]) -> Notification:
    return Notification.model_validate(fields_of(item, NotificationItem))


def _cursor_sk(cursor: str) -> str:
    sort_key = decode_cursor(cursor)
    if not (isinstance(sort_key, str) and sort_key.startswith(keys.NOTIFICATION_PREFIX) and len(sort_key) < 100):
        raise InvalidInputError("cursor", "does not continue this list")
    return sort_key
