"""Follow-ups (issue 13, item 6), through the API and the one-time schedules (moto's EventBridge Scheduler)
that invoke ScheduledFunction: "only if no answer" fires when nobody wrote and is cancelled when the customer
writes; remind notifies and brings the conversation back; reopen; send goes out through the one send path;
draft keeps the AI's reply for a person; WhatsApp outside its window notifies that a template is needed; a
job fired twice does the work once; 422s name the field; another tenant's conversation is 404. The clock
is advanced, never slept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers.autoreply import StubWriter, proposal, use_writer
from helpers.events import LambdaContext, api_request, load_event
from helpers.follow_ups import (
    OTHER_TENANT,
    PERSON,
    fire,
    follow_up,
    follow_ups,
    later,
    notifications,
    schedule,
)
from helpers.vonage import invoke, messages_event, sms, sms_event
from inbox import wiring
from inbox.domain.schedule_names import schedule_name
from samples import CUSTOMER, TENANT, WHATSAPP_NUMBER


def customer_sms(fake, text: str = "Bonjour, où en est ma commande ?") -> str:
    status, answer = invoke("sms", sms_event("sms_form", sms(fake, text)))
    assert status == 200, answer
    return answer["conversation_id"]


def conversation(api, conversation_id: str) -> dict:
    status, detail = api(api_request("GET", f"/conversations/{conversation_id}"))
    assert status == 200, detail
    return detail["conversation"]


def set_status(api, conversation_id: str, status: str) -> None:
    answer = api(api_request("PATCH", f"/conversations/{conversation_id}", {"status": status}))
    assert answer[0] == 200, answer


def scheduled(api, conversation_id: str, body: dict) -> dict:
    status, created = follow_up(api, conversation_id, body)
    assert status == 201, created
    return created


@pytest.fixture
def sms_conversation(api, fake, vonage_integration, scheduler, clock) -> str:
    """A customer's SMS, and the clock set to the time it came (the ingest reads the system's)."""
    conversation_id = customer_sms(fake)
    clock.set(datetime.now(UTC))
    return conversation_id


def test_only_if_no_answer_reminds_when_nobody_wrote_and_brings_the_conversation_back(
    api, scheduler, clock, sms_conversation
):
    set_status(api, sms_conversation, "resolved")
    before = conversation(api, sms_conversation)
    created = scheduled(
        api,
        sms_conversation,
        {"due_at": later(clock, hours=2), "action": "remind", "text": "Relancer", "only_if_no_answer": True},
    )
    assert (created["state"], created["created_by"]) == ("scheduled", PERSON)
    name = schedule_name("followup", TENANT, created["id"])
    assert schedule(scheduler, name)["ScheduleExpression"].startswith("at(")

    clock.advance(timedelta(hours=2))
    assert fire(scheduler, name) == {"outcome": "reminded"}

    [done] = follow_ups(api, sms_conversation)
    assert (done["state"], done["outcome"]) == ("done", "reminded")
    after = conversation(api, sms_conversation)
    assert after["status"] == "open"
    assert after["last_activity_at"] > before["last_activity_at"]
    [notice] = notifications(TENANT)
    assert (notice.kind, notice.conversation_id, notice.text) == ("follow_up_due", sms_conversation, "Relancer")


def test_a_customer_message_cancels_only_if_no_answer_and_the_fire_then_does_nothing(
    api, fake, scheduler, clock, sms_conversation
):
    created = scheduled(
        api, sms_conversation, {"due_at": later(clock, days=2), "action": "remind", "only_if_no_answer": True}
    )
    kept = scheduled(api, sms_conversation, {"due_at": later(clock, days=2), "action": "reopen"})
    clock.advance(timedelta(hours=1))

    assert customer_sms(fake, "Merci, c'est reçu !") == sms_conversation

    states = {f["id"]: (f["state"], f["outcome"]) for f in follow_ups(api, sms_conversation)}
    assert states == {created["id"]: ("cancelled", "customer_answered"), kept["id"]: ("scheduled", None)}
    clock.advance(timedelta(days=2))
    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "already_cancelled"}
    assert notifications(TENANT) == []


def test_reopen_sets_the_conversation_open_and_a_second_fire_does_nothing(api, scheduler, clock, sms_conversation):
    set_status(api, sms_conversation, "archived")
    created = scheduled(api, sms_conversation, {"due_at": later(clock, minutes=30), "action": "reopen"})
    name = schedule_name("followup", TENANT, created["id"])
    clock.advance(timedelta(minutes=30))

    assert fire(scheduler, name) == {"outcome": "reopened"}
    assert fire(scheduler, name) == {"outcome": "already_done"}

    assert conversation(api, sms_conversation)["status"] == "open"
    assert notifications(TENANT) == []


def test_send_goes_out_through_the_one_send_path_as_its_creator(api, fake, scheduler, clock, sms_conversation):
    created = scheduled(
        api, sms_conversation, {"due_at": later(clock, hours=3), "action": "send", "text": "Avez-vous reçu le colis ?"}
    )
    name = schedule_name("followup", TENANT, created["id"])
    clock.advance(timedelta(hours=3))

    assert fire(scheduler, name) == {"outcome": "sent"}
    assert fire(scheduler, name) == {"outcome": "already_done"}

    assert [s.body["text"] for s in fake.sent] == ["Avez-vous reçu le colis ?"]
    [done] = follow_ups(api, sms_conversation)
    detail = api(api_request("GET", f"/conversations/{sms_conversation}"))[1]
    [sent] = [m for m in detail["messages"] if m["id"] == done["message_id"]]
    assert (sent["direction"], sent["delivery"], sent["author_id"]) == ("outbound", "sent", PERSON)


def test_a_send_whose_store_write_after_the_provider_failed_is_not_sent_twice_when_fired_again(
    api, fake, monkeypatch, scheduler, clock, sms_conversation
):
    from inbox.adapters.dynamodb import InboxStore
    from inbox.errors import TransientError

    created = scheduled(api, sms_conversation, {"due_at": later(clock, hours=1), "action": "send", "text": "Alors ?"})
    name = schedule_name("followup", TENANT, created["id"])
    clock.advance(timedelta(hours=1))

    def throttled(self, message):  # the provider took it; recording its delivery state did not
        raise TransientError("the table throttled the write")

    with monkeypatch.context() as patched:
        patched.setattr(InboxStore, "set_delivery", throttled)
        try:
            first = fire(scheduler, name)
        except TransientError:  # raised: Lambda retries the invocation
            first = None
    second = fire(scheduler, name)  # the retry

    assert [s.body["text"] for s in fake.sent] == ["Alors ?"]
    assert (first, second) == ({"outcome": "send_unconfirmed"}, {"outcome": "already_done"})
    [done] = follow_ups(api, sms_conversation)
    assert (done["state"], done["outcome"]) == ("done", "send_unconfirmed")
    assert [n.kind for n in notifications(TENANT)] == ["follow_up_due"]


def test_whatsapp_outside_its_window_notifies_that_a_template_is_needed(
    api, fake, vonage_integration, scheduler, clock
):
    payload = fake.whatsapp_inbound(WHATSAPP_NUMBER, CUSTOMER, text="Bonjour, ma commande ?")
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))
    assert status == 200, answer
    conversation_id = answer["conversation_id"]
    created = scheduled(
        api, conversation_id, {"due_at": later(clock, hours=30), "action": "send", "text": "Toujours là ?"}
    )
    clock.advance(timedelta(hours=30))

    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "template_needed"}

    assert fake.sent == []
    [done] = follow_ups(api, conversation_id)
    assert (done["state"], done["outcome"]) == ("done", "template_needed")
    assert "24 hours" in done["detail"]
    [notice] = notifications(TENANT)
    assert (notice.kind, notice.conversation_id) == ("template_needed", conversation_id)


def test_draft_keeps_the_ai_reply_for_a_person(api, monkeypatch, scheduler, clock, sms_conversation):
    use_writer(monkeypatch, StubWriter(proposal("Bonjour, votre colis arrive demain.")))
    created = scheduled(api, sms_conversation, {"due_at": later(clock, days=1), "action": "draft"})
    clock.advance(timedelta(days=1))

    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "drafted"}

    [done] = follow_ups(api, sms_conversation)
    drafts = api(api_request("GET", f"/conversations/{sms_conversation}/drafts"))[1]
    [draft] = drafts["items"]
    assert (draft["id"], draft["status"], draft["text"]) == (
        done["draft_id"],
        "pending",
        "Bonjour, votre colis arrive demain.",
    )
    assert [n.kind for n in notifications(TENANT)] == ["follow_up_due"]


def test_cancel_deletes_the_schedule_and_leaves_it_listed_as_cancelled(api, scheduler, clock, sms_conversation):
    created = scheduled(api, sms_conversation, {"due_at": later(clock, days=3), "action": "remind"})
    status, mine = api(api_request("GET", "/follow-ups"))
    assert (status, [f["id"] for f in mine["items"]]) == (200, [created["id"]])

    path = f"/conversations/{sms_conversation}/follow-ups/{created['id']}"
    status, cancelled = api(api_request("DELETE", path))

    assert (status, cancelled["state"], cancelled["outcome"]) == (200, "cancelled", "cancelled")
    assert schedule(scheduler, schedule_name("followup", TENANT, created["id"])) is None
    assert api(api_request("GET", "/follow-ups"))[1]["items"] == []
    assert api(api_request("DELETE", path))[0] == 409


def test_my_follow_ups_are_mine_soonest_first(api, scheduler, clock, sms_conversation):
    late = scheduled(api, sms_conversation, {"due_at": later(clock, days=5), "action": "remind"})
    soon = scheduled(api, sms_conversation, {"due_at": later(clock, hours=1), "action": "remind"})

    status, mine = api(api_request("GET", "/follow-ups?limit=1"))
    assert (status, [f["id"] for f in mine["items"]]) == (200, [soon["id"]])
    status, rest = api(api_request("GET", f"/follow-ups?limit=1&cursor={mine['next_cursor']}"))
    assert [f["id"] for f in rest["items"]] == [late["id"]]
    assert api(api_request("GET", "/follow-ups", **{"sub": "someone-else"}))[1]["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_at": "2020-01-01T09:00:00Z", "action": "remind"}, "due_at"),
        ({"due_at": "2099-01-01T09:00:00Z", "action": "remind"}, "due_at"),
        ({"due_at": "2027-01-01T09:00:00", "action": "remind"}, "due_at"),
        ({"due_at": "NEXT", "action": "send"}, "text"),
        ({"due_at": "NEXT", "action": "call"}, "action"),
    ],
)
def test_bad_follow_ups_are_422_naming_the_field(api, scheduler, clock, sms_conversation, body, field):
    if body["due_at"] == "NEXT":
        body = body | {"due_at": later(clock, days=1)}

    status, error = follow_up(api, sms_conversation, body)

    assert status == 422, error
    assert field in error["error"]["message"]


def test_another_tenants_conversation_is_404(api, scheduler, clock, sms_conversation):
    created = scheduled(api, sms_conversation, {"due_at": later(clock, days=1), "action": "remind"})
    base = f"/conversations/{sms_conversation}"

    assert (
        follow_up(api, sms_conversation, {"due_at": later(clock, days=1), "action": "remind"}, **OTHER_TENANT)[0] == 404
    )
    assert api(api_request("GET", f"{base}/follow-ups", **OTHER_TENANT))[0] == 404
    assert api(api_request("DELETE", f"{base}/follow-ups/{created['id']}", **OTHER_TENANT))[0] == 404
    assert api(api_request("POST", f"{base}/snooze", {"until": later(clock, days=1)}, **OTHER_TENANT))[0] == 404
    assert api(api_request("DELETE", f"{base}/snooze", **OTHER_TENANT))[0] == 404
    assert api(api_request("GET", "/follow-ups", **OTHER_TENANT))[1]["items"] == []
    assert [f["state"] for f in follow_ups(api, sms_conversation)] == ["scheduled"]


def test_the_sample_events_do_what_they_say(api, scheduler, clock, sms_conversation):
    """events/api's follow-up and snooze requests, and events/scheduled's jobs, played as an admin would."""
    from functions.scheduled import app

    ids = {"CONVERSATION_ID": sms_conversation}
    status, created = api(load_event("api/create_follow_up.json", DUE_AT=later(clock, hours=1), **ids))
    assert (status, created["action"], created["only_if_no_answer"]) == (201, "send", True)
    assert api(load_event("api/list_follow_ups.json", **ids))[1]["items"] == [created]
    assert [f["id"] for f in api(load_event("api/list_my_follow_ups.json"))[1]["items"]] == [created["id"]]
    status, cancelled = api(load_event("api/cancel_follow_up.json", FOLLOW_UP_ID=created["id"], **ids))
    assert (status, cancelled["state"]) == (200, "cancelled")
    job = load_event("scheduled/follow_up_due.json", FOLLOW_UP_ID=created["id"], **ids)
    assert app.lambda_handler(job, LambdaContext()) == {"outcome": "already_cancelled"}

    until = later(clock, hours=2)
    status, snoozed = api(load_event("api/snooze_conversation.json", UNTIL=until, **ids))
    assert (status, snoozed["snoozed_until"] is not None) == (200, True)
    status, awake = api(load_event("api/unsnooze_conversation.json", **ids))
    assert (status, awake["snoozed_until"]) == (200, None)
    job = load_event("scheduled/snooze_ends.json", UNTIL=until, **ids)
    clock.advance(timedelta(hours=2))
    assert app.lambda_handler(job, LambdaContext()) == {"outcome": "not_snoozed"}


def test_a_claim_whose_invocation_died_is_taken_again_but_never_a_send(api, scheduler, clock, sms_conversation):
    from inbox.models.follow_up import FollowUpState

    remind = scheduled(api, sms_conversation, {"due_at": later(clock, hours=1), "action": "remind"})
    send = scheduled(api, sms_conversation, {"due_at": later(clock, hours=1), "action": "send", "text": "Alors ?"})
    clock.advance(timedelta(hours=1))
    store = wiring.store()
    for created in (remind, send):  # claimed by an invocation that then timed out
        before = store.get_follow_up(TENANT, sms_conversation, created["id"])
        store.save_follow_up(before, before.model_copy(update={"state": FollowUpState.FIRING, "fired_at": clock.now()}))

    assert fire(scheduler, schedule_name("followup", TENANT, remind["id"])) == {"outcome": "already_firing"}
    clock.advance(timedelta(minutes=1))  # past ScheduledFunction's timeout: the retry takes it
    assert fire(scheduler, schedule_name("followup", TENANT, remind["id"])) == {"outcome": "reminded"}
    assert fire(scheduler, schedule_name("followup", TENANT, send["id"])) == {"outcome": "already_firing"}
