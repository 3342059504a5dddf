"""The drafts API (issue 12, items 5 and 7): a person sends a draft as drafted or edited, or discards
it, and how it ended is recorded and counted; a draft is decided once (409 after); another tenant's
conversations and drafts are 404; suggestions on demand and the summary kept until newer messages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers.autoreply import StubWriter, deliver, proposal, queued_jobs, use_writer
from helpers.classify import classify_queued, create_folder
from helpers.events import api_request, load_event, with_claims
from helpers.vonage import invoke, sms, sms_event
from inbox import wiring
from inbox.models.knowledge import PassageRef
from samples import TENANT

OTHER_TENANT = {"custom:tenant_id": "tenant-other"}
PERSON = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample events' admin


def customer_sms(api, aws, fake, text: str = "Où est ma commande #12345 ?") -> str:
    status, answer = invoke("sms", sms_event("sms_form", sms(fake, text)))
    assert status == 200, answer
    classify_queued(aws)
    for job in queued_jobs(aws):
        deliver(job)
    return answer["conversation_id"]


@pytest.fixture
def writer(monkeypatch) -> StubWriter:
    stub = StubWriter()
    use_writer(monkeypatch, stub)
    return stub


@pytest.fixture
def pending(api, aws, fake, vonage_integration, writer) -> tuple[str, str]:
    """A customer's SMS in a folder in validation mode: its conversation and its pending draft."""
    rules = {"any": [{"field": "channel", "op": "equals", "value": "sms"}]}
    create_folder(api, {"name": "SMS", "rules": rules, "auto_reply": {"enabled": True, "mode": "validation"}})
    conversation_id = customer_sms(api, aws, fake)
    [draft] = listed(api, conversation_id)
    assert draft["status"] == "pending"
    return conversation_id, draft["id"]


def listed(api, conversation_id: str) -> list[dict]:
    status, page = api(load_event("api/list_drafts.json", CONVERSATION_ID=conversation_id))
    assert status == 200, page
    return page["items"]


def send(api, conversation_id: str, draft_id: str, body: dict | None = None) -> tuple[int, dict]:
    event = load_event("api/send_draft.json", CONVERSATION_ID=conversation_id, DRAFT_ID=draft_id)
    if body is not None:
        event = api_request("POST", f"/conversations/{conversation_id}/drafts/{draft_id}/send", body)
    return api(event)


def discard(api, conversation_id: str, draft_id: str) -> tuple[int, dict]:
    return api(load_event("api/discard_draft.json", CONVERSATION_ID=conversation_id, DRAFT_ID=draft_id))


def day_counters() -> dict[str, int]:
    return wiring.store().day_stats(TENANT, datetime.now(UTC).date().isoformat())


def test_a_draft_sent_as_drafted_is_recorded_unchanged_and_sent_by_the_person(api, fake, pending):
    conversation_id, draft_id = pending

    status, sent = send(api, conversation_id, draft_id, {})

    assert status == 201, sent
    assert (sent["draft"]["status"], sent["draft"]["outcome"], sent["draft"]["edit_ratio"]) == (
        "sent",
        "sent_unchanged",
        0.0,
    )
    assert sent["draft"]["decided_by"] == PERSON
    assert (sent["message"]["author_id"], sent["message"]["auto_reply"]) == (PERSON, False)
    assert [s.body["text"] for s in fake.sent] == ["Bonjour, votre commande #12345 part demain."]
    assert day_counters()["ai_reply:sent_unchanged"] == 1

    again, answer = send(api, conversation_id, draft_id, {})
    assert (again, answer["error"]["code"]) == (409, "conflict")
    assert len(fake.sent) == 1


def test_a_draft_sent_edited_records_how_much_was_changed(api, fake, pending):
    conversation_id, draft_id = pending

    status, sent = send(api, conversation_id, draft_id)  # the sample's text, written by the person

    assert status == 201, sent
    draft = sent["draft"]
    assert (draft["status"], draft["outcome"]) == ("sent", "sent_edited")
    assert 0 < draft["edit_ratio"] < 1
    assert fake.sent[0].body["text"] == "Bonjour, votre commande #12345 part demain. Bonne journée !"
    assert listed(api, conversation_id)[0]["outcome"] == "sent_edited"
    counters = day_counters()
    assert counters["ai_reply:sent_edited"] == 1
    assert counters["ai_reply:edit_permille"] == round(draft["edit_ratio"] * 1000)


def test_a_discarded_draft_is_recorded_and_can_be_neither_sent_nor_discarded_again(api, fake, pending):
    conversation_id, draft_id = pending

    status, discarded = discard(api, conversation_id, draft_id)

    assert (status, discarded["status"], discarded["outcome"]) == (200, "discarded", "discarded")
    assert day_counters()["ai_reply:discarded"] == 1
    assert discard(api, conversation_id, draft_id)[0] == 409
    assert send(api, conversation_id, draft_id, {})[0] == 409
    assert fake.sent == []


def test_an_empty_text_or_an_unknown_field_is_a_422_naming_it(api, pending):
    conversation_id, draft_id = pending

    status, answer = send(api, conversation_id, draft_id, {"text": ""})
    assert (status, answer["error"]["message"].split(":")[0]) == (422, "text")
    status, answer = send(api, conversation_id, draft_id, {"txt": "Bonjour"})
    assert (status, answer["error"]["message"].split(":")[0]) == (422, "txt")
    assert listed(api, conversation_id)[0]["status"] == "pending"


def test_another_tenants_conversation_and_drafts_are_404(api, fake, pending, writer):
    conversation_id, draft_id = pending
    base = f"/conversations/{conversation_id}"

    for method, path in (
        ("GET", f"{base}/drafts"),
        ("POST", f"{base}/drafts/{draft_id}/send"),
        ("POST", f"{base}/drafts/{draft_id}/discard"),
        ("POST", f"{base}/suggestion"),
        ("POST", f"{base}/summary"),
    ):
        status, answer = api(
            with_claims(api_request(method, path, {} if path.endswith("send") else None), **OTHER_TENANT)
        )
        assert (status, answer["error"]["code"]) == (404, "not_found"), path

    assert api(api_request("POST", f"{base}/drafts/not-a-draft/send", {}))[0] == 404
    assert fake.sent == []
    assert (writer.calls, writer.summaries) == (1, 0)
    assert listed(api, conversation_id)[0]["status"] == "pending"


def test_a_suggestion_is_one_pending_draft_at_a_time_in_any_folder(api, aws, fake, vonage_integration, writer):
    conversation_id = customer_sms(api, aws, fake)  # in no folder that answers by itself
    assert listed(api, conversation_id) == []

    status, draft = api(load_event("api/suggest_reply.json", CONVERSATION_ID=conversation_id))
    assert status == 201, draft
    assert (draft["source"], draft["status"], draft["mode"]) == ("suggestion", "pending", None)
    assert draft["passages"][0]["title"] == "Livraisons"

    status, answer = api(load_event("api/suggest_reply.json", CONVERSATION_ID=conversation_id))
    assert (status, answer["error"]["code"]) == (409, "conflict")
    assert draft["id"] in answer["error"]["message"]

    assert discard(api, conversation_id, draft["id"])[0] == 200
    assert api(load_event("api/suggest_reply.json", CONVERSATION_ID=conversation_id))[0] == 201
    assert writer.calls == 2
    assert fake.sent == []


def test_a_draft_shows_what_its_prompt_was_given_of_the_knowledge_base(api, aws, fake, vonage_integration, writer):
    conversation_id = customer_sms(api, aws, fake)
    chosen = [PassageRef(document_id="d1", passage_id="d1:0", title="Livraisons")]
    writer.answers = [proposal(knowledge_whole=False, knowledge_passages=7, knowledge_chosen=chosen)]

    status, draft = api(load_event("api/suggest_reply.json", CONVERSATION_ID=conversation_id))

    assert status == 201, draft
    given = {"knowledge_whole": False, "knowledge_passages": 7, "knowledge_chosen": [chosen[0].model_dump()]}
    assert {name: draft[name] for name in given} == given
    [kept] = listed(api, conversation_id)  # as stored
    assert {name: kept[name] for name in given} == given


def test_without_an_ai_model_a_suggestion_and_a_summary_are_a_clear_409(api, aws, fake, vonage_integration):
    conversation_id = customer_sms(api, aws, fake)

    for sample in ("api/suggest_reply.json", "api/summarize_conversation.json"):
        status, answer = api(load_event(sample, CONVERSATION_ID=conversation_id))
        assert (status, answer["error"]["code"]) == (409, "ai_not_configured"), answer


def test_the_summary_is_kept_until_a_newer_message_comes(api, aws, fake, vonage_integration, writer):
    conversation_id = customer_sms(api, aws, fake)
    summarize = load_event("api/summarize_conversation.json", CONVERSATION_ID=conversation_id)

    status, first = api(summarize)
    assert status == 200, first
    assert (first["made_now"], first["key_points"], first["customer_wants"]) == (
        True,
        ["1 message(s)"],
        "savoir où est sa commande",
    )

    status, kept = api(summarize)
    assert (status, kept["made_now"], writer.summaries) == (200, False, 1)
    assert kept["covers_message_id"] == first["covers_message_id"]

    customer_sms(api, aws, fake, "Et la facture ?")
    status, again = api(summarize)
    assert (status, again["made_now"], again["key_points"], writer.summaries) == (200, True, ["2 message(s)"], 2)
    assert again["covers_message_id"] != first["covers_message_id"]
