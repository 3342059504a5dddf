"""The auto-reply loop guard: one rule, one named reason, with the boundaries a loop would probe."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from inbox.domain.autoreply import (
    QUIET_PERIOD,
    AutoReplyCase,
    AutoReplyLimits,
    RefusalReason,
    SentReply,
    auto_reply_refusal,
    sent_replies,
)
from inbox.models import Channel, Conversation, DeliveryState, Direction, Message, Party, Status

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CUSTOMER = Party(name="Ann Smith", email="ann@example.com")
SHOP = Party(name="Shop", email="shop@example.com")
PHONE = Party(phone="+33612345678")


def conversation(channel=Channel.EMAIL, status=Status.OPEN, contact=CUSTOMER, last_inbound_at=NOW) -> Conversation:
    return Conversation(
        id="c1",
        tenant_id="t1",
        channel=channel,
        integration_id="i1",
        contact_id="k1",
        contact=contact,
        status=status,
        created_at=NOW - timedelta(hours=1),
        last_activity_at=NOW,
        last_inbound_at=last_inbound_at,
    )


def message(direction=Direction.INBOUND, at=NOW, channel=Channel.EMAIL, sender=CUSTOMER, **fields) -> Message:
    return Message(
        id=f"m-{at.timestamp():.0f}-{direction}",
        tenant_id="t1",
        conversation_id="c1",
        integration_id="i1",
        channel=channel,
        direction=direction,
        sender=sender,
        received_at=at,
        **fields,
    )


def case(**overrides) -> AutoReplyCase:
    return AutoReplyCase(**({"conversation": conversation(), "message": message(), "now": NOW} | overrides))


def person(minutes_ago: float, failed: bool = False) -> SentReply:
    return SentReply(at=NOW - timedelta(minutes=minutes_ago), automatic=False, failed=failed)


def automatic(minutes_ago: float, failed: bool = False) -> SentReply:
    return SentReply(at=NOW - timedelta(minutes=minutes_ago), automatic=True, failed=failed)


def reason(**overrides) -> RefusalReason | None:
    refusal = auto_reply_refusal(case(**overrides))
    return refusal.reason if refusal else None


def test_autoreply_guard_a_customers_first_message_may_be_answered():
    # GIVEN a customer's message in an open conversation, nothing sent yet
    # WHEN the guard is asked / THEN it lets the auto-reply go
    assert auto_reply_refusal(case()) is None


def test_autoreply_guard_reasons_have_stable_names():
    assert {reason.value for reason in RefusalReason} >= {
        "recent_reply",
        "no_human_reply_since_last_auto",
        "previous_send_failed",
        "automated_mail",
        "automated_sender",
        "own_address",
        "rate_limited_recipient",
        "conversation_spam",
        "conversation_archived",
        "whatsapp_window_closed",
        "already_answered",
    }


def test_autoreply_guard_never_answers_our_own_messages():
    assert reason(message=message(Direction.OUTBOUND, sender=SHOP)) is RefusalReason.NOT_CUSTOMER_MESSAGE


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Status.SPAM, RefusalReason.CONVERSATION_SPAM), (Status.ARCHIVED, RefusalReason.CONVERSATION_ARCHIVED)],
)
def test_autoreply_guard_never_answers_spam_or_archived_conversations(status, expected):
    assert reason(conversation=conversation(status=status)) is expected


@pytest.mark.parametrize("status", [Status.NEW, Status.OPEN, Status.URGENT, Status.RESOLVED])
def test_autoreply_guard_answers_conversations_someone_is_on(status):
    assert reason(conversation=conversation(status=status)) is None


# --- the conversation's replies ----------------------------------------------------------------------


def test_autoreply_guard_holds_after_any_reply_in_the_last_two_minutes():
    # GIVEN a person answered the customer, who wrote again just now
    just_under = SentReply(at=NOW - QUIET_PERIOD + timedelta(seconds=1), automatic=False)
    exactly = SentReply(at=NOW - QUIET_PERIOD, automatic=False)

    # WHEN the guard is asked about the new message / THEN it holds while the reply is under 2 minutes old
    assert reason(replies=[just_under]) is RefusalReason.RECENT_REPLY
    assert reason(replies=[exactly]) is None  # exactly 2 minutes ago is no longer "in the last 2 minutes"


def test_autoreply_guard_quiet_period_counts_failed_replies_too():
    # GIVEN a person's reply failed a minute ago: someone is on the conversation right now
    assert reason(replies=[person(1, failed=True)]) is RefusalReason.RECENT_REPLY


def test_autoreply_guard_a_second_auto_reply_waits_for_a_persons_reply():
    # GIVEN an auto-reply went out an hour ago and the customer wrote again since
    assert reason(replies=[automatic(60)]) is RefusalReason.NO_HUMAN_REPLY_SINCE_LAST_AUTO
    # GIVEN a person replied after it: the next customer message may be answered automatically
    assert reason(replies=[automatic(60), person(30)]) is None
    # GIVEN a person, then an auto-reply: the auto-reply is the latest again
    assert reason(replies=[person(90), automatic(60)]) is RefusalReason.NO_HUMAN_REPLY_SINCE_LAST_AUTO


def test_autoreply_guard_at_the_same_moment_the_automatic_reply_counts_as_the_later():
    moment = 30
    assert reason(replies=[person(moment), automatic(moment)]) is RefusalReason.NO_HUMAN_REPLY_SINCE_LAST_AUTO


def test_autoreply_guard_a_failed_auto_reply_is_not_tried_again():
    # GIVEN the last auto-reply failed to send (and no person replied since)
    # WHEN the customer writes again, or the job comes back / THEN no new attempt: a person looks first
    assert reason(replies=[automatic(60, failed=True)]) is RefusalReason.PREVIOUS_SEND_FAILED
    inbound = message(at=NOW - timedelta(minutes=61))  # the very message the failed reply answered
    assert reason(message=inbound, replies=[automatic(60, failed=True)]) is RefusalReason.PREVIOUS_SEND_FAILED
    # a person's reply since then lifts it
    assert reason(replies=[automatic(60, failed=True), person(10)]) is None


def test_autoreply_guard_one_reply_per_customer_message():
    # GIVEN the job for this message is delivered again after its auto-reply went out
    inbound = message(at=NOW - timedelta(minutes=10))
    assert reason(message=inbound, replies=[automatic(9)]) is RefusalReason.ALREADY_ANSWERED
    # GIVEN a person answered it while the job waited
    assert reason(message=inbound, replies=[person(5)]) is RefusalReason.ALREADY_ANSWERED


def test_autoreply_guard_sent_replies_tells_people_from_responders():
    # GIVEN the conversation as stored: the customer, a person's reply, our auto-reply, the business's
    # own vacation responder found in its Sent folder, and a failed auto-reply
    messages = [
        message(at=NOW - timedelta(minutes=50)),
        message(Direction.OUTBOUND, NOW - timedelta(minutes=40), sender=SHOP, author_id="u1"),
        message(Direction.OUTBOUND, NOW - timedelta(minutes=30), sender=SHOP, auto_reply=True),
        message(Direction.OUTBOUND, NOW - timedelta(minutes=20), sender=SHOP, automated="auto_reply"),
        message(
            Direction.OUTBOUND, NOW - timedelta(minutes=10), sender=SHOP, auto_reply=True, delivery=DeliveryState.FAILED
        ),
    ]

    replies = sent_replies(messages)

    assert [(r.automatic, r.failed) for r in replies] == [(False, False), (True, False), (True, False), (True, True)]
    assert replies[0].at == NOW - timedelta(minutes=40)


def test_autoreply_guard_sent_replies_dates_a_reply_by_when_it_went_out():
    stored = NOW - timedelta(minutes=10)
    sent = message(Direction.OUTBOUND, stored, sender=SHOP, sent_at=stored + timedelta(seconds=3))
    assert sent_replies([sent])[0].at == stored + timedelta(seconds=3)


# --- caps per recipient ------------------------------------------------------------------------------


def times(*minutes_ago: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes_ago]


def test_autoreply_guard_third_auto_reply_in_ten_minutes_goes_the_fourth_does_not():
    assert reason(recipient_auto_replies=times(8, 4)) is None
    assert reason(recipient_auto_replies=times(9.99, 8, 4)) is RefusalReason.RATE_LIMITED_RECIPIENT


def test_autoreply_guard_one_sent_exactly_ten_minutes_ago_is_out_of_the_window():
    assert reason(recipient_auto_replies=times(10, 8, 4)) is None


def test_autoreply_guard_caps_a_recipient_at_ten_a_day():
    nine = times(*(60 * hours for hours in range(1, 10)))
    assert reason(recipient_auto_replies=nine) is None
    assert reason(recipient_auto_replies=[*nine, NOW - timedelta(hours=23, minutes=59)]) is (
        RefusalReason.RATE_LIMITED_RECIPIENT
    )
    assert reason(recipient_auto_replies=[*nine, NOW - timedelta(hours=24)]) is None


def test_autoreply_guard_counts_a_future_timestamp_as_recent():
    # another machine's clock ahead of ours must not open a hole in the cap
    assert reason(recipient_auto_replies=times(-1, -2, -3)) is RefusalReason.RATE_LIMITED_RECIPIENT


def test_autoreply_guard_uses_the_tenants_caps():
    strict = AutoReplyLimits(max_per_window=1, window_minutes=60, max_per_day=2)
    assert reason(recipient_auto_replies=times(59), limits=strict) is RefusalReason.RATE_LIMITED_RECIPIENT
    assert reason(recipient_auto_replies=times(61), limits=strict) is None
    assert reason(recipient_auto_replies=times(61, 120), limits=strict) is RefusalReason.RATE_LIMITED_RECIPIENT


def test_autoreply_guard_caps_are_never_unlimited():
    with pytest.raises(ValidationError):
        AutoReplyLimits(max_per_window=0)
    with pytest.raises(ValidationError):
        AutoReplyLimits(max_per_day=0)
    assert AutoReplyLimits() == AutoReplyLimits(max_per_window=3, window_minutes=10, max_per_day=10)


def test_autoreply_guard_two_responders_facing_each_other_stop_at_the_cap():
    # GIVEN another auto-responder answers each of our auto-replies at once, from a new conversation
    # each time (so the per-conversation rules never see it): only the cap per recipient is left
    sent: list[datetime] = []
    moment = NOW
    for _ in range(100):
        refusal = auto_reply_refusal(case(recipient_auto_replies=sent, now=moment))
        if refusal:
            break
        sent.append(moment)
        moment += timedelta(seconds=5)
    assert len(sent) == 3
    assert refusal.reason is RefusalReason.RATE_LIMITED_RECIPIENT


# --- WhatsApp's window -------------------------------------------------------------------------------


def test_autoreply_guard_whatsapp_only_within_24_hours_of_the_customers_message():
    def on_whatsapp(hours_ago: float) -> RefusalReason | None:
        chat = conversation(Channel.WHATSAPP, contact=PHONE, last_inbound_at=NOW - timedelta(hours=hours_ago))
        return reason(conversation=chat, message=message(channel=Channel.WHATSAPP, sender=PHONE))

    assert on_whatsapp(0) is None
    assert on_whatsapp(24) is None
    assert on_whatsapp(24.01) is RefusalReason.WHATSAPP_WINDOW_CLOSED


def test_autoreply_guard_the_24_hours_are_whatsapps_only():
    sms = conversation(Channel.SMS, contact=PHONE, last_inbound_at=NOW - timedelta(days=3))
    assert reason(conversation=sms, message=message(channel=Channel.SMS, sender=PHONE)) is None
