"""Statistics (issue 14 review, statistics items 1, 2, 3, 5, 9, 10): what the review found counted
wrong, each through the real ingest and send paths under a scripted clock, read through GET /inbox/stats."""

from __future__ import annotations

import pytest

from helpers.events import api_request
from helpers.stats import ADA, BOB, Day, ShopSender, at, script_the_clock, stats, times
from inbox import wiring
from inbox.errors import ConcurrentUpdateError
from inbox.models import Channel, Status


@pytest.fixture
def day(aws, api, clock, custom_integration, monkeypatch) -> Day:
    monkeypatch.setitem(wiring.replies()._senders, Channel.CUSTOM, ShopSender)
    script_the_clock(clock, monkeypatch)
    return Day(aws, clock, custom_integration)


def test_a_retried_send_counts_its_first_response_once(api, day, monkeypatch):
    """Ada's send meets Bob's reply written meanwhile: her retry answers nobody waiting (item 2)."""
    day.customer_writes(at("09:00"), "anna")
    store = wiring.store()
    commit = store.commit_outbound
    raced = []

    def bob_first(message, before, after):
        if not raced:
            raced.append(True)
            wiring.replies().reply(BOB, day.conversations["anna"], "Bob was first.")
            raise ConcurrentUpdateError("changed meanwhile")
        return commit(message, before, after)

    monkeypatch.setattr(store, "commit_outbound", bob_first)
    day.reply(at("09:10"), "anna", ADA)
    totals = stats(api, "day")["totals"]
    assert totals["messages_out"] == 2
    assert times(totals["first_response"]["person"]) == (1, 600)
    assert times(totals["reply_time"]["person"]) == (1, 600)


def test_a_person_answering_after_the_automatic_reply_has_their_response_time(api, day):
    """Item 1: the automatic reply answers at once; Ada's answer half an hour after the customer wrote
    is still her first response, shown apart ("all" is the customer's wait for any answer)."""
    day.customer_writes(at("09:00"), "anna")
    day.reply(at("09:01"), "anna", None)
    day.reply(at("09:30"), "anna", ADA)
    page = stats(api, "day")
    first = page["totals"]["first_response"]
    assert (times(first["person"]), times(first["auto"]), times(first["all"])) == ((1, 1800), (1, 60), (1, 60))
    assert times(page["totals"]["reply_time"]["person"]) == (1, 1800)
    (ada,) = page["people"]
    assert (ada["person_id"], ada["replies"], times(ada["first_response"])) == ("user-ada", 1, (1, 1800))


def test_a_tenant_without_business_hours_counts_every_hour_as_open(api, day):
    """Item 10: business hours never set, a wait at night is not zero "within business hours"."""
    day.customer_writes(at("20:00"), "anna")
    day.reply(at("21:00"), "anna", ADA)
    within = stats(api, "day", business_hours=True)
    assert within["time_zone"] == "UTC"
    assert times(within["totals"]["first_response"]["person"]) == (1, 3600)


def test_a_filed_conversation_takes_its_first_message_to_its_folder(api, day):
    """Item 3: the first message came before classification; once filed, the folder's messages in
    include it (it stayed in the inbox's counters, its conversation in the folder's)."""
    status, folder = api(api_request("POST", "/folders", {"name": "Orders"}))
    assert status == 201, folder
    day.customer_writes(at("09:00"), "anna")
    day.step(
        at("09:05"), lambda: wiring.conversations().change(ADA, day.conversations["anna"], {"folder_id": folder["id"]})
    )
    day.customer_writes(at("09:30"), "anna")
    filed = stats(api, "day", folder=folder["id"])["totals"]
    assert (filed["conversations_created"], filed["messages_in"]) == (1, 2)
    assert filed["by_channel"] == {"custom": {"in": 2, "out": 0}}
    inbox = stats(api, "day", folder="none")["totals"]
    assert (inbox["conversations_created"], inbox["messages_in"]) == (0, 0)
    everything = stats(api, "day")["totals"]
    assert (everything["conversations_created"], everything["messages_in"]) == (1, 2)


def test_a_resolution_after_a_reopening_is_timed_from_it_and_archived_is_not_resolved_again(api, day):
    """Item 5: resolved after 1 h; the customer writes again (reopened), resolved 30 min later: timed
    from the reopening, not 2 h 30 from the creation. Archived then resolved is no new resolution."""
    day.customer_writes(at("09:00"), "anna", thread_key="order-42")
    day.set_status(at("10:00"), "anna", Status.RESOLVED, ADA)
    day.customer_writes(at("11:00"), "anna", thread_key="order-42")
    day.set_status(at("11:30"), "anna", Status.RESOLVED, ADA)
    day.set_status(at("12:00"), "anna", Status.ARCHIVED, ADA)
    day.set_status(at("12:10"), "anna", Status.RESOLVED, ADA)
    totals = stats(api, "day")["totals"]
    assert (totals["resolved"], totals["reopened"], totals["conversations_created"]) == (2, 1, 1)
    assert times(totals["resolution_time"]) == (2, (3600 + 1800) / 2)
