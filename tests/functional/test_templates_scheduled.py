"""A follow-up and a folder's nudge that carry a WhatsApp template (issue 16, item 5): when the customer's
24-hour window is closed at their time, the template goes out with its parameters through the one send
path (instead of telling a person a template is needed); a template not approved, or with the wrong count
of parameters, is a 422 naming the field when it is chosen."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from test_nudges import conversation_in, next_weekday_ten, nudging_folder, outbound_texts, put_hours
from test_nudges import reply as person_replies

from helpers.events import api_request, load_event
from helpers.follow_ups import OTHER_TENANT, fire, follow_up, follow_ups, later, notifications
from helpers.schedules import fire_due
from helpers.vonage import invoke, messages_event
from inbox import wiring
from inbox.domain.schedule_names import schedule_name
from local.vonage_templates import DEMO_TEMPLATES, DEMO_WABA_ID
from samples import CUSTOMER, TENANT, WHATSAPP_NUMBER

PERSON_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin: the follow-ups' creator, the assignee
SUIVI = {"name": "suivi_demande", "parameters": ["Karim", "D-77"]}
SUIVI_TEXT = "Bonjour Karim, nous revenons vers vous au sujet de votre demande D-77. Pouvons-nous encore vous aider ?"


@pytest.fixture
def listing(api, fake, vonage_integration) -> dict[str, Any]:
    fake.waba_id, fake.templates = DEMO_WABA_ID, copy.deepcopy(DEMO_TEMPLATES)
    body = {"vonage": {"whatsapp_business_account_id": DEMO_WABA_ID}}
    status, answer = api(api_request("PUT", f"/integrations/{vonage_integration['id']}", body))
    assert status == 200, answer
    status, listed = api(api_request("GET", f"/integrations/{vonage_integration['id']}/whatsapp-templates"))
    assert status == 200, listed
    assert len(listed["items"]) == 5
    return vonage_integration


def whatsapp_conversation(fake) -> str:
    payload = fake.whatsapp_inbound(WHATSAPP_NUMBER, CUSTOMER, text="Bonjour, ma commande ?")
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))
    assert status == 200, answer
    return answer["conversation_id"]


def test_a_follow_up_sends_its_template_once_the_window_is_closed(api, fake, listing, scheduler, clock):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    body = {"due_at": later(clock, hours=30), "action": "send", "text": "Toujours là ?", "template": SUIVI}
    status, created = follow_up(api, conversation_id, body)
    assert status == 201, created
    assert created["template"] == SUIVI | {"locale": None}
    clock.advance(timedelta(hours=30))

    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "sent"}

    assert fake.sent[-1].body["template"] == {"name": "suivi_demande", "parameters": ["Karim", "D-77"]}
    [done] = follow_ups(api, conversation_id)
    assert (done["state"], done["outcome"]) == ("done", "sent")
    status, detail = api(api_request("GET", f"/conversations/{conversation_id}"))
    [sent] = [m for m in detail["messages"] if m["direction"] == "outbound"]
    assert (sent["text"], sent["template"]["name"], sent["author_id"]) == (SUIVI_TEXT, "suivi_demande", PERSON_ID)
    assert notifications(TENANT) == []  # nobody had to choose a template


def test_a_follow_up_inside_the_window_sends_its_text_not_its_template(api, fake, listing, scheduler, clock):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    body = {"due_at": later(clock, hours=2), "action": "send", "text": "Toujours là ?", "template": SUIVI}
    created = follow_up(api, conversation_id, body)[1]
    clock.advance(timedelta(hours=2))

    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "sent"}

    assert fake.sent[-1].body["message_type"] == "text"


@pytest.mark.parametrize(
    ("chosen", "field"),
    [
        ({"name": "avis_client", "parameters": ["Karim"]}, "template.name"),  # PENDING
        ({"name": "suivi_demande", "parameters": ["Karim"]}, "template.parameters"),
        ({"name": "suivi_demande", "parameters": ["Karim", "a\nb"]}, "template.parameters"),
    ],
)
def test_a_follow_up_with_a_template_not_approved_or_the_wrong_count_is_a_422(
    api, fake, listing, scheduler, clock, chosen, field
):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    body = {"due_at": later(clock, hours=30), "action": "send", "template": chosen}

    status, answer = follow_up(api, conversation_id, body)

    assert status == 422, answer
    assert field in answer["error"]["message"]
    assert follow_ups(api, conversation_id) == []


def test_a_template_on_another_tenants_conversation_is_404(api, fake, listing, scheduler, clock):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    body = {"due_at": later(clock, hours=30), "action": "send", "template": SUIVI}
    assert follow_up(api, conversation_id, body, **OTHER_TENANT)[0] == 404


@pytest.fixture
def nudge_clock():
    now = wiring.clock()
    now.set(datetime.now(UTC))
    return now


def test_a_nudge_past_the_window_sends_the_folders_template(api, fake, listing, nudge_clock):
    put_hours(api)
    folder_id = nudging_folder(api, after_hours=30, template=SUIVI | {"locale": "fr"})
    conversation_id = conversation_in(api, folder_id, "whatsapp", fake)
    person_replies(api, conversation_id)
    nudge_clock.set(next_weekday_ten(nudge_clock.now() + timedelta(hours=30)))

    assert len(fire_due()) == 1

    assert outbound_texts(api, conversation_id)[-1] == SUIVI_TEXT
    assert fake.sent[-1].body["template"] == {"name": "suivi_demande", "parameters": ["Karim", "D-77"]}
    assert wiring.notifications().page(TENANT, PERSON_ID, 10).items == []


@pytest.mark.parametrize(
    ("chosen", "field"),
    [
        ({"name": "promo_noel", "parameters": ["NOEL"]}, "nudge.template.name"),  # REJECTED
        ({"name": "suivi_demande", "parameters": []}, "nudge.template.parameters"),
    ],
)
def test_a_nudge_template_not_approved_or_the_wrong_count_is_a_422(api, fake, listing, chosen, field):
    nudge = {
        "enabled": True,
        "after_hours": 24,
        "max_nudges": 1,
        "text": "Avez-vous pu regarder ?",
        "template": chosen,
    }
    status, answer = api(api_request("POST", "/folders", {"name": "Devis", "nudge": nudge}))
    assert status == 422, answer
    assert answer["error"]["message"].startswith(field)


def test_the_sample_follow_up_with_a_template(api, fake, listing, scheduler, clock):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    event = load_event(
        "api/create_follow_up_template.json", DUE_AT=later(clock, hours=30), CONVERSATION_ID=conversation_id
    )

    status, created = api(event)

    assert status == 201, created
    assert created["template"] == SUIVI | {"locale": "fr"}


def test_a_nudge_whose_template_is_no_longer_approved_tells_a_person(api, fake, listing, nudge_clock):
    put_hours(api)
    folder_id = nudging_folder(api, after_hours=30, template=SUIVI | {"locale": "fr"})
    conversation_id = conversation_in(api, folder_id, "whatsapp", fake)
    person_replies(api, conversation_id)
    fake.templates[1]["status"] = "PAUSED"  # Meta paused suivi_demande meanwhile; the list is read again
    assert api(api_request("GET", f"/integrations/{listing['id']}/whatsapp-templates?refresh=true"))[0] == 200
    nudge_clock.set(next_weekday_ten(nudge_clock.now() + timedelta(hours=30)))
    sent_before = len(fake.sent)

    assert len(fire_due()) == 1

    assert len(fake.sent) == sent_before  # nothing went out
    page = wiring.notifications().page(TENANT, PERSON_ID, 10)
    assert [(n.kind, n.conversation_id) for n in page.items] == [("template_needed", conversation_id)]


# A template's parameters may hold a saved reply's placeholders (issue 16 review, answers #1): filled with
# the same fill when a follow-up or a folder's nudge sends it; one without a value sends nothing (a
# person is told), one we do not know is a 422 on `template.parameters.<n>` when chosen.


def test_a_follow_ups_template_parameters_are_filled_when_it_fires(api, fake, listing, scheduler, clock):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    template = {"name": "suivi_demande", "parameters": ["{{ contact.first_name }}", "D-77"]}
    created = follow_up(
        api, conversation_id, {"due_at": later(clock, hours=30), "action": "send", "template": template}
    )[1]
    clock.advance(timedelta(hours=30))

    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "sent"}

    assert fake.sent[-1].body["template"]["parameters"] == ["Jane", "D-77"]
    assert all("{{" not in str(sent.body) for sent in fake.sent)


def test_a_follow_ups_template_parameter_without_a_value_sends_nothing_and_tells_its_creator(
    api, fake, listing, scheduler, clock
):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    template = {"name": "suivi_demande", "parameters": ["{{contact.company}}", "D-77"]}  # nobody gave one
    created = follow_up(
        api, conversation_id, {"due_at": later(clock, hours=30), "action": "send", "template": template}
    )[1]
    clock.advance(timedelta(hours=30))
    sent_before = len(fake.sent)

    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "send_failed"}

    assert len(fake.sent) == sent_before
    [done] = follow_ups(api, conversation_id)
    assert "contact.company" in done["detail"]
    assert [n.kind for n in notifications(TENANT)] == ["follow_up_due"]


def test_an_unknown_placeholder_in_a_template_parameter_is_a_422_naming_it(api, fake, listing, scheduler, clock):
    conversation_id = whatsapp_conversation(fake)
    clock.set(datetime.now(UTC))
    template = {"name": "suivi_demande", "parameters": ["Karim", "{{order.number}}"]}

    status, answer = follow_up(
        api, conversation_id, {"due_at": later(clock, hours=30), "action": "send", "template": template}
    )

    assert status == 422, answer
    assert answer["error"]["message"].startswith("template.parameters.1")
    nudge = {"enabled": True, "after_hours": 24, "max_nudges": 1, "text": "Alors ?", "template": template}
    status, answer = api(api_request("POST", "/folders", {"name": "Devis", "nudge": nudge}))
    assert status == 422, answer
    assert answer["error"]["message"].startswith("nudge.template.parameters.1")


def test_a_nudges_template_parameters_are_filled_for_each_customer(api, fake, listing, nudge_clock):
    put_hours(api)
    template = {"name": "suivi_demande", "locale": "fr", "parameters": ["{{contact.first_name}}", "D-77"]}
    folder_id = nudging_folder(api, after_hours=30, template=template)
    conversation_id = conversation_in(api, folder_id, "whatsapp", fake)
    person_replies(api, conversation_id)
    nudge_clock.set(next_weekday_ten(nudge_clock.now() + timedelta(hours=30)))

    assert len(fire_due()) == 1

    assert fake.sent[-1].body["template"]["parameters"] == ["Karim", "D-77"]


def test_a_nudges_template_parameter_without_a_value_tells_a_person(api, fake, listing, nudge_clock):
    put_hours(api)
    template = {
        "name": "suivi_demande",
        "locale": "fr",
        "parameters": ["{{contact.company}}", "D-77"],
    }  # nobody gave one
    folder_id = nudging_folder(api, after_hours=30, template=template)
    conversation_id = conversation_in(api, folder_id, "whatsapp", fake)
    person_replies(api, conversation_id)
    nudge_clock.set(next_weekday_ten(nudge_clock.now() + timedelta(hours=30)))
    sent_before = len(fake.sent)

    assert len(fire_due()) == 1

    assert len(fake.sent) == sent_before
    page = wiring.notifications().page(TENANT, PERSON_ID, 10)
    # Told what is missing, as for a nudge's text: a template is what it had, not what it needs.
    [told] = page.items
    assert (told.kind, told.conversation_id) == ("nudge_unfilled", conversation_id)
    assert told.placeholders == ["contact.company"]
    assert told.text == "Devis"  # the folder's name


def test_a_folder_whose_nudge_template_meta_paused_stays_editable(api, fake, listing):
    # Issue 16 review, answers #7: the template is checked when it changes, not on every save.
    nudge = {
        "enabled": True,
        "after_hours": 24,
        "max_nudges": 1,
        "text": "Alors ?",
        "template": SUIVI | {"locale": "fr"},
    }
    status, folder = api(api_request("POST", "/folders", {"name": "Devis", "nudge": nudge}))
    assert status == 201, folder
    fake.templates[1]["status"] = "PAUSED"  # suivi_demande, paused by Meta; the list read again
    assert api(api_request("GET", f"/integrations/{listing['id']}/whatsapp-templates?refresh=true"))[0] == 200

    status, renamed = api(api_request("PUT", f"/folders/{folder['id']}", {"name": "Devis en cours", "nudge": nudge}))

    assert status == 200, renamed
    assert renamed["nudge"]["template"]["name"] == "suivi_demande"
    other = nudge | {"template": {"name": "suivi_demande", "locale": "fr", "parameters": ["Karim", "D-78"]}}
    status, answer = api(api_request("PUT", f"/folders/{folder['id']}", {"name": "Devis en cours", "nudge": other}))
    assert status == 422, answer
    assert answer["error"]["message"].startswith("nudge.template.name")
