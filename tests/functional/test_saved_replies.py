"""Saved replies through the API (issue 16, item 4): the team's (everyone uses them, admins write
them) and each person's own (nobody else sees or uses them); their fill for a conversation, a missing
value left visible; the size limits as 422s naming the field; another tenant's never reached; a `send`
follow-up's placeholders filled when it fires, and not sent when one has no value."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpers.events import api_request, load_event
from helpers.follow_ups import OTHER_TENANT, fire, follow_up, follow_ups, later, notifications
from inbox import wiring
from inbox.domain.schedule_names import schedule_name
from inbox.models import Direction, Message, Party
from samples import AGENT, NOW, TENANT, sample_conversation

OTHER_AGENT = {"cognito:groups": "[agent]", "sub": "0f0e0d0c-0b0a-4999-8888-777766665555"}


def stored(conversation_id: str, contact: Party, subject: str | None = "Commande 12345", tenant_id: str = TENANT):
    conversation = sample_conversation(
        id=conversation_id,
        tenant_id=tenant_id,
        contact_id=f"k-{conversation_id}",
        contact=contact,
        subject=subject,
        last_activity_at=NOW,
        message_count=1,
    )
    message = Message(
        id=f"m-{conversation_id}",
        tenant_id=tenant_id,
        conversation_id=conversation_id,
        integration_id="i",
        channel=conversation.channel,
        direction=Direction.INBOUND,
        external_id=f"x-{conversation_id}",
        sender=contact,
        text="Bonjour",
        received_at=NOW,
    )
    wiring.store().commit_inbound(message, None, conversation, thread_key=None, thread_was=None)
    return conversation


def create(api, body: dict, **claims) -> dict:
    status, reply = api(api_request("POST", "/saved-replies", body, **claims))
    assert status == 201, reply
    return reply


def titles(api, **claims) -> list[str]:
    status, listed = api(api_request("GET", "/saved-replies", **claims))
    assert status == 200, listed
    return [r["title"] for r in listed["items"]]


def filled(api, reply_id: str, conversation_id: str, **claims) -> tuple[int, dict]:
    return api(api_request("POST", f"/saved-replies/{reply_id}/fill", {"conversation_id": conversation_id}, **claims))


@pytest.fixture
def sender(aws):
    """The caller's claims as a person of the pool with a name ({{agent.name}})."""
    sub = aws.add_person("camille@shop.example", TENANT, role="admin", name="Camille Martin")
    return {"sub": sub}


def test_a_team_reply_is_everyones_and_a_personal_one_its_owners_alone(api, aws):
    team = create(api, {"title": "Délais de livraison", "text": "Comptez 3 jours.", "scope": "team"})
    mine = create(api, {"title": "Ma signature", "text": "Bien à vous, Camille"})  # personal by default
    theirs = create(api, {"title": "Sa réponse", "text": "À bientôt"}, **AGENT | OTHER_AGENT)

    assert (team["scope"], mine["scope"]) == ("team", "personal")
    assert titles(api) == ["Délais de livraison", "Ma signature"]
    assert titles(api, **AGENT | OTHER_AGENT) == ["Délais de livraison", "Sa réponse"]
    for method, body in (("GET", None), ("PATCH", {"title": "Pris"}), ("DELETE", None)):
        status, error = api(api_request(method, f"/saved-replies/{mine['id']}", body, **AGENT | OTHER_AGENT))
        assert status == 404, (method, error)
    stored("c1", Party(name="Marie Dupont"))
    assert filled(api, mine["id"], "c1", **AGENT | OTHER_AGENT)[0] == 404
    assert api(api_request("GET", f"/saved-replies/{theirs['id']}"))[0] == 404


def test_admins_write_the_teams_replies_and_an_agent_writes_only_their_own(api, aws):
    team = create(api, {"title": "Horaires", "text": "Du lundi au vendredi.", "scope": "team"})
    path = f"/saved-replies/{team['id']}"

    assert api(api_request("POST", "/saved-replies", {"title": "T", "text": "x", "scope": "team"}, **AGENT))[0] == 403
    assert api(api_request("PATCH", path, {"text": "Tous les jours."}, **AGENT))[0] == 403
    assert api(api_request("DELETE", path, **AGENT))[0] == 403
    own = create(api, {"title": "Merci", "text": "Merci {{contact.first_name}} !"}, **AGENT)
    status, changed = api(api_request("PATCH", f"/saved-replies/{own['id']}", {"title": "Merci beaucoup"}, **AGENT))
    assert (status, changed["title"], changed["text"]) == (200, "Merci beaucoup", "Merci {{contact.first_name}} !")

    status, changed = api(api_request("PATCH", path, {"text": "Tous les jours."}))
    assert (status, changed["text"]) == (200, "Tous les jours.")
    assert api(api_request("DELETE", path))[0] == 204
    assert api(api_request("GET", path))[0] == 404
    assert titles(api, **AGENT) == ["Merci beaucoup"]


def test_the_fill_puts_the_conversations_values_and_leaves_a_missing_one_visible(api, aws, sender):
    reply = create(
        api,
        {
            "title": "Suivi",
            "text": "Bonjour {{contact.first_name}}, votre « {{conversation.subject}} ». {{agent.name}}",
        },
        **sender,
    )
    stored("c1", Party(name="Marie Dupont", email="marie@example.com"))
    stored("c2", Party(phone="+33612345678"), subject=None)

    status, answer = filled(api, reply["id"], "c1", **sender)
    assert (status, answer) == (
        200,
        {"text": "Bonjour Marie, votre « Commande 12345 ». Camille Martin", "missing": [], "unknown": []},
    )
    status, answer = filled(api, reply["id"], "c2", **sender)
    assert answer == {
        "text": "Bonjour {{contact.first_name}}, votre « {{conversation.subject}} ». Camille Martin",
        "missing": ["contact.first_name", "conversation.subject"],
        "unknown": [],
    }
    assert filled(api, reply["id"], "nope", **sender)[0] == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * 201, "text": "ok"}, "title"),
        ({"title": "  ", "text": "ok"}, "title"),
        ({"title": "two\nlines", "text": "ok"}, "title"),
        ({"title": "ok", "text": "x" * 4001}, "text"),
        ({"title": "ok", "text": "   "}, "text"),
        ({"title": "ok", "text": "ok", "scope": "everyone"}, "scope"),
        ({"title": "ok", "text": "ok", "owner_id": "someone"}, "owner_id"),
    ],
)
def test_bad_saved_replies_are_422_naming_the_field(api, aws, body, field):
    status, error = api(api_request("POST", "/saved-replies", body))
    assert status == 422, error
    assert error["error"]["message"].startswith(f"{field}:"), error


def test_a_change_over_the_limit_is_422_naming_the_field(api, aws):
    reply = create(api, {"title": "ok", "text": "ok"})
    status, error = api(api_request("PATCH", f"/saved-replies/{reply['id']}", {"text": "x" * 4001}))
    assert (status, error["error"]["message"].split(":")[0]) == (422, "text")
    status, error = api(api_request("PATCH", f"/saved-replies/{reply['id']}", {"title": None}))
    assert (status, error["error"]["message"].split(":")[0]) == (422, "title")


def test_another_tenant_cannot_read_change_delete_or_fill_them_nor_fill_with_its_conversation(api, aws):
    team = create(api, {"title": "Horaires", "text": "{{contact.name}}", "scope": "team"})
    stored("c1", Party(name="Marie Dupont"))
    stored("o1", Party(name="Intruder's customer"), tenant_id="tenant-other")
    admin_elsewhere = OTHER_TENANT  # the sample admin's claims, another tenant

    assert titles(api, **admin_elsewhere) == []
    path = f"/saved-replies/{team['id']}"
    assert api(api_request("GET", path, **admin_elsewhere))[0] == 404
    assert api(api_request("PATCH", path, {"title": "Pris"}, **admin_elsewhere))[0] == 404
    assert api(api_request("DELETE", path, **admin_elsewhere))[0] == 404
    assert filled(api, team["id"], "c1", **admin_elsewhere)[0] == 404
    assert filled(api, team["id"], "o1")[0] == 404  # its reply with the other tenant's conversation
    assert api(api_request("GET", path))[1]["title"] == "Horaires"


def test_the_sample_events_do_what_they_say(api, aws):
    status, created = api(load_event("api/create_saved_reply.json"))
    assert (status, created["scope"]) == (201, "team"), created
    ids = {"SAVED_REPLY_ID": created["id"]}
    status, listed = api(load_event("api/list_saved_replies.json"))
    assert (status, [r["id"] for r in listed["items"]]) == (200, [created["id"]])
    assert api(load_event("api/get_saved_reply.json", **ids)) == (200, created)
    status, changed = api(load_event("api/patch_saved_reply.json", **ids))
    assert (status, changed["title"]) == (200, "Commande expédiée (Colissimo)")
    stored("c1", Party(name="Marie Dupont"))
    status, answer = api(load_event("api/fill_saved_reply.json", CONVERSATION_ID="c1", **ids))
    assert (status, answer["text"].split(",")[0], answer["missing"]) == (200, "Bonjour Marie", ["agent.name"])
    assert api(load_event("api/delete_saved_reply.json", **ids))[0] == 204
    assert api(load_event("api/get_saved_reply.json", **ids))[0] == 404


# ------------------------------------------------------------------ a `send` follow-up with a saved reply's text


@pytest.fixture
def sms_conversation(api, fake, vonage_integration, scheduler, clock) -> str:
    from datetime import UTC, datetime

    from helpers.vonage import invoke, sms, sms_event

    status, answer = invoke("sms", sms_event("sms_form", sms(fake, "Bonjour, où en est ma commande ?")))
    assert status == 200, answer
    clock.set(datetime.now(UTC))
    return answer["conversation_id"]


def test_a_send_follow_up_is_filled_when_it_fires_and_not_sent_with_a_missing_value(
    api, fake, scheduler, clock, sms_conversation
):
    text = "Avez-vous reçu le colis ? {{contact.phone}}"
    created = follow_up(api, sms_conversation, {"due_at": later(clock, hours=3), "action": "send", "text": text})[1]
    unnamed = follow_up(
        api, sms_conversation, {"due_at": later(clock, hours=4), "action": "send", "text": "Bonjour {{contact.name}}"}
    )[1]
    clock.advance(timedelta(hours=5))

    assert fire(scheduler, schedule_name("followup", TENANT, created["id"])) == {"outcome": "sent"}
    assert fire(scheduler, schedule_name("followup", TENANT, unnamed["id"])) == {"outcome": "send_failed"}

    [sent] = [s.body["text"] for s in fake.sent]
    assert sent.startswith("Avez-vous reçu le colis ? +")
    assert "{{" not in sent
    failed = next(f for f in follow_ups(api, sms_conversation) if f["id"] == unnamed["id"])
    assert failed["detail"] == "placeholders without a value: contact.name"
    assert [n.kind for n in notifications(TENANT)] == ["follow_up_due"]


def test_a_send_follow_up_with_an_unknown_placeholder_is_422_on_text(api, scheduler, clock, sms_conversation):
    body = {"due_at": later(clock, hours=3), "action": "send", "text": "Bonjour {{contact.frist_name}}"}
    status, error = follow_up(api, sms_conversation, body)
    assert status == 422, error
    assert error["error"]["message"] == "text: has placeholders we do not know: {{contact.frist_name}}"


def test_saved_replies_changes_are_in_the_audit_trail_under_who_made_them(aws, api, template):
    """Issue 16 review, answers #4: through the template's stream filter to the audit reader, as
    test_audit_actions plays them; the removal under whoever removed it."""
    from test_audit_actions import OTHER_ADMIN, Trail, entries, ok

    trail = Trail(aws, template)
    body = {"title": "Délai", "text": "Sous 48 h, {{contact.first_name}}.", "scope": "team"}
    made = trail.after(lambda: ok(api(api_request("POST", "/saved-replies", body)), 201))
    path = f"/saved-replies/{made['id']}"
    trail.after(lambda: ok(api(api_request("PATCH", path, {"text": "Sous 24 h."}))))
    trail.after(lambda: ok(api(api_request("DELETE", path, **OTHER_ADMIN)), 204))

    audited = list(reversed(entries(api)))
    assert [(e["kind"], e["target"]["type"], e["target"]["id"]) for e in audited] == [
        ("saved_reply.changed", "saved_reply", made["id"])
    ] * 3
    assert audited[-1]["actor"]["id"] == OTHER_ADMIN["sub"]
    assert audited[0]["actor"]["id"] != OTHER_ADMIN["sub"]
    assert {"field": "text", "before": "Sous 48 h, {{contact.first_name}}.", "after": "Sous 24 h."} in (
        audited[1]["changes"]
    )
