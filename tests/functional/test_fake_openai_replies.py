"""The fake OpenAI's own answers to the inbox's reply and summary schemas (issue 12, item 8), through the
real `openai` client; the ReplyWriter tests (test_reply_writer.py) drive it with the inbox's prompts."""

from __future__ import annotations

import json

import openai
import pytest

from helpers.replies import COMPANY_PROMPT, KNOWLEDGE, NOW, conversation, message
from inbox.domain import reply_prompt, summary_prompt
from inbox.domain.reply_prompt import reply_messages
from local.openai import FakeOpenAI

KEY = "sk-test-fake-replies-0123456789"
CLASSIFICATION = {
    "type": "object",
    "properties": {"category": {"type": "string"}},
    "required": ["category"],
    "additionalProperties": False,
}


@pytest.fixture
def fake():
    with FakeOpenAI(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def client(fake):
    return openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=0, timeout=5)


def ask(client, messages, name: str, schema) -> dict:
    response_format = {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
    completion = client.chat.completions.create(model="gpt-test", messages=messages, response_format=response_format)
    assert completion.object == "chat.completion"
    assert completion.choices[0].finish_reason == "stop"
    return json.loads(completion.choices[0].message.content)


def reply_to(client, text: str) -> dict:
    prompt = reply_messages(COMPANY_PROMPT, KNOWLEDGE, conversation(), [message(text)], NOW)
    return ask(client, prompt, reply_prompt.REPLY_SCHEMA_NAME, reply_prompt.reply_schema())


def test_a_reply_quotes_the_passage_sharing_the_most_words_in_the_customers_language(client):
    answer = reply_to(client, "Is the shop at rue Mercière open on Sunday? What are the opening hours (horaires)?")
    assert answer["passage_ids"] == ["horaires:0"]
    assert answer["language"] == "en"
    assert answer["text"].startswith("Hello, La boutique du 12 rue Mercière est ouverte")
    assert set(answer) == set(reply_prompt.reply_schema()["required"])


def test_a_classification_rule_leaves_reply_requests_alone(fake, client):
    fake.when("livrée", {"category": "delivery"})  # as the local stack's seed programs its classification
    fake.default_answer = {"category": "other"}
    assert ask(client, [{"role": "user", "content": "livrée ?"}], "classification", CLASSIFICATION) == {
        "category": "delivery"
    }
    answer = reply_to(client, "Ma commande passée avant 14 h sera-t-elle livrée le jour même ?")
    assert answer["passage_ids"] == ["livraison:0"]


def test_a_rule_naming_the_reply_schema_scripts_the_reply(fake, client):
    scripted = {"text": "Scripted", "language": "fr", "confidence": 1, "needs_person": False}
    fake.when("cactus", scripted | {"reason": "", "passage_ids": []}, schema=reply_prompt.REPLY_SCHEMA_NAME)
    assert reply_to(client, "Des cactus ?")["text"] == "Scripted"
    assert ask(client, [{"role": "user", "content": "cactus"}], "classification", CLASSIFICATION) == {"category": ""}


def test_a_prompt_that_is_not_the_inboxs_still_gets_a_follow_up(client):
    answer = ask(client, [{"role": "user", "content": "Hello there"}], "reply_proposal", reply_prompt.reply_schema())
    assert answer["confidence"] == 0.3
    assert answer["text"].startswith("Hello, thank you")


def test_a_summary_answers_its_schema(client):
    prompt = summary_prompt.summary_messages(conversation(), [message("Where is my order? It is late.")], NOW)
    answer = ask(client, prompt, summary_prompt.SUMMARY_SCHEMA_NAME, summary_prompt.summary_schema())
    assert answer == {
        "key_points": ["Where is my order?"],
        "customer_wants": "Where is my order?",
        "promised": [],
        "language": "en",
    }
