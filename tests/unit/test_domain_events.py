"""Events for other systems: the table's stream records become typed domain events (issue 13, item 8)."""

from datetime import timedelta

from boto3.dynamodb.types import TypeSerializer

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationItem, MessageItem
from inbox.adapters.dynamodb.stream_events import item_writes
from inbox.domain.events import domain_events
from inbox.models import Channel, DeliveryState, Direction, Message, Party, Status
from inbox.models.events import INBOX_EVENT, MAX_EVENT_TEXT
from samples import NOW, sample_conversation

_serialize = TypeSerializer().serialize


def image(item: dict) -> dict:
    return {name: _serialize(value) for name, value in item.items() if value is not None}


def record(name: str, old: dict | None, new: dict | None, record_id: str = "r1") -> dict:
    item = new or old
    assert item is not None
    stream = {
        "Keys": image({"PK": item["PK"], "SK": item["SK"]}),
        "ApproximateCreationDateTime": NOW.timestamp(),
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if old is not None:
        stream["OldImage"] = image(old)
    if new is not None:
        stream["NewImage"] = image(new)
    return {"eventID": record_id, "eventName": name, "eventSource": "aws:dynamodb", "dynamodb": stream}


def conversation(**changes) -> dict:
    return ConversationItem.of(sample_conversation(**changes), 1)


def message(**changes) -> dict:
    base = Message(
        id="m1",
        tenant_id="t",
        conversation_id="c1",
        integration_id="i",
        channel=Channel.CUSTOM,
        direction=Direction.INBOUND,
        sender=Party(name="Ana", email="a@b.co"),
        subject="Order 42",
        text="Where is my order?",
        received_at=NOW,
    )
    return MessageItem.of(base.model_copy(update=changes))


def other(kind: str, **fields) -> dict:
    return {"PK": "T#t#CONV#c1", "SK": f"{kind.upper()}#x1", "type": kind, "tenant_id": "t", **fields}


def events(*records: dict) -> list[dict]:
    return [e.model_dump(mode="json") for e in domain_events(item_writes(list(records)))]


def test_events_a_new_conversation_is_conversation_created_with_its_contact_and_status():
    (event,) = events(record("INSERT", None, conversation()))
    assert (event["type"], event["id"], event["tenant_id"]) == ("conversation.created", "r1:conversation.created", "t")
    assert event["data"]["conversation_id"] == "c1"
    assert event["data"]["contact"] == {"name": None, "email": "a@b.co", "phone": None}
    assert (event["data"]["status"], event["data"]["channel"]) == ("new", "custom")
    assert event["time"] == NOW.isoformat().replace("+00:00", "Z")


def test_events_a_status_and_an_assignee_changed_in_one_write_are_two_events_saying_what_was_before():
    before, after = conversation(), conversation(status=Status.RESOLVED, assignee_id="u2")
    status, assigned = events(record("MODIFY", before, after))
    assert (status["type"], status["data"]["status"], status["data"]["previous_status"]) == (
        "conversation.status_changed",
        "resolved",
        "new",
    )
    assert (assigned["type"], assigned["data"]["assignee_id"], assigned["data"]["previous_assignee_id"]) == (
        "conversation.assigned",
        "u2",
        None,
    )
    assert status["id"] != assigned["id"]


def test_events_unassigning_is_an_assigned_event_to_nobody():
    (event,) = events(record("MODIFY", conversation(assignee_id="u2"), conversation()))
    assert (event["type"], event["data"]["assignee_id"], event["data"]["previous_assignee_id"]) == (
        "conversation.assigned",
        None,
        "u2",
    )


def test_events_a_conversation_write_that_changes_neither_status_nor_assignee_tells_nothing():
    later = NOW + timedelta(minutes=1)
    assert events(record("MODIFY", conversation(), conversation(unread=False, last_activity_at=later))) == []
    assert events(record("REMOVE", conversation(), None)) == []


def test_events_a_customers_message_is_message_received_with_its_text_bounded():
    (event,) = events(record("INSERT", None, message(text="x" * (MAX_EVENT_TEXT + 5))))
    assert (event["type"], event["data"]["direction"], event["data"]["message_id"]) == (
        "message.received",
        "inbound",
        "m1",
    )
    assert (len(event["data"]["text"]), event["data"]["text_truncated"]) == (MAX_EVENT_TEXT, True)
    assert event["data"]["sender"] == {"name": "Ana", "email": "a@b.co", "phone": None}


def test_events_a_reply_is_message_sent_once_when_it_has_gone_out_never_while_sending_or_later():
    sending = message(direction=Direction.OUTBOUND, delivery=DeliveryState.SENDING, author_id="u1")
    sent = message(direction=Direction.OUTBOUND, delivery=DeliveryState.SENT, author_id="u1", sent_at=NOW)
    delivered = message(direction=Direction.OUTBOUND, delivery=DeliveryState.DELIVERED, author_id="u1", sent_at=NOW)
    assert events(record("INSERT", None, sending)) == []
    (event,) = events(record("MODIFY", sending, sent, "r2"))
    assert (event["type"], event["id"], event["data"]["author_id"]) == ("message.sent", "r2:message.sent", "u1")
    assert events(record("MODIFY", sent, delivered)) == []
    failed = message(direction=Direction.OUTBOUND, delivery=DeliveryState.FAILED)
    assert events(record("MODIFY", sending, failed)) == []


def test_events_a_message_copied_from_the_sent_folder_is_message_sent():
    (event,) = events(record("INSERT", None, message(direction=Direction.OUTBOUND)))
    assert event["type"] == "message.sent"


def test_events_an_inbound_message_changed_later_tells_nothing_again():
    assert events(record("MODIFY", message(), message(attachments=[]))) == []


def test_events_tasks_created_and_done():
    task = other("task", id="k1", conversation_id="c1", title="Call back", due_at="2026-12-01T10:00:00+00:00")
    (created,) = events(record("INSERT", None, task))
    assert (created["type"], created["data"]["task_id"], created["data"]["title"]) == (
        "task.created",
        "k1",
        "Call back",
    )
    (done,) = events(record("MODIFY", task, {**task, "done": True}))
    assert (done["type"], done["data"]["done"]) == ("task.done", True)
    assert events(record("MODIFY", {**task, "done": True}, {**task, "done": True, "title": "x"})) == []


def test_events_a_follow_up_that_fires_is_follow_up_due_once():
    due = "2026-12-01T10:00:00+00:00"
    pending = other("follow_up", id="f1", conversation_id="c1", state="scheduled", action="remind", due_at=due)
    firing = {**pending, "state": "firing"}
    done = {**firing, "state": "done", "outcome": "reminded", "fired_at": due}
    (event,) = events(record("MODIFY", pending, firing))
    assert (event["type"], event["data"]["follow_up_id"], event["data"]["action"]) == ("follow_up.due", "f1", "remind")
    assert event["data"]["due_at"] == "2026-12-01T10:00:00Z"
    assert events(record("INSERT", None, pending)) == []
    assert events(record("MODIFY", firing, done)) == []  # told once, when it fired


def test_events_a_follow_up_given_back_and_claimed_again_is_told_with_the_same_id():
    due = "2026-12-01T10:00:00+00:00"
    pending = other("follow_up", id="f1", conversation_id="c1", state="scheduled", action="remind", due_at=due)
    firing = {**pending, "state": "firing"}
    (first,) = events(record("MODIFY", pending, firing, record_id="r1"))
    assert events(record("MODIFY", firing, pending, record_id="r2")) == []  # given back for the retry
    (again,) = events(record("MODIFY", pending, firing, record_id="r3"))
    assert first["id"] == again["id"]
    later = {**pending, "id": "f2"}
    (other_follow_up,) = events(record("MODIFY", later, {**later, "state": "firing"}, record_id="r1"))
    assert other_follow_up["id"] != first["id"]


def test_events_a_follow_up_cancelled_by_a_person_or_the_customers_answer_is_not_due():
    pending = other("follow_up", id="f1", conversation_id="c1", state="scheduled", action="send")
    for outcome in ("cancelled", "customer_answered"):
        assert events(record("MODIFY", pending, {**pending, "state": "cancelled", "outcome": outcome})) == []


def test_events_other_items_and_foreign_keys_are_left_out():
    counter = {"PK": keys.tenant("t"), "SK": keys.counter_sk("inbox"), "tenant_id": "t", "total": 1}
    note = {"PK": "T#t#CONV#c1", "SK": "NOTE#x", "type": "note", "tenant_id": "t"}
    assert events(record("INSERT", None, counter), record("INSERT", None, note)) == []


def test_events_the_same_record_read_twice_gives_the_same_ids():
    assert events(record("INSERT", None, conversation())) == events(record("INSERT", None, conversation()))


def test_events_every_event_reads_back_as_the_published_union():
    for event in events(record("INSERT", None, conversation()), record("INSERT", None, message())):
        assert INBOX_EVENT.validate_python(event).model_dump(mode="json") == event
