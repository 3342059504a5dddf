"""The auto-reply consumer with the real reply writer and the fake OpenAI (issue 12, items 3, 4 and
6), not the stub writer: in automatic mode a knowledge-base fact goes out by itself, citing its
passage, while a refund dispute (a person is needed) and a reply with a link found nowhere are held
as drafts with their reason, and nothing is sent."""

from __future__ import annotations

import pytest

from helpers.ai_auto_replies import auto_reply_to, use_reply_writer
from helpers.classify import create_folder
from helpers.events import api_request
from helpers.replies import PASSAGES
from inbox.domain import reply_prompt
from local.openai import FakeOpenAI

SMS_AUTOMATIC = {
    "name": "SMS",
    "rules": {"any": [{"field": "channel", "op": "equals", "value": "sms"}]},
    "auto_reply": {"enabled": True, "mode": "automatic"},
}


@pytest.fixture
def grounded(api, openai_fake, vonage_integration) -> str:
    """The tenant's AI on the fake OpenAI, its company prompt, a one-document knowledge base, and an
    SMS folder in automatic mode: the document's id."""
    use_reply_writer(api, openai_fake)
    status, document = api(api_request("POST", "/knowledge", {"title": "Livraison", "text": PASSAGES[0].text}))
    assert status == 201, document
    create_folder(api, SMS_AUTOMATIC)
    return document["id"]


def replies_asked(openai_fake: FakeOpenAI) -> int:
    names = [c.body["response_format"]["json_schema"]["name"] for c in openai_fake.completions]
    return names.count(reply_prompt.REPLY_SCHEMA_NAME)


def test_a_knowledge_base_fact_is_sent_by_itself_citing_its_passage(api, aws, fake, openai_fake, grounded):
    draft = auto_reply_to(api, aws, fake, "Ma commande passée avant 14 h sera-t-elle livrée aujourd'hui à Lyon ?")

    assert replies_asked(openai_fake) == 1  # the real writer, one model call

    assert (draft["status"], draft["outcome"], draft["reason"], draft["hold"]) == ("sent", "auto_sent", None, None)
    [sent] = fake.sent
    assert "livrée le jour même" in sent.body["text"]
    assert sent.body["text"] == draft["text"]
    assert [p["document_id"] for p in draft["passages"]] == [grounded]
    # What the prompt was given: the whole base (one short document), not a choice.
    assert (draft["knowledge_whole"], draft["knowledge_passages"], draft["knowledge_chosen"]) == (True, 1, [])


def test_a_refund_dispute_is_held_for_a_person_and_nothing_is_sent(api, aws, fake, grounded):
    draft = auto_reply_to(api, aws, fake, "Je conteste ce débit, je veux être remboursée ou je vais voir mon avocat.")

    assert (draft["status"], draft["reason"], draft["hold"], draft["needs_person"]) == (
        "pending",
        "needs_person",
        "needs_person",
        True,
    )
    assert draft["mode"] == "automatic"
    assert fake.sent == []


def test_a_reply_with_a_link_found_nowhere_is_held_and_nothing_is_sent(api, aws, fake, openai_fake, grounded):
    scripted = {
        "text": "Suivez votre colis sur https://suivi-colis.example/fl",
        "language": "fr",
        "confidence": 0.95,
        "needs_person": False,
        "reason": "tracking",
        "passage_ids": [],
    }
    openai_fake.when("colis", scripted, schema=reply_prompt.REPLY_SCHEMA_NAME)

    draft = auto_reply_to(api, aws, fake, "Où en est mon colis ?")

    assert (draft["status"], draft["reason"], draft["hold"]) == ("pending", "unknown_link", "unknown_link")
    assert "https://suivi-colis.example/fl" in draft["detail"]
    assert draft["text"] == scripted["text"]
    assert fake.sent == []
