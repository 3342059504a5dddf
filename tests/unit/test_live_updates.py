"""Live updates: the table's stream records become the small events the open apps are told."""

from datetime import timedelta

from boto3.dynamodb.types import TypeSerializer

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.connections import table_changes
from inbox.adapters.dynamodb.conversations import ConversationItem
from inbox.domain.live_updates import live_events
from inbox.models import Status
from samples import NOW, sample_conversation

_serialize = TypeSerializer().serialize


def image(item: dict) -> dict:
    return {name: _serialize(value) for name, value in item.items()}


def record(name: str, old: dict | None, new: dict | None) -> dict:
    item = new or old
    assert item is not None
    stream = {"Keys": image({"PK": item["PK"], "SK": item["SK"]}), "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if old is not None:
        stream["OldImage"] = image(old)
    if new is not None:
        stream["NewImage"] = image(new)
    return {"eventName": name, "eventSource": "aws:dynamodb", "dynamodb": stream}


def stored(version: int = 1, **changes) -> dict:
    return ConversationItem.of(sample_conversation(**changes), version)


def counter(tenant: str, folder: str) -> dict:
    return {"PK": keys.tenant(tenant), "SK": keys.counter_sk(folder), "total": 3, "unread": 1}


def events_of(*records: dict) -> dict:
    changes = table_changes(list(records))
    return {t: [e.model_dump(mode="json") for e in events] for t, events in live_events(changes).items()}


def test_live_updates_a_new_conversation_is_told_as_created_in_its_folder():
    events = events_of(record("INSERT", None, stored()))
    (event,) = events["t"]
    assert event["type"] == "conversation.changed"
    assert (event["change"], event["conversation_id"], event["folder_id"]) == ("created", "c1", "inbox")
    assert (event["status"], event["unread"], event["channel"], event["message_count"]) == ("new", True, "custom", 0)


def test_live_updates_events_name_what_changed_never_what_it_says():
    events = events_of(record("INSERT", None, stored(subject="Secret plans", preview="the text itself")))
    assert set(events["t"][0]) == {
        "type",
        "change",
        "conversation_id",
        "folder_id",
        "previous_folder_id",
        "status",
        "assignee_id",
        "unread",
        "channel",
        "message_count",
        "last_activity_at",
        "last_inbound_at",
        "customer_wrote",
    }
    for private in ("Secret plans", "the text itself", "a@b.co"):
        assert private not in str(events)


def test_live_updates_status_assignment_read_state_and_a_new_message_are_updates():
    before = stored(1)
    for change, told in (
        ({"status": Status.RESOLVED}, {"status": "resolved"}),
        ({"assignee_id": "u1"}, {"assignee_id": "u1"}),
        ({"unread": False}, {"unread": False}),
        (
            {"message_count": 2, "last_activity_at": NOW + timedelta(minutes=5)},
            {"message_count": 2, "last_activity_at": "2026-11-23T22:05:00Z"},
        ),
    ):
        (event,) = events_of(record("MODIFY", before, stored(2, **change)))["t"]
        assert event["change"] == "updated", change
        assert {k: event[k] for k in told} == told


def test_live_updates_say_when_the_customer_wrote_and_not_when_the_business_did():
    later = NOW + timedelta(minutes=5)
    (created,) = events_of(record("INSERT", None, stored(last_inbound_at=NOW, message_count=1)))["t"]
    assert (created["customer_wrote"], created["last_inbound_at"]) == (True, "2026-11-23T22:00:00Z")
    (started_by_us,) = events_of(record("INSERT", None, stored(message_count=1)))["t"]
    assert (started_by_us["customer_wrote"], started_by_us["last_inbound_at"]) == (False, None)
    before = stored(1, last_inbound_at=NOW, message_count=1)
    customer = stored(2, last_inbound_at=later, last_activity_at=later, message_count=2)
    (reply,) = events_of(record("MODIFY", before, customer))["t"]
    assert (reply["customer_wrote"], reply["last_inbound_at"]) == (True, "2026-11-23T22:05:00Z")
    ours = stored(2, last_inbound_at=NOW, last_activity_at=later, message_count=2)
    (answer,) = events_of(record("MODIFY", before, ours))["t"]
    assert (answer["customer_wrote"], answer["last_inbound_at"]) == (False, "2026-11-23T22:00:00Z")
    (resolved,) = events_of(record("MODIFY", before, stored(2, last_inbound_at=NOW, status=Status.RESOLVED)))["t"]
    assert resolved["customer_wrote"] is False


def test_live_updates_a_moved_conversation_names_the_folder_it_left():
    (event,) = events_of(record("MODIFY", stored(1), stored(2, folder_id="f1", folder_pinned=True)))["t"]
    assert (event["folder_id"], event["previous_folder_id"]) == ("f1", "inbox")


def test_live_updates_a_write_that_only_bumps_the_version_tells_nothing():
    assert events_of(record("MODIFY", stored(1), stored(2))) == {}


def test_live_updates_a_deleted_conversation_is_told_as_deleted():
    (event,) = events_of(record("REMOVE", stored(3, folder_id="f1"), None))["t"]
    assert (event["change"], event["folder_id"]) == ("deleted", "f1")


def test_live_updates_a_batch_tells_each_conversation_once_as_it_is_now():
    events = events_of(
        record("INSERT", None, stored(1)),
        record("MODIFY", stored(1), stored(2, status=Status.OPEN)),
        record("MODIFY", stored(2, status=Status.OPEN), stored(3, status=Status.OPEN, assignee_id="u1")),
    )
    (event,) = events["t"]
    assert (event["change"], event["status"], event["assignee_id"]) == ("created", "open", "u1")


def test_live_updates_counters_are_told_once_per_tenant_naming_every_folder():
    events = events_of(
        record("MODIFY", counter("t", "inbox"), counter("t", "inbox")),
        record("INSERT", None, counter("t", "f1")),
        record("MODIFY", counter("t", "inbox"), counter("t", "inbox")),
        record("MODIFY", counter("other", "inbox"), counter("other", "inbox")),
    )
    assert events == {
        "t": [{"type": "counters.changed", "folder_ids": ["inbox", "f1"]}],
        "other": [{"type": "counters.changed", "folder_ids": ["inbox"]}],
    }


def test_live_updates_each_tenant_hears_of_its_own_conversations_only():
    events = events_of(
        record("INSERT", None, stored(tenant_id="t", id="c1")),
        record("INSERT", None, stored(tenant_id="u", id="c2")),
    )
    assert [e["conversation_id"] for e in events["t"]] == ["c1"]
    assert [e["conversation_id"] for e in events["u"]] == ["c2"]


def test_live_updates_messages_notes_and_other_items_are_not_changes():
    message = {"PK": keys.conversation_pk("t", "c1"), "SK": "MSG#2026#m1", "text": "hello"}
    route = {"PK": keys.connection_route_pk("x"), "SK": keys.ROUTE, "tenant_id": "t"}
    connection = {"PK": keys.connections_pk("t"), "SK": keys.connection_sk("x"), "tenant_id": "t"}
    assert table_changes([record("INSERT", None, item) for item in (message, route, connection)]) == []


def draft_item(tenant: str, conversation: str, draft: str, status: str) -> dict:
    return {
        "PK": keys.conversation_pk(tenant, conversation),
        "SK": keys.draft_sk(draft),
        "tenant_id": tenant,
        "conversation_id": conversation,
        "status": status,
        "text": "the draft's words",
    }


def test_live_updates_a_draft_written_or_decided_is_told_once_per_conversation_without_its_text():
    events = events_of(
        record("INSERT", None, draft_item("t", "c1", "m1", "writing")),
        record("MODIFY", draft_item("t", "c1", "m1", "writing"), draft_item("t", "c1", "m1", "pending")),
        record("MODIFY", draft_item("t", "c2", "d2", "pending"), draft_item("t", "c2", "d2", "sent")),
        record("INSERT", None, draft_item("u", "c3", "d3", "pending")),
    )
    assert events["t"] == [
        {"type": "drafts.changed", "conversation_id": "c1"},
        {"type": "drafts.changed", "conversation_id": "c2"},
    ]
    assert events["u"] == [{"type": "drafts.changed", "conversation_id": "c3"}]


def test_live_updates_a_draft_and_its_conversation_changing_together_are_two_events():
    events = events_of(
        record("MODIFY", stored(1), stored(2, message_count=3)),
        record("MODIFY", draft_item("t", "c1", "m1", "pending"), draft_item("t", "c1", "m1", "sent")),
    )
    assert [e["type"] for e in events["t"]] == ["conversation.changed", "drafts.changed"]
