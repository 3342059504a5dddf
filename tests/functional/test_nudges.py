"""A folder's automatic follow-ups, end to end under moto (issue 13, item 6): a person's reply
schedules a nudge in EventBridge Scheduler at N hours moved into business hours; the test moves
`wiring.clock()` on and fires what is due as the scheduler would (never a sleep); at most K nudges
go, then the conversation is resolved; a customer's answer stops it; WhatsApp past its window
notifies a person instead. Also the business-hours settings' API, its 422s and tenant isolation."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from botocore.exceptions import ClientError

from helpers.events import api_request, load_event
from helpers.schedules import fire_due, scheduled
from helpers.vonage import conversations, invoke, messages_event, sms, sms_event
from inbox import wiring
from inbox.adapters.dynamodb.nudges import NudgeStore
from inbox.models.jobs import NudgeDueJob
from inbox.settings import get_settings

PARIS = ZoneInfo("Europe/Paris")
TENANT = "tenant-sample"
USER = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin's sub
OPEN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
WEEKDAYS = {day: [{"start": "09:00", "end": "18:00"}] for day in OPEN_DAYS}
MONDAY_TEN = datetime(2026, 12, 7, 10, 0, tzinfo=PARIS)


def put_hours(api, **changes: Any) -> tuple[int, Any]:
    body = {"time_zone": "Europe/Paris", "week": WEEKDAYS, "holidays": []} | changes
    return api(api_request("PUT", "/settings/business-hours", body))


def nudging_folder(api, **nudge: Any) -> str:
    settings = {"enabled": True, "after_hours": 24, "max_nudges": 2, "text": "Avez-vous pu regarder ?"} | nudge
    status, folder = api(api_request("POST", "/folders", {"name": "Devis", "nudge": settings}))
    assert status == 201, folder
    assert folder["nudge"] == settings | {"mode": settings.get("mode", "automatic")}
    return folder["id"]


def conversation_in(api, folder_id: str, channel: str, fake) -> str:
    if channel == "sms":
        status, answer = invoke("sms", sms_event("sms_json", sms(fake, "Un devis pour 3 fenêtres ?")))
    else:
        payload = json.loads(load_event("webhook_whatsapp/whatsapp_text.json")["body"])
        status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))
    assert status == 200, answer
    (listed,) = conversations(api)
    changes = {"folder_id": folder_id, "assignee_id": USER}
    status, changed = api(api_request("PATCH", f"/conversations/{listed['id']}", changes))
    assert status == 200, changed
    return listed["id"]


def reply(api, conversation_id: str, text: str = "Voici notre devis.") -> None:
    status, sent = api(api_request("POST", f"/conversations/{conversation_id}/messages", {"text": text}))
    assert status == 201, sent
    assert sent["delivery"] == "sent", sent


def thread(api, conversation_id: str) -> dict[str, Any]:
    status, detail = api(load_event("api/get_conversation.json", CONVERSATION_ID=conversation_id))
    assert status == 200, detail
    return detail


def outbound_texts(api, conversation_id: str) -> list[str]:
    return [m["text"] for m in thread(api, conversation_id)["messages"] if m["direction"] == "outbound"]


def nudge_schedule(conversation_id: str) -> dict[str, Any] | None:
    """The schedule of the conversation's next nudge, by the name its state keeps; None when none waits."""
    state = nudge_states().get_nudge(TENANT, conversation_id)
    waiting = scheduled()
    assert len([name for name in waiting if name.startswith("nudge.")]) <= 1, waiting  # never two at once
    return waiting.get(state.schedule) if state else None


def nudge_states() -> NudgeStore:
    return NudgeStore(wiring.client("dynamodb"), get_settings().table_name)


def scheduler_deletes(schedule: dict[str, Any]) -> None:
    """What EventBridge Scheduler does to a one-time schedule once its run is over (gone already: fine)."""
    with contextlib.suppress(ClientError):
        wiring.client("scheduler").delete_schedule(GroupName=schedule["GroupName"], Name=schedule["Name"])


def at(moment: datetime) -> str:
    return f"at({moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S})"


@pytest.fixture
def clock():
    """The one clock every fire reads, set after the fixtures (wiring.reset() makes a fresh one)."""
    now = wiring.clock()
    now.set(MONDAY_TEN)
    return now


def test_a_folder_nudges_at_most_k_times_within_business_hours_then_resolves(api, fake, vonage_integration, clock):
    assert put_hours(api)[0] == 200
    folder_id = nudging_folder(api, after_hours=24, max_nudges=2)
    conversation_id = conversation_in(api, folder_id, "sms", fake)
    clock.set(datetime(2026, 12, 10, 17, 0, tzinfo=PARIS))  # Thursday 17:00

    reply(api, conversation_id)
    # 24 hours later is Friday 17:00, open: due then.
    assert nudge_schedule(conversation_id)["ScheduleExpression"] == at(datetime(2026, 12, 11, 17, 0, tzinfo=PARIS))
    clock.advance(timedelta(hours=23))
    assert fire_due() == []  # not yet

    clock.set(datetime(2026, 12, 11, 17, 0, tzinfo=PARIS))
    first = nudge_schedule(conversation_id)["Name"]
    assert fire_due() == [first]
    assert outbound_texts(api, conversation_id) == ["Voici notre devis.", "Avez-vous pu regarder ?"]
    nudge = thread(api, conversation_id)["messages"][-1]
    assert nudge["auto_reply"] is True
    # The nudge is our last reply now; 24 hours after it is Saturday: moved to Monday's opening.
    assert nudge_schedule(conversation_id)["ScheduleExpression"] == at(datetime(2026, 12, 14, 9, 0, tzinfo=PARIS))
    clock.set(datetime(2026, 12, 13, 12, 0, tzinfo=PARIS))  # Sunday: closed, nothing due
    assert fire_due() == []

    clock.set(datetime(2026, 12, 14, 9, 0, tzinfo=PARIS))
    assert len(fire_due()) == 1
    assert outbound_texts(api, conversation_id)[1:] == ["Avez-vous pu regarder ?"] * 2
    assert thread(api, conversation_id)["conversation"]["status"] == "open"

    clock.set(datetime(2026, 12, 15, 9, 0, tzinfo=PARIS))  # K = 2 sent, still no answer: resolved
    assert len(fire_due()) == 1
    detail = thread(api, conversation_id)
    assert detail["conversation"]["status"] == "resolved"
    assert len(outbound_texts(api, conversation_id)) == 3
    assert nudge_schedule(conversation_id) is None


def test_a_nudge_fired_twice_or_early_does_its_work_once(api, fake, vonage_integration, clock):
    put_hours(api)
    folder_id = nudging_folder(api, after_hours=2, max_nudges=3)
    conversation_id = conversation_in(api, folder_id, "sms", fake)
    clock.set(datetime(2026, 12, 11, 17, 0, tzinfo=PARIS))  # Friday 17:00: 19:00 is closed
    reply(api, conversation_id)
    assert nudge_schedule(conversation_id)["ScheduleExpression"] == at(datetime(2026, 12, 14, 9, 0, tzinfo=PARIS))
    job = NudgeDueJob.model_validate(json.loads(nudge_schedule(conversation_id)["Target"]["Input"]))

    clock.set(datetime(2026, 12, 12, 10, 0, tzinfo=PARIS))  # fired on Saturday (early): put back to Monday
    assert wiring.nudges().fire(job) == "rescheduled"
    assert len(outbound_texts(api, conversation_id)) == 1

    clock.set(datetime(2026, 12, 14, 9, 5, tzinfo=PARIS))
    assert wiring.nudges().fire(job) == "sent"
    assert wiring.nudges().fire(job) == "superseded"  # the nudge's own reply moved the state on
    assert len(outbound_texts(api, conversation_id)) == 2


def test_a_customer_answer_stops_the_nudges(api, fake, vonage_integration, clock):
    put_hours(api)
    folder_id = nudging_folder(api)
    conversation_id = conversation_in(api, folder_id, "sms", fake)
    reply(api, conversation_id)
    job = NudgeDueJob.model_validate(json.loads(nudge_schedule(conversation_id)["Target"]["Input"]))

    status, answer = invoke("sms", sms_event("sms_json", sms(fake, "Merci, je regarde ce soir.")))
    assert status == 200, answer
    assert nudge_schedule(conversation_id) is None  # cancelled

    clock.advance(timedelta(days=3))
    assert fire_due() == []
    assert wiring.nudges().fire(job) == "superseded"  # a schedule fired anyway finds the answer
    assert len(outbound_texts(api, conversation_id)) == 1
    assert thread(api, conversation_id)["conversation"]["status"] != "resolved"


def test_validation_mode_drafts_the_nudge_for_a_person(api, fake, vonage_integration, clock):
    put_hours(api)
    folder_id = nudging_folder(api, mode="validation", max_nudges=1)
    conversation_id = conversation_in(api, folder_id, "sms", fake)
    reply(api, conversation_id)
    clock.advance(timedelta(hours=24))
    assert len(fire_due()) == 1

    status, drafts = api(api_request("GET", f"/conversations/{conversation_id}/drafts"))
    assert status == 200, drafts
    (draft,) = drafts["items"]
    assert (draft["source"], draft["status"], draft["text"]) == ("nudge", "pending", "Avez-vous pu regarder ?")
    assert len(outbound_texts(api, conversation_id)) == 1  # nothing sent by itself
    assert nudge_schedule(conversation_id) is None  # the next one waits for the draft to be sent


def test_whatsapp_past_its_window_notifies_the_assignee_instead(api, fake, vonage_integration, clock):
    put_hours(api)
    folder_id = nudging_folder(api, after_hours=30)
    conversation_id = conversation_in(api, folder_id, "whatsapp", fake)
    clock.set(datetime.now(UTC))
    reply(api, conversation_id)
    clock.set(next_weekday_ten(clock.now() + timedelta(hours=30)))
    assert len(fire_due()) == 1

    assert len(outbound_texts(api, conversation_id)) == 1  # no free text past 24 hours
    page = wiring.notifications().page(TENANT, USER, 10)
    assert [(n.kind, n.conversation_id) for n in page.items] == [("template_needed", conversation_id)]


def next_weekday_ten(moment: datetime) -> datetime:
    local = moment.astimezone(PARIS)
    day = local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=PARIS)


# ---------------------------------------------------------------- the settings' API


def test_business_hours_default_then_set_and_read_back(api):
    status, hours = api(api_request("GET", "/settings/business-hours"))
    assert status == 200, hours
    assert (hours["configured"], hours["time_zone"]) == (False, "Europe/Paris")

    status, saved = put_hours(
        api,
        time_zone="America/New_York",
        week={"monday": [{"start": "14:00", "end": "18:00"}, {"start": "08:00", "end": "12:00"}]},
        holidays=["2026-12-25"],
    )
    assert status == 200, saved
    status, hours = api(api_request("GET", "/settings/business-hours"))
    assert hours["configured"] is True
    assert hours["time_zone"] == "America/New_York"
    assert [o["start"] for o in hours["week"]["monday"]] == ["08:00", "14:00"]
    assert hours["week"]["tuesday"] == []
    assert hours["holidays"] == ["2026-12-25"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Paris"}, "time_zone"),
        ({"week": {}}, "week"),
        ({"week": {"monday": [{"start": "25:00", "end": "18:00"}]}}, "week.monday.0.start"),
        ({"week": {"funday": []}}, "week.funday"),
    ],
)
def test_bad_business_hours_are_422_naming_the_field(api, changes, field):
    status, body = put_hours(api, **changes)
    assert status == 422, body
    assert body["error"]["message"].startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("nudge", "field"),
    [
        ({"after_hours": 0}, "nudge.after_hours"),
        ({"after_hours": 721}, "nudge.after_hours"),
        ({"max_nudges": 0}, "nudge.max_nudges"),
        ({"max_nudges": 11}, "nudge.max_nudges"),
        ({"text": " "}, "nudge.text"),
    ],
)
def test_bad_nudge_settings_are_422_naming_the_field(api, nudge, field):
    settings = {"enabled": True, "after_hours": 24, "max_nudges": 2, "text": "Des nouvelles ?"} | nudge
    status, body = api(api_request("POST", "/folders", {"name": "Devis", "nudge": settings}))
    assert status == 422, body
    assert body["error"]["message"].startswith(f"{field}: ")


def test_a_nudge_turned_on_without_its_words_is_a_422_and_the_folders_still_read(api):
    # The fuzz test found it: with "text" left out, the default was not checked, the folder was stored,
    # and every later read of the folders failed.
    _, folder = api(api_request("POST", "/folders", {"name": "Devis"}))
    status, body = api(api_request("PUT", f"/folders/{folder['id']}", {"name": "Devis", "nudge": {"enabled": True}}))
    assert status == 422, body
    assert body["error"]["message"].startswith("nudge.text: ")
    assert api(api_request("GET", "/folders"))[0] == 200


def test_only_admins_set_business_hours_and_another_tenant_has_its_own(api):
    assert put_hours(api, time_zone="Asia/Tokyo")[0] == 200
    agent = {"cognito:groups": "[agent]"}
    assert api(api_request("PUT", "/settings/business-hours", {"week": WEEKDAYS}, **agent))[0] == 403
    status, theirs = api(api_request("GET", "/settings/business-hours", **{"custom:tenant_id": "tenant-other"}))
    assert status == 200, theirs
    assert (theirs["configured"], theirs["time_zone"]) == (False, "Europe/Paris")
    status, ours = api(api_request("GET", "/settings/business-hours", **agent))
    assert ours["time_zone"] == "Asia/Tokyo"


def test_the_scheduled_function_fires_the_sample_nudge_event(api, fake, vonage_integration, clock):
    from functions.scheduled import app
    from helpers.events import LambdaContext

    put_hours(api)
    folder_id = nudging_folder(api)
    conversation_id = conversation_in(api, folder_id, "sms", fake)
    reply(api, conversation_id)
    reply_id = json.loads(nudge_schedule(conversation_id)["Target"]["Input"])["reply_id"]
    event = load_event("scheduled/nudge_due.json", CONVERSATION_ID=conversation_id, REPLY_ID=reply_id)
    event["tenant_id"] = TENANT

    clock.advance(timedelta(hours=24))
    assert app.lambda_handler(event, LambdaContext()) == {"outcome": "sent"}
    assert app.lambda_handler(event, LambdaContext()) == {"outcome": "superseded"}  # fired twice: sent once
    assert len(outbound_texts(api, conversation_id)) == 2


def test_whatsapp_past_its_window_unassigned_notifies_the_tenants_admins(api, aws, fake, vonage_integration, clock):
    admin = aws.add_person("ada@shop.example", TENANT, "admin")
    agent = aws.add_person("bob@shop.example", TENANT, "agent")
    elsewhere = aws.add_person("eve@other.example", "tenant-other", "admin")
    put_hours(api)
    folder_id = nudging_folder(api, after_hours=30)
    conversation_id = conversation_in(api, folder_id, "whatsapp", fake)
    status, changed = api(api_request("PATCH", f"/conversations/{conversation_id}", {"assignee_id": None}))
    assert status == 200, changed
    clock.set(datetime.now(UTC))
    reply(api, conversation_id)
    clock.set(next_weekday_ten(clock.now() + timedelta(hours=30)))
    assert len(fire_due()) == 1

    def kinds(tenant: str, user: str) -> list[str]:
        return [n.kind for n in wiring.notifications().page(tenant, user, 10).items]

    assert kinds(TENANT, admin) == ["template_needed"]
    assert kinds(TENANT, agent) == []
    assert kinds("tenant-other", elsewhere) == []
    assert kinds(TENANT, USER) == []  # the sample admin's token has no user in the pool: not listed


def test_the_next_nudge_outlives_the_late_deletion_of_the_schedule_that_fired(api, fake, vonage_integration, clock):
    """EventBridge Scheduler deletes a fired one-time schedule after its run (ActionAfterCompletion):
    the next nudge, put during that run, has a name of its own, so that deletion cannot take it."""
    put_hours(api)
    folder_id = nudging_folder(api, after_hours=2, max_nudges=3)
    conversation_id = conversation_in(api, folder_id, "sms", fake)
    reply(api, conversation_id)
    fired = nudge_schedule(conversation_id)
    job = NudgeDueJob.model_validate(json.loads(fired["Target"]["Input"]))

    clock.advance(timedelta(hours=2))
    assert wiring.nudges().fire(job) == "sent"  # its schedule still exists while it runs, as on AWS
    scheduler_deletes(fired)  # the scheduler's own deletion, after the run

    following = nudge_schedule(conversation_id)
    assert following is not None
    assert following["Name"] != fired["Name"]
    assert json.loads(following["Target"]["Input"])["nudge"] == 2
    assert nudge_states().get_nudge(TENANT, conversation_id).schedule == following["Name"]


def test_an_early_fire_reschedules_under_a_new_name_and_the_answer_cancels_that_one(
    api, fake, vonage_integration, clock
):
    put_hours(api)
    folder_id = nudging_folder(api, after_hours=2, max_nudges=3)
    conversation_id = conversation_in(api, folder_id, "sms", fake)
    clock.set(datetime(2026, 12, 11, 17, 0, tzinfo=PARIS))  # Friday 17:00: due Monday 09:00
    reply(api, conversation_id)
    fired = nudge_schedule(conversation_id)
    job = NudgeDueJob.model_validate(json.loads(fired["Target"]["Input"]))

    clock.set(datetime(2026, 12, 12, 10, 0, tzinfo=PARIS))  # Saturday: early
    assert wiring.nudges().fire(job) == "rescheduled"
    scheduler_deletes(fired)
    moved = nudge_schedule(conversation_id)
    assert moved["Name"] != fired["Name"]
    assert moved["ScheduleExpression"] == at(datetime(2026, 12, 14, 9, 0, tzinfo=PARIS))

    status, answer = invoke("sms", sms_event("sms_json", sms(fake, "Je regarde lundi.")))
    assert status == 200, answer
    assert nudge_schedule(conversation_id) is None
    assert not [name for name in scheduled() if name.startswith("nudge.")]


def test_a_customer_message_with_no_nudge_waiting_deletes_nothing(api, fake, vonage_integration, clock, monkeypatch):
    """Every inbound message of a nudging folder goes past the nudges: with none waiting (no reply of
    ours yet), that costs a read, not a conditional delete (a write)."""
    put_hours(api)
    folder_id = nudging_folder(api)
    conversation_in(api, folder_id, "sms", fake)
    ended = []
    end_nudge = NudgeStore.end_nudge
    monkeypatch.setattr(NudgeStore, "end_nudge", lambda self, *a, **k: ended.append(a) or end_nudge(self, *a, **k))

    status, answer = invoke("sms", sms_event("sms_json", sms(fake, "Et pour 4 fenêtres ?")))
    assert status == 200, answer
    assert ended == []
