"""A person's notifications in the table (issue 13, item 2): written by notify(), listed newest first
with the unread count, marked read one by one or all at once; nobody else's ever show."""

from datetime import UTC, datetime, timedelta

import pytest

from inbox import wiring
from inbox.adapters.dynamodb import keys
from inbox.errors import InvalidInputError, NotFoundError
from inbox.models.notification import NotificationKind

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_notify_lists_newest_first_with_the_unread_count_and_expires_in_90_days(aws):
    notifications = wiring.notifications()
    first = notifications.notify("t1", "u1", NotificationKind.ASSIGNED, conversation_id="c1", actor_id="u2", now=NOW)
    second = notifications.notify(
        "t1", "u1", NotificationKind.TASK_DUE, task_id="k1", text="Call back", now=NOW + timedelta(minutes=1)
    )

    page = notifications.page("t1", "u1", limit=10)
    assert [n.id for n in page.items] == [second.id, first.id]
    assert page.unread == 2
    assert page.next_cursor is None
    assert page.items[1].actor_id == "u2"
    assert page.items[0].text == "Call back"

    stored = wiring.client("dynamodb").get_item(
        TableName=wiring.get_settings().table_name,
        Key={"PK": {"S": keys.notifications_pk("t1", "u1")}, "SK": {"S": keys.notification_sk(first.id)}},
    )["Item"]
    assert int(stored["expires_at"]["N"]) == int((NOW + timedelta(days=90)).timestamp())


def test_pages_follow_the_cursor_and_a_foreign_cursor_is_refused(aws):
    notifications = wiring.notifications()
    made = [
        notifications.notify("t1", "u1", NotificationKind.FOLLOW_UP_DUE, now=NOW + timedelta(seconds=i))
        for i in range(5)
    ]
    first = notifications.page("t1", "u1", limit=2)
    second = notifications.page("t1", "u1", limit=2, cursor=first.next_cursor)
    third = notifications.page("t1", "u1", limit=2, cursor=second.next_cursor)
    assert [n.id for n in first.items + second.items + third.items] == [n.id for n in reversed(made)]
    with pytest.raises(InvalidInputError):
        notifications.page("t1", "u1", limit=2, cursor="bm90LW91cnM")


def test_mark_one_read_then_all(aws):
    notifications = wiring.notifications()
    a, b, c = (
        notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW + timedelta(seconds=i)) for i in range(3)
    )
    read = notifications.mark_read("t1", "u1", b.id, now=NOW + timedelta(hours=1))
    assert read.read_at == NOW + timedelta(hours=1)
    assert notifications.mark_read("t1", "u1", b.id, now=NOW + timedelta(hours=2)).read_at == read.read_at
    assert notifications.page("t1", "u1", limit=10).unread == 2

    assert notifications.mark_all_read("t1", "u1", now=NOW + timedelta(hours=3)) == (2, False)
    page = notifications.page("t1", "u1", limit=10)
    assert page.unread == 0
    assert all(n.read_at is not None for n in page.items)
    assert {n.id for n in page.items} == {a.id, b.id, c.id}


def test_another_persons_or_tenants_notifications_never_show(aws):
    notifications = wiring.notifications()
    mine = notifications.notify("t1", "u1", NotificationKind.ASSIGNED, now=NOW)
    notifications.notify("t1", "u2", NotificationKind.ASSIGNED, now=NOW)
    notifications.notify("t2", "u1", NotificationKind.ASSIGNED, now=NOW)

    assert [n.id for n in notifications.page("t1", "u1", limit=10).items] == [mine.id]
    with pytest.raises(NotFoundError):
        notifications.mark_read("t1", "u2", mine.id)
    with pytest.raises(NotFoundError):
        notifications.mark_read("t2", "u1", mine.id)
    assert notifications.mark_all_read("t1", "u2") == (1, False)  # their own only
    assert notifications.page("t1", "u1", limit=10).unread == 1
