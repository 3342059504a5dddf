from datetime import timedelta

import pytest

from inbox.domain.conversations import (
    FolderDelta,
    ThreadBy,
    continues,
    counter_deltas,
    preview,
    status_after_inbound,
)
from inbox.models import Status
from samples import NOW, sample_conversation

conversation = sample_conversation


@pytest.mark.parametrize(
    ("status", "same_sender", "same_thread"),
    [
        (Status.NEW, True, True),
        (Status.OPEN, True, True),
        (Status.URGENT, True, True),
        (Status.RESOLVED, False, True),
        (Status.SPAM, False, True),
        (Status.ARCHIVED, False, False),
    ],
)
def test_conversation_rules_decide_when_a_new_message_continues_a_conversation(status, same_sender, same_thread):
    assert continues(conversation(status=status), ThreadBy.SENDER, NOW) is same_sender
    for surely in (ThreadBy.REFERENCE, ThreadBy.KEY, ThreadBy.SUBJECT):
        assert continues(conversation(status=status), surely, NOW) is same_thread


def test_conversation_rules_follow_a_bare_subject_only_for_a_few_weeks():
    recent = conversation(last_activity_at=NOW - timedelta(days=13))
    old = conversation(last_activity_at=NOW - timedelta(days=15))
    assert continues(recent, ThreadBy.SUBJECT, NOW)
    assert not continues(old, ThreadBy.SUBJECT, NOW)
    assert continues(old, ThreadBy.REFERENCE, NOW)


def test_conversation_rules_count_automated_mail_in_its_own_folder():
    assert counter_deltas(None, conversation(automated="newsletter")) == [FolderDelta("automated", 1, 1)]


def test_conversation_rules_reopen_a_resolved_conversation_when_the_customer_writes_again():
    assert status_after_inbound(Status.RESOLVED) is Status.OPEN
    assert status_after_inbound(Status.URGENT) is Status.URGENT
    assert status_after_inbound(Status.NEW) is Status.NEW


def test_conversation_rules_count_a_new_unread_conversation_in_the_inbox():
    assert counter_deltas(None, conversation()) == [FolderDelta("inbox", total=1, unread=1)]


def test_conversation_rules_count_reading_and_moving_exactly():
    unread = conversation(unread=True)
    assert counter_deltas(unread, unread.model_copy(update={"unread": False})) == [FolderDelta("inbox", 0, -1)]
    moved = counter_deltas(unread, unread.model_copy(update={"folder_id": "orders"}))
    assert sorted(moved, key=lambda d: d.folder) == [FolderDelta("inbox", -1, -1), FolderDelta("orders", 1, 1)]
    # A folder counts what still needs someone: resolving takes it off, the customer writing again puts it back.
    resolved = unread.model_copy(update={"status": Status.RESOLVED})
    assert counter_deltas(unread, resolved) == [FolderDelta("inbox", -1, -1)]
    assert counter_deltas(resolved, resolved.model_copy(update={"status": Status.OPEN})) == [FolderDelta("inbox", 1, 1)]
    assert counter_deltas(resolved, resolved.model_copy(update={"folder_id": "orders"})) == []
    assert counter_deltas(unread, None) == [FolderDelta("inbox", -1, -1)]  # deleted


def test_conversation_rules_keep_previews_short_and_on_one_line():
    assert preview("Hello\n\n  world") == "Hello world"
    long = preview("word " * 100)
    assert len(long) == 160
    assert long.endswith("…")


def test_sync_batches_stay_small_enough_for_the_function_memory():
    from inbox.services.sync_mailbox import batches

    sizes = {1: 10, 2: 10, 3: 100, 4: 10, 5: 10}
    assert batches([1, 2, 3, 4, 5], sizes, most=50, most_bytes=50) == [[1, 2], [3], [4, 5]]
    assert batches([1, 2, 3, 4, 5], sizes, most=2, most_bytes=1_000) == [[1, 2], [3, 4], [5]]
    assert batches([], {}, most=50, most_bytes=50) == []


def test_a_reply_cut_off_mid_send_reads_as_failed_after_the_deadline():
    from datetime import UTC, datetime, timedelta

    from inbox.domain.conversations import delivery_as_seen
    from inbox.models import Channel, DeliveryState, Direction, Message, Party

    sent_at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    reply = Message(
        id="m",
        tenant_id="t",
        conversation_id="c",
        integration_id="i",
        channel=Channel.SMS,
        direction=Direction.OUTBOUND,
        sender=Party(phone="+33757000000"),
        delivery=DeliveryState.SENDING,
        received_at=sent_at,
    )
    assert delivery_as_seen(reply, sent_at + timedelta(seconds=30)).delivery is DeliveryState.SENDING
    late = delivery_as_seen(reply, sent_at + timedelta(minutes=3))
    assert late.delivery is DeliveryState.FAILED
    assert "interrupted" in late.delivery_error
    done = reply.model_copy(update={"delivery": DeliveryState.DELIVERED})
    assert delivery_as_seen(done, sent_at + timedelta(hours=1)) == done
