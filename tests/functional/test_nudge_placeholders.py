"""A folder's nudge whose own words hold saved replies' placeholders (issue 16, item 4, second session):
filled when it fires with the one fill a follow-up's text gets; a placeholder without a value sends
nothing and a person is told (the assignee, as for a follow-up its creator). A nudge has no sender, so
`agent.*` placeholders (and ones we do not know) are refused when the folder is saved, on the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_nudges import conversation_in, nudge_states, nudging_folder, outbound_texts, put_hours, reply, thread

from helpers.events import api_request
from helpers.schedules import fire_due
from inbox import wiring
from inbox.models import Principal, Role
from inbox.models.folder import Nudge

TENANT = "tenant-sample"
ASSIGNEE = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin, whom conversation_in assigns
EVERY_DAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALWAYS_OPEN = {day: [{"start": "00:00", "end": "24:00"}] for day in EVERY_DAY}


@pytest.fixture
def clock():
    """Real time: the WhatsApp customer's message is stamped now, and its 24-hour window must stay open."""
    now = wiring.clock()
    now.set(datetime.now(UTC))
    return now


def nudged_once(api, fake, clock, text: str, **nudge) -> str:
    """A WhatsApp conversation ("Karim") in a folder nudging with `text` one hour after our reply, fired."""
    assert put_hours(api, week=ALWAYS_OPEN)[0] == 200
    folder_id = nudging_folder(api, after_hours=1, max_nudges=2, text=text, **nudge)
    conversation_id = conversation_in(api, folder_id, "whatsapp", fake)
    reply(api, conversation_id)
    clock.advance(timedelta(hours=1, minutes=1))
    assert len(fire_due()) == 1
    return conversation_id


def test_a_nudges_placeholders_reach_the_customer_filled(api, fake, vonage_integration, clock):
    conversation_id = nudged_once(api, fake, clock, "Bonjour {{contact.first_name}}, avez-vous pu regarder ?")

    assert outbound_texts(api, conversation_id) == ["Voici notre devis.", "Bonjour Karim, avez-vous pu regarder ?"]
    assert "{{" not in str([sent.body for sent in fake.sent])


def test_a_nudges_placeholder_without_a_value_sends_nothing_and_tells_a_person(api, fake, vonage_integration, clock):
    text = "Bonjour, la société {{contact.company}} a-t-elle pu regarder ?"  # nobody gave a company
    conversation_id = nudged_once(api, fake, clock, text)

    assert outbound_texts(api, conversation_id) == ["Voici notre devis."]
    assert "{{" not in str([sent.body for sent in fake.sent])
    # What the person reads: the nudge of folder "Devis" was not sent, contact.company had no value
    # (review 16b, item 2); the app words it from these fields (web/src/notifications/sentence.ts).
    status, page = api(api_request("GET", "/notifications"))
    assert status == 200, page
    assert [(n["kind"], n["conversation_id"], n["text"], n["placeholders"]) for n in page["items"]] == [
        ("nudge_unfilled", conversation_id, "Devis", ["contact.company"])
    ]
    # It ends there: a person answers instead, no second nudge.
    assert nudge_states().get_nudge(TENANT, conversation_id) is None


def test_a_nudge_drafted_for_a_person_is_filled_as_far_as_it_goes(api, fake, vonage_integration, clock):
    text = "Bonjour {{contact.first_name}} de {{contact.company}}"
    conversation_id = nudged_once(api, fake, clock, text, mode="validation")

    status, drafts = api(api_request("GET", f"/conversations/{conversation_id}/drafts"))
    assert status == 200, drafts
    (draft,) = drafts["items"]
    assert draft["text"] == "Bonjour Karim de {{contact.company}}"  # the missing one stays for the person to see
    assert thread(api, conversation_id)["messages"][-1]["text"] == "Voici notre devis."


@pytest.mark.parametrize(
    ("nudge", "field", "words"),
    [
        (
            {"text": "Cordialement, {{agent.name}}"},
            "nudge.text",
            "a nudge cannot fill, nobody sends it: {{agent.name}}",
        ),
        ({"text": "Bonjour {{contact.frist_name}}"}, "nudge.text", "we do not know: {{contact.frist_name}}"),
        (
            {"template": {"name": "suivi_demande", "parameters": ["{{ agent.first_name }}", "D-77"]}},
            "nudge.template.parameters.0",
            "a nudge cannot fill, nobody sends it: {{agent.first_name}}",
        ),
    ],
)
def test_placeholders_a_nudge_never_fills_are_a_422_on_the_field(api, nudge, field, words):
    settings = {"enabled": True, "after_hours": 24, "max_nudges": 1, "text": "Alors ?"} | nudge
    status, answer = api(api_request("POST", "/folders", {"name": "Devis", "nudge": settings}))
    assert status == 422, answer
    assert answer["error"]["message"].startswith(f"{field}: has placeholders "), answer
    assert answer["error"]["message"].endswith(words), answer

    status, folder = api(api_request("POST", "/folders", {"name": "Devis"}))
    assert status == 201, folder
    status, answer = api(api_request("PUT", f"/folders/{folder['id']}", {"name": "Devis", "nudge": settings}))
    assert status == 422, answer
    assert answer["error"]["message"].startswith(f"{field}: "), answer


def test_a_folder_saved_before_with_a_placeholder_now_refused_stays_editable(api):
    """Only a changed nudge is checked (http/folders.py, check_words' `stored`): an older folder whose
    nudge holds {{agent.name}} can still be renamed, and its nudge's words changed only to fillable ones."""
    status, folder = api(api_request("POST", "/folders", {"name": "Devis"}))
    assert status == 201, folder
    admin = Principal(user_id=ASSIGNEE, tenant_id=TENANT, role=Role.ADMIN)
    older = {
        "enabled": True,
        "after_hours": 24,
        "max_nudges": 1,
        "mode": "automatic",
        "text": "Cordialement, {{agent.name}}",
    }
    wiring.folders().update(admin, folder["id"], {"nudge": Nudge(**older)})  # as stored before the check existed

    status, renamed = api(api_request("PUT", f"/folders/{folder['id']}", {"name": "Devis 2026", "nudge": older}))
    assert status == 200, renamed
    assert (renamed["name"], renamed["nudge"]["text"]) == ("Devis 2026", "Cordialement, {{agent.name}}")

    changed = older | {"text": "Bien à vous, {{agent.name}}"}
    status, answer = api(api_request("PUT", f"/folders/{folder['id']}", {"name": "Devis 2026", "nudge": changed}))
    assert status == 422, answer
    assert answer["error"]["message"].startswith("nudge.text: has placeholders a nudge cannot fill"), answer
