"""A person's unread count costs the same however many notifications they have (issue 15, item 3): it
sums one item per expiry day (at most one a day of the 90 days kept), moved with each marker, where a
COUNT Query read every unread marker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inbox import wiring
from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.migrations import Migrations
from inbox.adapters.dynamodb.notifications import UNREAD
from inbox.models.notification import NotificationKind

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class ItemsRead:
    """Items the table's Queries read (ScannedCount), as botocore receives their answers."""

    def __init__(self) -> None:
        self.queries = 0
        self.items = 0
        wiring.client("dynamodb").meta.events.register("after-call.dynamodb.Query", self._read)

    def _read(self, parsed, **_) -> None:
        self.queries += 1
        self.items += parsed.get("ScannedCount", 0)


def test_the_unread_count_reads_one_item_a_day_not_every_unread_notification(aws):
    # GIVEN 40 unread notifications of one person, made over 2 days (09:00 to 20:06 the next day)
    notifications = wiring.notifications()
    made = [
        notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW + timedelta(hours=i * 0.9))
        for i in range(40)
    ]
    read = ItemsRead()

    # WHEN their unread count is read
    unread = notifications.unread("t1", "u1")

    # THEN it is exact, from one Query of at most one item per expiry day (a COUNT of markers read 40)
    assert unread == 40
    assert (read.queries, read.items) == (1, 2)

    # AND it follows each one read, once however often it is read, and "mark all read"
    for notification in made[:10]:
        notifications.mark_read("t1", "u1", notification.id, now=NOW + timedelta(days=3))
    notifications.mark_read("t1", "u1", made[0].id, now=NOW + timedelta(days=4))
    assert notifications.unread("t1", "u1") == 30
    assert notifications.page("t1", "u1", limit=5).unread == 30
    assert notifications.unread("t1", "u2") == 0
    while notifications.mark_all_read("t1", "u1", now=NOW + timedelta(days=5))[1]:
        pass
    assert notifications.unread("t1", "u1") == 0


def test_the_migration_counts_the_unread_markers_stored_before_the_counts(aws):
    # GIVEN unread markers as stored before the counts existed (no UNREADCOUNT# item), for two people
    client, table = wiring.client("dynamodb"), wiring.get_settings().table_name
    for user, count in (("u1", 5), ("u2", 3)):
        for n in range(count):
            expires_at = int((NOW + timedelta(days=90, hours=n * 10)).timestamp())
            marker = {"PK": keys.notifications_pk("t1", user), "SK": keys.unread_sk(f"{user}-{n}")}
            item = {k: {"S": v} for k, v in marker.items()} | {
                "type": {"S": UNREAD},
                "expires_at": {"N": str(expires_at)},
            }
            client.put_item(TableName=table, Item=item)
    assert wiring.notifications().unread("t1", "u1") == 0

    # WHEN the pending migrations run
    changed = Migrations(client, table).run_pending()

    # THEN each person's count is their markers, one item per expiry day
    assert changed["2026-12-unread-notification-counts"] == 3 + 2  # u1's 5 expire over 3 days, u2's 3 over 2
    assert wiring.notifications().unread("t1", "u1") == 5
    assert wiring.notifications().unread("t1", "u2") == 3
