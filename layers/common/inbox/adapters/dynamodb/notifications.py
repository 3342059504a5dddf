"""A person's notifications in the table: one partition per person (keys.notifications_pk) holding

  NOTIF#<id>    the Notification under its keys, and `expires_at` (the table's TTL, ~90 days);
  UNREAD#<id>   a marker while it is unread (same TTL): a marker goes with its notification, read or
                expired; "mark all read" lists them;
  UNREADCOUNT#<day>  how many markers expire on that UTC day, moved by ADD in the transaction that puts
                or deletes a marker, and gone by the TTL at the end of that day, with its markers.

Listing is one Query of NOTIF# read backwards (ids sort by creation time): newest first. The unread
count is one Query of UNREADCOUNT# (issue 15, item 3): at most one item a day of the notifications'
90 days, where a COUNT Query of the markers read every one of them (thousands for a busy person).
After a marker's expiry the count may include it until the TTL removes its day's count (the TTL is
lazy, for both, and in no order). A read takes one from its day only while that day's count is above 0
(none left, or never written before the counts' migration: nothing to take), and the sum counts each day
at 0 at least, so one wrong day never takes from the others. Every write of a person's notifications on
one day touches the same count, so one that overlaps another is cancelled (TransactionConflict) and
tried again: a cancelled transaction wrote nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from time import sleep
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
from inbox.errors import ConcurrentUpdateError, InvalidInputError
from inbox.models.notification import Notification

NOTIFICATION = "notification"
UNREAD = "notification_unread"
UNREAD_COUNT = "notification_unread_count"
CONFLICT_ATTEMPTS = 3  # tries of a transaction that overlapped another on the same day's count


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
        self._transact_again_on_conflict(
            [
                put(self._table, item, "attribute_not_exists(PK)"),
                put(self._table, marker),
                unread_count_write(self._table, pk, expires_at, +1),
            ]
        )

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
        """The person's unread count: the sum of their UNREADCOUNT# items (one a day at most)."""
        items = self._query_prefix(keys.notifications_pk(tenant_id, user_id), keys.UNREAD_COUNT_PREFIX)
        return sum(max(0, int(item.get("unread", 0))) for item in items)

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
        marker = self._get(pk, keys.unread_sk(notification_id))  # its expiry says which day's count it is in
        if marker is None:
            return False  # read already, or gone
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
            unread_count_write(self._table, pk, int(marker["expires_at"]), -1, only_while_counted=True),
        ]
        try:
            self._transact_again_on_conflict(writes)
        except ConditionsFailedError as failed:
            if failed.indexes != [len(writes) - 1]:
                return False  # read meanwhile, or gone
            # Its day has no count above 0 (removed by the TTL, or not yet written by the migration):
            # read it without one, rather than leave that day at -1.
            try:
                self._transact_again_on_conflict(writes[:-1])
            except ConditionsFailedError:
                return False
        return True

    def _transact_again_on_conflict(self, writes: list[dict[str, Any]]) -> None:
        """The transaction, tried again (after a short random wait) while another one overlapping it on
        the same items cancels it: a cancelled transaction wrote nothing, and the conditions of these
        writes make a repeat harmless."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                self._transact(writes)
                return
            except ConcurrentUpdateError:
                if attempt == CONFLICT_ATTEMPTS - 1:
                    raise
                sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security


def unread_count_write(
    table: str, pk: str, expires_at: int, change: int, exact: bool = False, only_while_counted: bool = False
) -> dict[str, Any]:
    """Count a marker that expires at `expires_at` in (+1) or out (-1) of its expiry day's count (`exact`:
    set the count to `change`), which the TTL removes at that day's end, as it does its markers.
    `only_while_counted`: on condition that the count is above 0 (it is not created, nor goes below 0)."""
    expiry_day = datetime.fromtimestamp(expires_at, UTC).date()
    day_end = int(datetime.combine(expiry_day + timedelta(days=1), time(), UTC).timestamp())
    counted = "SET unread = :change," if exact else "ADD unread :change SET"
    update: dict[str, Any] = {
        "TableName": table,
        "Key": key(pk, keys.unread_count_sk(expiry_day.isoformat())),
        "UpdateExpression": f"{counted} #type = :type, expires_at = :end",
        "ExpressionAttributeNames": {"#type": "type"},
        "ExpressionAttributeValues": {
            ":change": {"N": str(change)},
            ":type": {"S": UNREAD_COUNT},
            ":end": {"N": str(day_end)},
        },
    }
    if only_while_counted:
        update["ConditionExpression"] = "unread > :none"
        update["ExpressionAttributeValues"][":none"] = {"N": "0"}
    return {"Update": update}


def _notification(item: dict[str, Any]) -> Notification:
    return Notification.model_validate(fields_of(item, NotificationItem))


def _cursor_sk(cursor: str) -> str:
    sort_key = decode_cursor(cursor)
    if not (isinstance(sort_key, str) and sort_key.startswith(keys.NOTIFICATION_PREFIX) and len(sort_key) < 100):
        raise InvalidInputError("cursor", "does not continue this list")
    return sort_key
