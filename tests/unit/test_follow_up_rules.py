"""Follow-ups and snoozes without I/O (issue 13, item 6): when they may be set, whether the customer's
message makes one moot, whether a snooze's end is the conversation's current one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers.replies import conversation
from inbox.domain.follow_ups import answered_since, check_time, snooze_still_holds
from inbox.errors import InvalidInputError
from inbox.models.follow_up import FollowUp, FollowUpAction

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def follow_up(only_if_no_answer: bool = True) -> FollowUp:
    return FollowUp(
        id="f1",
        tenant_id="t1",
        conversation_id="c1",
        created_by="u1",
        created_at=NOW,
        due_at=NOW + timedelta(days=1),
        action=FollowUpAction.REMIND,
        only_if_no_answer=only_if_no_answer,
    )


@pytest.mark.parametrize(
    ("at", "reason"),
    [
        (NOW - timedelta(minutes=1), "in the past"),
        (NOW, "in the past"),
        (NOW + timedelta(days=367), "more than a year ahead"),
        (datetime(2026, 12, 2, 9, 0), "needs a time zone"),
    ],
)
def test_a_time_in_the_past_over_a_year_ahead_or_without_a_zone_is_refused_naming_the_field(at, reason):
    with pytest.raises(InvalidInputError, match=reason) as refused:
        check_time("due_at", at, NOW)
    assert refused.value.field == "due_at"


def test_a_time_to_come_within_a_year_is_taken_in_any_zone():
    paris = datetime(2027, 6, 1, 9, 0, tzinfo=UTC).astimezone()
    assert check_time("until", NOW + timedelta(days=366), NOW) == NOW + timedelta(days=366)
    assert check_time("until", paris, NOW) == paris


def test_only_a_customer_message_after_the_follow_up_was_set_answers_it():
    assert answered_since(follow_up(), conversation(last_inbound_at=NOW + timedelta(hours=1)))
    assert not answered_since(follow_up(), conversation(last_inbound_at=NOW - timedelta(hours=1)))
    assert not answered_since(follow_up(), conversation(last_inbound_at=None))
    assert not answered_since(
        follow_up(only_if_no_answer=False), conversation(last_inbound_at=NOW + timedelta(hours=1))
    )


def test_a_snooze_end_holds_only_for_the_conversations_current_snooze():
    until = NOW + timedelta(hours=3)
    assert snooze_still_holds(conversation(snoozed_until=until), until)
    assert snooze_still_holds(conversation(snoozed_until=until.astimezone()), until)
    assert not snooze_still_holds(conversation(snoozed_until=until + timedelta(hours=1)), until)
    assert not snooze_still_holds(conversation(), until)
