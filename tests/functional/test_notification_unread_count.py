"""A person's unread count costs the same however many notifications they have (issue 15, item 3): it
sums one item per expiry day (at most one a day of the 90 days kept), moved with each marker, where a
COUNT Query read every unread marker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from botocore.exceptions import ClientError

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


def _count_items(user: str) -> dict[str, int]:
    client, table = wiring.client("dynamodb"), wiring.get_settings().table_name
    page = client.query(
        TableName=table,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": keys.notifications_pk("t1", user)}, ":prefix": {"S": "UNREADCOUNT#"}},
    )
    return {item["SK"]["S"]: int(item["unread"]["N"]) for item in page["Items"]}


def _forget_count(user: str, count_sk: str) -> None:
    """Remove a day's count, as the TTL does, or as it was before the counts existed."""
    client, table = wiring.client("dynamodb"), wiring.get_settings().table_name
    client.delete_item(TableName=table, Key={"PK": {"S": keys.notifications_pk("t1", user)}, "SK": {"S": count_sk}})


def test_a_read_before_the_migration_takes_nothing_from_the_other_days(aws):
    # GIVEN an old notification alone on its expiry day (stored before the counts), and 3 new ones
    notifications = wiring.notifications()
    old = notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW - timedelta(days=10))
    _forget_count("u1", min(_count_items("u1")))
    for minute in range(3):
        notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW + timedelta(minutes=minute))

    # WHEN the person reads the old one after the deploy, before the migration runs
    notifications.mark_read("t1", "u1", old.id, now=NOW)

    # THEN no day goes below 0, and the new ones stay counted, before and after the migration (twice)
    assert min(_count_items("u1").values()) >= 0
    assert notifications.unread("t1", "u1") == 3
    migrations = Migrations(wiring.client("dynamodb"), wiring.get_settings().table_name)
    migrations.run_pending()
    assert notifications.unread("t1", "u1") == 3
    migrations.count_unread_notifications()
    assert notifications.unread("t1", "u1") == 3


def test_the_migration_resets_a_day_it_finds_no_marker_for_and_a_wrong_day_takes_nothing_from_the_others(aws):
    # GIVEN a day's count left wrong (-1, as a read before the counts' deploy could leave it; and 2 with
    # no marker), beside 2 unread notifications counted on another day
    client, table = wiring.client("dynamodb"), wiring.get_settings().table_name
    notifications = wiring.notifications()
    for minute in range(2):
        notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW + timedelta(minutes=minute))
    pk = keys.notifications_pk("t1", "u1")
    for day, wrong in (("2026-05-01", -1), ("2026-05-02", 2)):
        item = {"PK": pk, "SK": keys.unread_count_sk(day), "type": "notification_unread_count", "unread": wrong}
        client.put_item(TableName=table, Item={k: {"N" if k == "unread" else "S": str(v)} for k, v in item.items()})

    # THEN the -1 takes nothing from the other days (each day counts 0 at least)
    assert notifications.unread("t1", "u1") == 2 + 2

    # WHEN the migration runs, THEN a day without markers is set to 0, and the others to their markers
    Migrations(client, table).count_unread_notifications()
    assert sorted(_count_items("u1").values()) == [0, 0, 2]
    assert notifications.unread("t1", "u1") == 2


def test_reading_an_expired_notification_whose_day_count_is_gone_creates_no_negative_day(aws):
    # GIVEN a notification that expired yesterday, whose day's count the TTL removed before its marker,
    # and 3 unread ones of today
    notifications = wiring.notifications()
    old = notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW - timedelta(days=91))
    for minute in range(3):
        notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW + timedelta(minutes=minute))
    old_day = min(_count_items("u1"))
    _forget_count("u1", old_day)

    # WHEN the person reads it (the TTL has not removed the marker yet)
    read = notifications.mark_read("t1", "u1", old.id, now=NOW)

    # THEN it is read, no count item comes back for its day, and the others are still counted
    assert read.read_at is not None
    assert old_day not in _count_items("u1")
    assert notifications.unread("t1", "u1") == 3


class ConflictFirst:
    """The first `times` transactions are cancelled as DynamoDB cancels one that overlaps another on
    the same item (TransactionConflict), without writing anything; the rest go through."""

    def __init__(self, monkeypatch, times: int) -> None:
        self.client = wiring.client("dynamodb")
        self.left = times
        self.calls = 0
        self._transact = self.client.transact_write_items
        monkeypatch.setattr(self.client, "transact_write_items", self._write)

    def _write(self, **kwargs):
        self.calls += 1
        if self.left > 0:
            self.left -= 1
            reasons = [{"Code": "None"}] * (len(kwargs["TransactItems"]) - 1) + [{"Code": "TransactionConflict"}]
            response = {
                "Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
                "CancellationReasons": reasons,
            }
            raise ClientError(response, "TransactWriteItems")
        return self._transact(**kwargs)


def test_a_transaction_conflict_on_a_days_count_is_tried_again(aws, monkeypatch):
    # GIVEN writes to one person's notifications that overlap others on the same day's count
    notifications = wiring.notifications()
    conflicts = ConflictFirst(monkeypatch, times=2)

    # WHEN a notification is made, THEN it is stored and counted (no assignment notification is lost)
    made = notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW)
    assert (conflicts.calls, notifications.unread("t1", "u1")) == (3, 1)

    # AND a read that meets a conflict is tried again too (not a 409)
    conflicts.left = 2
    assert notifications.mark_read("t1", "u1", made.id, now=NOW).read_at is not None
    assert notifications.unread("t1", "u1") == 0
