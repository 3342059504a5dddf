"""Snooze (issue 13, item 6): a snoozed conversation leaves the lists and their counters for the Snoozed
view, and comes back when the customer writes or when its time comes (the one-time schedule fired by
hand, the clock advanced); a stale wake-up does nothing; unsnooze; 422 on `until`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers.classify import classify_queued, conversation, create_folder
from helpers.events import api_request
from helpers.follow_ups import fire, later, listed_ids, schedule
from helpers.vonage import invoke, sms, sms_event
from inbox.domain.schedule_names import schedule_name
from samples import TENANT


def customer_sms(fake, text: str = "Bonjour, où en est ma commande ?") -> str:
    status, answer = invoke("sms", sms_event("sms_form", sms(fake, text)))
    assert status == 200, answer
    return answer["conversation_id"]


def snooze(api, conversation_id: str, until: str) -> tuple[int, dict]:
    return api(api_request("POST", f"/conversations/{conversation_id}/snooze", {"until": until}))


def inbox_counter(api) -> dict:
    status, folders = api(api_request("GET", "/folders"))
    assert status == 200, folders
    return next(f for f in folders["items"] if f["id"] == "inbox")


@pytest.fixture
def snoozed(api, fake, vonage_integration, scheduler, clock) -> str:
    conversation_id = customer_sms(fake)
    clock.set(datetime.now(UTC))
    status, answer = snooze(api, conversation_id, later(clock, hours=4))
    assert status == 200, answer
    assert answer["snoozed_until"] is not None
    return conversation_id


def test_a_snoozed_conversation_leaves_every_list_for_the_snoozed_view(api, snoozed):
    assert listed_ids(api) == []
    assert listed_ids(api, "?status=new") == []
    assert listed_ids(api, "?folder=inbox") == []
    assert listed_ids(api, "?assignee=none&sort=urgency") == []
    assert listed_ids(api, "?snoozed=true") == [snoozed]
    assert listed_ids(api, "?snoozed=true&channel=sms") == [snoozed]
    assert listed_ids(api, "?snoozed=true&channel=email") == []
    assert inbox_counter(api)["total"] == 0


def test_the_customer_writing_wakes_it_and_the_schedule_then_does_nothing(api, fake, scheduler, clock, snoozed):
    assert customer_sms(fake, "Alors ?") == snoozed

    assert listed_ids(api) == [snoozed]
    assert listed_ids(api, "?snoozed=true") == []
    assert inbox_counter(api)["total"] == 1
    clock.advance(timedelta(hours=4))
    assert fire(scheduler, schedule_name("snooze", TENANT, snoozed)) == {"outcome": "not_snoozed"}


def test_its_time_wakes_it_on_top_once(api, scheduler, clock, snoozed):
    name = schedule_name("snooze", TENANT, snoozed)
    assert fire(scheduler, name) == {"outcome": "early"}  # the clock has not moved: a stale job does nothing
    assert listed_ids(api) == []

    clock.advance(timedelta(hours=4))
    assert fire(scheduler, name) == {"outcome": "woken"}
    assert fire(scheduler, name) == {"outcome": "not_snoozed"}

    assert listed_ids(api) == [snoozed]
    detail = api(api_request("GET", f"/conversations/{snoozed}"))[1]
    assert detail["conversation"]["snoozed_until"] is None
    assert detail["conversation"]["last_activity_at"] >= clock.now().isoformat()[:19]


def test_snoozing_again_moves_the_time_and_unsnooze_brings_it_back_now(api, scheduler, clock, snoozed):
    name = schedule_name("snooze", TENANT, snoozed)
    first = schedule(scheduler, name)["Target"]["Input"]
    assert snooze(api, snoozed, later(clock, days=2))[0] == 200
    assert schedule(scheduler, name)["Target"]["Input"] != first

    status, answer = api(api_request("DELETE", f"/conversations/{snoozed}/snooze"))

    assert (status, answer["snoozed_until"]) == (200, None)
    assert listed_ids(api) == [snoozed]
    assert schedule(scheduler, name) is None


@pytest.mark.parametrize("until", ["2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "2027-01-01T09:00:00"])
def test_a_snooze_in_the_past_or_over_a_year_ahead_is_422_on_until(api, snoozed, until):
    status, error = snooze(api, snoozed, until)

    assert status == 422, error
    assert "until" in error["error"]["message"]


def test_a_deleted_folders_snoozed_conversation_is_filed_again_too(
    api, aws, fake, vonage_integration, scheduler, clock
):
    rules = {"any": [{"field": "channel", "op": "equals", "value": "sms"}]}
    folder_id = create_folder(api, {"name": "SMS", "rules": rules})
    conversation_id = customer_sms(fake)
    classify_queued(aws)
    assert conversation(api, conversation_id)["folder_id"] == folder_id
    clock.set(datetime.now(UTC))
    assert snooze(api, conversation_id, later(clock, days=1))[0] == 200

    assert api(api_request("DELETE", f"/folders/{folder_id}"))[0] == 204
    classify_queued(aws)  # the refile job goes through the lists, then through the snoozed ones

    after = conversation(api, conversation_id)
    assert (after["folder_id"], after["snoozed_until"] is not None) == (None, True)
