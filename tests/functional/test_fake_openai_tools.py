"""The fake OpenAI's function calling (issue 16), driven by the real `openai` client: tools, tool_choice and
the tool_calls/tool messages checked as OpenAI checks them, the deterministic rule that calls an offered
function with the number the customer's message carries, programmed calls, and the inbox's reply written
from what the lookups answered."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest

from local.openai import FakeOpenAI

KEY, MODEL = "sk-test-tools-0123456789abcdef", "gpt-4o-mini"
ORDER = {"order_number": "12345", "status": "shipped", "shipped_on": "2026-11-28", "tracking": "6A12345678901"}
PARAMETERS = {
    "type": "object",
    "properties": {"order_number": {"type": "string"}},
    "required": ["order_number"],
    "additionalProperties": False,
}
FIND_ORDER = {
    "type": "function",
    "function": {"name": "find_order", "description": "Find an order", "strict": True, "parameters": PARAMETERS},
}
FIND_BOOKING = {
    "type": "function",
    "function": {
        "name": "find_booking",
        "strict": True,
        "parameters": PARAMETERS
        | {"properties": {"booking_number": {"type": "string"}}, "required": ["booking_number"]},
    },
}
REPLY_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "reply_proposal",
        "strict": True,
        "schema": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text", "language", "confidence", "needs_person", "reason", "passage_ids"],
            "properties": {
                "text": {"type": "string"},
                "language": {"type": "string"},
                "confidence": {"type": "number"},
                "needs_person": {"type": "boolean"},
                "reason": {"type": "string"},
                "passage_ids": {"type": "array", "items": {"type": "string"}},
            },
        },
    },
}


@pytest.fixture
def fake():
    with FakeOpenAI(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def client(fake):
    return openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=0, timeout=5)


def inbox_user(text: str) -> dict[str, str]:
    """The user message as the inbox writes it: the conversation as JSON data."""
    data = {"channel": "email", "messages": [{"direction": "inbound", "text": text}]}
    return {"role": "user", "content": f"The conversation to answer, as JSON data:\n{json.dumps(data)}"}


def ask(client, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None, **options: Any):
    extra = {"tools": tools} if tools is not None else {}
    return client.chat.completions.create(
        model=MODEL, messages=messages, response_format=REPLY_SCHEMA, **extra, **options
    )


@pytest.mark.parametrize(
    "text", ["Où est ma commande #12345 ?", "Bonjour, ma commande 12345 n'est pas arrivée", "Where is order no. 12345?"]
)
def test_an_offered_function_is_called_with_the_number_the_customer_gave(client, text):
    completion = ask(client, [inbox_user(text)], [FIND_ORDER])

    [choice] = completion.choices
    assert (choice.finish_reason, choice.message.content) == ("tool_calls", None)
    [call] = choice.message.tool_calls
    assert (call.type, call.function.name, json.loads(call.function.arguments)) == (
        "function",
        "find_order",
        {"order_number": "12345"},
    )
    assert call.id.startswith("call_")


def test_no_number_no_call_and_tool_choice_none_never_calls(client):
    plain = ask(client, [inbox_user("Bonjour, quels sont vos horaires ?")], [FIND_ORDER])
    told_not_to = ask(client, [inbox_user("Commande #12345 ?")], [FIND_ORDER], tool_choice="none")

    for completion in (plain, told_not_to):
        assert completion.choices[0].finish_reason == "stop"
        assert completion.choices[0].message.tool_calls is None
        assert json.loads(completion.choices[0].message.content)["text"]


def test_parallel_calls_unless_told_not_to(client):
    text = "Ma commande #12345 et ma réservation"
    both = ask(client, [inbox_user(text)], [FIND_ORDER, FIND_BOOKING])
    one = ask(client, [inbox_user(text)], [FIND_ORDER, FIND_BOOKING], parallel_tool_calls=False)

    assert [c.function.name for c in both.choices[0].message.tool_calls] == ["find_order", "find_booking"]
    assert [c.function.name for c in one.choices[0].message.tool_calls] == ["find_order"]


def answered(completion, content: Any) -> list[dict[str, Any]]:
    """The assistant's tool_calls message and a tool message answering each call with `content`."""
    calls = completion.choices[0].message.tool_calls
    assistant = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": c.id, "type": "function", "function": {"name": c.function.name, "arguments": c.function.arguments}}
            for c in calls
        ],
    }
    return [assistant, *({"role": "tool", "tool_call_id": c.id, "content": json.dumps(content)} for c in calls)]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "Où est ma commande #12345 ?",
            "Votre commande a été expédiée le 28/11/2026. Numéro de suivi : 6A12345678901.",
        ),
        ("Where is my order #12345?", "Your order was shipped on 28/11/2026. Tracking number: 6A12345678901."),
    ],
)
def test_after_the_lookup_answered_the_reply_gives_its_facts(client, text, said):
    first = ask(client, [inbox_user(text)], [FIND_ORDER])
    messages = [inbox_user(text), *answered(first, {"ok": True, "answer": ORDER})]

    final = ask(client, messages, [FIND_ORDER])

    assert final.choices[0].finish_reason == "stop"  # results are in: no second call
    reply = json.loads(final.choices[0].message.content)
    assert said in reply["text"]
    assert (reply["confidence"], reply["needs_person"]) == (0.9, False)


def test_a_failed_lookup_gets_a_person_will_follow_up(client):
    first = ask(client, [inbox_user("Où est ma commande #99999 ?")], [FIND_ORDER])
    messages = [inbox_user("Où est ma commande #99999 ?"), *answered(first, {"ok": False, "error": "HTTP 404"})]

    reply = json.loads(ask(client, messages, [FIND_ORDER]).choices[0].message.content)

    assert "Une personne de notre équipe" in reply["text"]
    assert reply["confidence"] == 0.3


def test_programmed_calls_come_first_whatever_was_offered(fake, client):
    fake.call_next(("find_invoice", {"tenant_id": "t2"}))

    completion = ask(client, [inbox_user("Bonjour")], [FIND_ORDER])
    after = ask(client, [inbox_user("Bonjour")], [FIND_ORDER])

    [call] = completion.choices[0].message.tool_calls
    assert (call.function.name, json.loads(call.function.arguments)) == ("find_invoice", {"tenant_id": "t2"})
    assert after.choices[0].message.tool_calls is None  # once


def test_usage_counts_a_calls_arguments_as_completion_tokens(client):
    completion = ask(client, [inbox_user("Commande #12345")], [FIND_ORDER])

    assert completion.usage.completion_tokens > 0


CALL = {"id": "call_1", "type": "function", "function": {"name": "find_order", "arguments": "{}"}}
USER = {"role": "user", "content": "Commande #12345"}


@pytest.mark.parametrize(
    ("options", "param", "complaint"),
    [
        ({"tools": []}, "tools", "empty array"),
        ({"tools": [{"type": "retrieval"}]}, "tools[0].type", "type 'function'"),
        (
            {"tools": [{"type": "function", "function": {"name": "find order", "parameters": PARAMETERS}}]},
            "tools[0].function.name",
            "does not match pattern",
        ),
        (
            {
                "tools": [
                    {
                        "type": "function",
                        "function": {
                            "name": "find_order",
                            "strict": True,
                            "parameters": {"type": "object", "properties": {"order_number": {"type": "string"}}},
                        },
                    }
                ]
            },
            "tools[0].function.parameters",
            "'additionalProperties' is required",
        ),
        ({"tools": [FIND_ORDER, FIND_ORDER]}, "tools", "unique"),
        ({"tool_choice": "auto"}, "tool_choice", "only allowed when 'tools' are specified"),
        ({"parallel_tool_calls": False}, "parallel_tool_calls", "only allowed when 'tools' are specified"),
        ({"tools": [FIND_ORDER], "tool_choice": "sometimes"}, "tool_choice", "Supported values"),
        (
            {"tools": [FIND_ORDER], "tool_choice": {"type": "function", "function": {"name": "find_invoice"}}},
            "tool_choice",
            "no function named",
        ),
        (
            {"tools": [FIND_ORDER], "messages": [USER, {"role": "assistant", "content": None, "tool_calls": [CALL]}]},
            "messages.[1].role",
            "did not have response messages: call_1",
        ),
        (
            {"tools": [FIND_ORDER], "messages": [USER, {"role": "tool", "tool_call_id": "call_1", "content": "{}"}]},
            "messages.[1].role",
            "must be a response to a preceeding message with 'tool_calls'",
        ),
    ],
)
def test_what_openai_refuses_in_function_calling_is_a_400_naming_the_param(client, options, param, complaint):
    body = {"model": MODEL, "messages": [USER]} | options
    with pytest.raises(openai.BadRequestError) as raised:
        client.post("/chat/completions", body=body, cast_to=dict)
    assert raised.value.param == param
    assert complaint in raised.value.message
