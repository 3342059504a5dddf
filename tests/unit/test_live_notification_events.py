"""Live updates of issue 13: a person's notification written or read becomes an event for that person
alone; one expiring (TTL) says nothing; the assignee views' counters moving are told with the folders'."""

from test_live_updates import counter, events_of, record

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.connections import table_changes
from inbox.domain.live_updates import live_events, personal_events


def notification(read_at: str | None = None) -> dict:
    item = {
        "PK": keys.notifications_pk("t", "u1"),
        "SK": keys.notification_sk("n1"),
        "type": "notification",
        "id": "n1",
        "tenant_id": "t",
        "user_id": "u1",
        "kind": "assigned",
        "created_at": "2026-03-02T09:00:00Z",
        "expires_at": 1,
    }
    return item | ({"read_at": read_at} if read_at else {})


def personal(*records: dict) -> dict:
    changes = table_changes(list(records))
    return {who: [e.model_dump(mode="json") for e in events] for who, events in personal_events(changes).items()}


def test_a_new_notification_is_told_to_its_person_only_and_not_to_the_tenant():
    records = [record("INSERT", None, notification())]
    assert personal(*records) == {
        ("t", "u1"): [{"type": "notifications.changed", "change": "created", "user_id": "u1", "notification_id": "n1"}]
    }
    assert live_events(table_changes(records)) == {}


def test_a_notification_read_is_told_and_one_expiring_is_not():
    read = record("MODIFY", notification(), notification(read_at="2026-03-02T10:00:00Z"))
    assert personal(read)[("t", "u1")][0]["change"] == "read"
    assert personal(record("REMOVE", notification(), None)) == {}
    assert personal(record("MODIFY", notification("x"), notification("x"))) == {}


def test_created_and_read_in_one_batch_is_told_once_as_read():
    batch = [record("INSERT", None, notification()), record("MODIFY", notification(), notification("later"))]
    [event] = personal(*batch)[("t", "u1")]
    assert event["change"] == "read"


def test_the_assignee_views_counters_are_told_with_the_folders():
    assignee = {"PK": keys.tenant("t"), "SK": keys.assignee_counter_sk("none"), "total": 1, "unread": 1}
    events = events_of(record("MODIFY", None, assignee), record("MODIFY", None, counter("t", "inbox")))
    assert events["t"] == [
        {"type": "counters.changed", "folder_ids": ["inbox"]},
        {"type": "views.changed", "assignees": ["none"]},
    ]
