"""Statistics of a scripted day (issue 14, item 2, Tests): conversations with known timings, written
through the real ingest and send paths under a scripted clock, the table's stream handed to the
statistics recorder as EventsFunction would, then read through `GET /inbox/stats` per day and per
week, in two time zones on either side of midnight UTC."""

from __future__ import annotations

import pytest

from helpers.events import api_request
from helpers.stats import ADA, BOB, TENANT, WEEK, Day, ShopSender, StreamTap, at, script_the_clock, stats, times
from inbox import wiring
from inbox.models import Channel, InboundMessage, Party


@pytest.fixture
def scripted_day(aws, api, clock, custom_integration, monkeypatch):
    """The day, in the zone the test names: A answered by Ada twice then resolved; B answered by the
    automatic reply then by Bob (the automatic one's time, then Bob's own); C written late on Tuesday
    and answered by Ada on Wednesday morning;
    D written at 23:30 UTC (Wednesday in Paris, Tuesday in New York) and answered by Bob."""
    monkeypatch.setitem(wiring.replies()._senders, Channel.CUSTOM, ShopSender)
    script_the_clock(clock, monkeypatch)

    def run(time_zone: str) -> None:
        status, body = api(api_request("PUT", "/settings/business-hours", {"time_zone": time_zone, "week": WEEK}))
        assert status == 200, body
        day = Day(aws, clock, custom_integration)
        day.customer_writes(at("08:30"), "anna")
        day.reply(at("09:00"), "anna", ADA)  # first response 30 min
        day.customer_writes(at("10:00"), "anna")
        day.reply(at("10:10"), "anna", ADA)  # reply time 10 min
        day.resolve(at("11:00"), "anna", ADA)  # resolved 2 h 30 after it began
        day.customer_writes(at("12:00"), "bruno")
        day.reply(at("12:01"), "bruno", None)  # the automatic reply, 1 min
        day.reply(at("13:00"), "bruno", BOB)  # a person's first response, 1 h: the auto-reply did not end that wait
        day.customer_writes(at("22:30"), "chloe")
        day.customer_writes(at("23:30"), "denis")
        day.reply(at("23:50"), "denis", BOB)  # 20 min
        day.reply(at("08:30", day=4), "chloe", ADA)  # 10 h later, 30 min of them in Paris's hours

    return run


def near(value: float | None, expected: float) -> bool:
    """Median and 90th percentile come from log buckets: within a bucket's width (19%)."""
    return value is not None and abs(value - expected) <= 0.19 * expected + 1


def test_per_day_and_per_week_in_paris(api, scripted_day):
    scripted_day("Europe/Paris")

    tuesday, wednesday = stats(api, "day")["periods"]
    assert (tuesday["start"], wednesday["start"]) == ("2026-11-03", "2026-11-04")
    assert (tuesday["conversations_created"], tuesday["messages_in"], tuesday["messages_out"]) == (3, 4, 4)
    assert (tuesday["resolved"], tuesday["resolution_rate"]) == (1, pytest.approx(1 / 3))
    assert times(tuesday["resolution_time"]) == (1, 9000)
    assert times(tuesday["first_response"]["person"]) == (2, 2700)
    assert times(tuesday["first_response"]["auto"]) == (1, 60)
    assert times(tuesday["first_response"]["all"]) == (2, 930)
    assert times(tuesday["reply_time"]["person"]) == (3, 2000)
    assert times(tuesday["reply_time"]["auto"]) == (1, 60)
    assert tuesday["by_channel"] == {"custom": {"in": 4, "out": 4}}
    # D came at 00:30 on Wednesday in Paris
    assert (wednesday["conversations_created"], wednesday["messages_in"], wednesday["messages_out"]) == (1, 1, 2)
    assert (wednesday["resolved"], wednesday["resolution_rate"]) == (0, 0.0)
    assert times(wednesday["first_response"]["person"]) == (2, 18600)
    assert times(wednesday["first_response"]["auto"]) == (0, None)

    week = stats(api, "week")
    (only,) = week["periods"]
    assert only["start"] == "2026-11-02"  # the ISO week's Monday
    assert week["time_zone"] == "Europe/Paris"
    totals = week["totals"]
    assert (totals["conversations_created"], totals["resolved"], totals["resolution_rate"]) == (4, 1, 0.25)
    assert (totals["messages_in"], totals["messages_out"]) == (5, 6)
    assert times(totals["first_response"]["all"]) == (4, 9765)
    assert times(totals["first_response"]["person"]) == (4, 10650)
    assert near(totals["first_response"]["person"]["median_seconds"], 1800)
    assert near(totals["first_response"]["person"]["p90_seconds"], 36000)
    assert times(totals["reply_time"]["all"]) == (5, (1800 + 600 + 60 + 1200 + 36000) / 5)
    assert week["breakdown"]["channel"] == {"custom": 4}
    assert week["breakdown"]["status"] == {"resolved": 1, "open": 3}  # where they are now
    people = {p["person_id"]: p for p in week["people"]}
    assert (people["user-ada"]["replies"], people["user-ada"]["conversations_handled"]) == (3, 1)
    assert times(people["user-ada"]["first_response"]) == (2, 18900)
    assert times(people["user-ada"]["reply_time"]) == (3, 12800)
    assert (people["user-bob"]["replies"], people["user-bob"]["conversations_handled"]) == (2, 0)
    assert times(people["user-bob"]["first_response"]) == (2, 2400)
    assert week["ai"]["auto_replies_sent"] == 1

    # within business hours (Paris 09:00-18:00 is 08:00-17:00 UTC): D's 20 night minutes count nothing,
    # C's ten hours count the 30 minutes of Wednesday morning
    open_hours = stats(api, "week", business_hours=True)["totals"]
    assert times(open_hours["first_response"]["person"]) == (4, (1800 + 3600 + 0 + 1800) / 4)
    assert times(open_hours["resolution_time"]) == (1, 9000)


def test_per_day_in_new_york_counts_the_late_conversation_on_tuesday(api, scripted_day):
    scripted_day("America/New_York")

    tuesday, wednesday = stats(api, "day")["periods"]
    assert (tuesday["conversations_created"], tuesday["messages_in"], tuesday["messages_out"]) == (4, 5, 5)
    assert (tuesday["resolved"], tuesday["resolution_rate"]) == (1, 0.25)
    assert times(tuesday["first_response"]["person"]) == (3, 2200)
    assert times(tuesday["reply_time"]["person"]) == (4, 1800)
    assert (wednesday["conversations_created"], wednesday["messages_out"], wednesday["resolution_rate"]) == (0, 1, None)
    assert times(wednesday["first_response"]["person"]) == (1, 36000)

    week = stats(api, "week")
    assert week["time_zone"] == "America/New_York"
    assert times(week["totals"]["first_response"]["all"]) == (4, 9765)  # the same week, the same figures
    # New York opens 14:00-23:00 UTC: only C's wait (17:30 to 18:00 New York time) was within hours
    open_hours = stats(api, "week", business_hours=True)["totals"]
    assert times(open_hours["first_response"]["person"]) == (4, 450)
    assert times(open_hours["resolution_time"]) == (1, 0)


def test_filters_keep_the_figures_of_their_dimension(api, scripted_day):
    scripted_day("Europe/Paris")

    ada = stats(api, "week", assignee="user-ada")
    assert ada["filter"] == {"folder": None, "channel": None, "assignee": "user-ada"}
    assert (ada["totals"]["conversations_created"], ada["totals"]["resolved"]) == (1, 1)  # A, assigned then
    unassigned = stats(api, "week", assignee="none")["totals"]
    assert unassigned["conversations_created"] == 3
    inbox = stats(api, "week", folder="none")["totals"]
    assert (inbox["conversations_created"], inbox["messages_in"]) == (4, 5)
    assert stats(api, "week", channel="sms")["totals"]["messages_in"] == 0
    assert stats(api, "week", channel="custom")["totals"]["messages_in"] == 5


def test_a_batch_read_twice_counts_once(aws, api, clock, custom_integration, monkeypatch):
    from inbox.adapters.dynamodb.stream_events import item_writes

    script_the_clock(clock, monkeypatch)
    stream = StreamTap(aws)
    clock.set(at("08:30"))
    inbound = InboundMessage(
        tenant_id=TENANT,
        integration_id=custom_integration,
        channel=Channel.CUSTOM,
        external_id="once",
        sender=Party(email="once@example.fr"),
        text="Bonjour",
    )
    wiring.ingestor().ingest(inbound)
    first = item_writes(stream.records(at("08:30")))
    clock.set(at("08:40"))
    wiring.ingestor().ingest(inbound.model_copy(update={"external_id": "twice"}))
    second = item_writes(stream.records(at("08:40")))
    recorder = wiring.statistics_recorder()
    assert recorder.take(first) > 0
    assert recorder.take(first) == 0  # Lambda read the batch again after a failure
    assert recorder.take(first + second) > 0  # a batch holding it and more: only the new records count
    assert recorder.take(second[:1]) == recorder.take(first[1:] + second[1:]) == 0  # split in halves
    totals = stats(api, "day")["totals"]
    assert (totals["messages_in"], totals["conversations_created"]) == (2, 1)
