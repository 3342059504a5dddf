"""The OpenAI fake, driven by the real `openai` client: it must parse every answer, errors included."""

from __future__ import annotations

import json
import time
from typing import Any, Literal

import openai
import pytest
import requests
from pydantic import BaseModel

from local.openai import FakeOpenAI

KEY, MODEL = "sk-test-0123456789abcdef", "gpt-4o-mini"
SYSTEM = "You sort customer messages into folders."
CATEGORY = {
    "type": "object",
    "properties": {
        "category": {"type": "string", "enum": ["other", "billing", "booking", "complaint"]},
        "confidence": {"type": "number"},
        "urgent": {"type": "boolean"},
        "summary": {"type": "string"},
        "order": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "contact": {
            "type": "object",
            "properties": {"name": {"type": ["string", "null"]}, "count": {"type": "integer"}},
            "required": ["name", "count"],
            "additionalProperties": False,
        },
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["category", "confidence", "urgent", "summary", "order", "contact", "tags"],
    "additionalProperties": False,
}
NEUTRAL = {
    "category": "other",
    "confidence": 0,
    "urgent": False,
    "summary": "",
    "order": None,
    "contact": {"name": None, "count": 0},
    "tags": [],
}
BILLING = NEUTRAL | {"category": "billing", "confidence": 0.9, "tags": ["invoice"]}
BOOKING = NEUTRAL | {"category": "booking", "confidence": 0.8, "order": "1042"}


HI = {"role": "user", "content": "Hi"}
A = {"a": {"type": "string"}}
DEFS = {"$defs": {"Tag": {"type": "object", "properties": A, "additionalProperties": False}}}


def with_property(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return CATEGORY | {"properties": CATEGORY["properties"] | {name: schema}}


def json_schema(schema: dict[str, Any], name: str = "classification", strict: bool = True) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": name, "strict": strict, "schema": schema}}


@pytest.fixture
def fake():
    with FakeOpenAI(api_key=KEY) as fake:
        yield fake


@pytest.fixture
def client(fake):
    return openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=0, timeout=5)


def classify(client: openai.OpenAI, text: str, schema: dict[str, Any] = CATEGORY, **options: Any):
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]
    return client.chat.completions.create(
        model=MODEL, messages=messages, response_format=json_schema(schema), **options
    )


def test_a_wrong_key_is_an_authentication_error_as_openai_words_it(fake):
    wrong = openai.OpenAI(api_key="sk-wrong-key-123456", base_url=fake.base_url, max_retries=0, timeout=5)
    with pytest.raises(openai.AuthenticationError) as raised:
        classify(wrong, "Hello")
    assert raised.value.status_code == 401
    assert raised.value.code == "invalid_api_key"
    assert raised.value.type == "invalid_request_error"
    assert raised.value.body["message"].startswith("Incorrect API key provided: sk-")
    assert "sk-wrong-key-123456" not in raised.value.body["message"]  # masked, as OpenAI does
    assert [r.status for r in fake.requests] == [401]
    assert fake.completions == []


def test_a_missing_key_is_refused_too(fake):
    response = requests.post(f"{fake.base_url}/chat/completions", json={"model": MODEL, "messages": []}, timeout=5)
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("You didn't provide an API key.")


def test_a_completion_is_a_real_chat_completion_object(fake, client):
    completion = classify(client, "Bonjour")
    assert completion.id.startswith("chatcmpl-")
    assert completion.object == "chat.completion"
    assert completion.model == MODEL
    assert abs(completion.created - time.time()) < 60
    [choice] = completion.choices
    assert (choice.index, choice.finish_reason, choice.message.role) == (0, "stop", "assistant")
    assert choice.message.refusal is None
    assert json.loads(choice.message.content) == NEUTRAL
    assert completion.system_fingerprint == "fp_fake"
    assert completion._request_id.startswith("req_")
    raw = fake.completions[0].answer
    assert set(raw) >= {"id", "object", "created", "model", "choices", "usage", "system_fingerprint"}


def test_usage_counts_four_characters_a_token(fake, client):
    usage = classify(client, "x" * 10).usage
    answer = fake.completions[0].content
    assert usage.prompt_tokens == -(-(len(SYSTEM) + 10) // 4)
    assert usage.completion_tokens == -(-len(answer) // 4)
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert usage.prompt_tokens_details.cached_tokens == 0


def test_a_repeated_long_prefix_is_cached_in_steps_of_128_tokens(fake, client):
    stable = "Rules of the house. " * 250  # 5000 characters: 1250 tokens
    messages = [{"role": "system", "content": stable}, {"role": "user", "content": "First customer"}]
    first = client.chat.completions.create(model=MODEL, messages=messages)
    messages[1]["content"] = "Second customer"
    second = client.chat.completions.create(model=MODEL, messages=messages)
    other_model = client.chat.completions.create(model="gpt-4o", messages=messages)
    short = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": stable[:4000]}])
    assert first.usage.prompt_tokens_details.cached_tokens == 0
    # The 5000 characters before "First"/"Second" are 1250 tokens, cached in whole steps of 128.
    assert second.usage.prompt_tokens_details.cached_tokens == 1152
    assert other_model.usage.prompt_tokens_details.cached_tokens == 0
    assert short.usage.prompt_tokens_details.cached_tokens == 0  # 1000 tokens: under OpenAI's 1024


def test_a_changing_part_first_defeats_the_cache(fake, client):
    stable = "Rules of the house. " * 250
    for customer in ("First customer", "Second customer"):
        messages = [{"role": "user", "content": customer}, {"role": "system", "content": stable}]
        completion = client.chat.completions.create(model=MODEL, messages=messages)
    assert completion.usage.prompt_tokens_details.cached_tokens == 0


def test_keyword_rules_decide_the_answer_deterministically(fake, client):
    fake.when(["invoice", "facture"], BILLING)
    fake.when("réservation", BOOKING)
    fake.when("facture", NEUTRAL | {"category": "complaint"})  # a later rule never beats an earlier one
    texts = [
        "Where is my FACTURE?",
        "Ma Reservation du 12 mai",  # accent- and case-insensitive
        "Ma réservation du 12 mai",
        "Nothing to see",
        "Where is my FACTURE?",
    ]
    answers = [json.loads(classify(client, text).choices[0].message.content) for text in texts]
    assert answers == [BILLING, BOOKING, BOOKING, NEUTRAL, BILLING]


def test_keywords_are_looked_for_in_the_user_messages_only(fake, client):
    fake.when("folders", BILLING)  # a word of the system prompt
    assert json.loads(classify(client, "Hello").choices[0].message.content) == NEUTRAL


def test_the_default_answer_can_be_set(fake, client):
    fake.default_answer = BOOKING
    assert json.loads(classify(client, "Hello").choices[0].message.content) == BOOKING


@pytest.mark.parametrize(
    ("answer", "complaint"),
    [
        ({k: v for k, v in BILLING.items() if k != "urgent"}, "$: missing 'urgent'"),
        (BILLING | {"extra": 1}, "$: unexpected 'extra'"),
        (BILLING | {"category": "spam"}, "$.category: 'spam' is not one of"),
        (BILLING | {"urgent": "yes"}, "$.urgent: 'yes' is not of type boolean"),
        (BILLING | {"confidence": True}, "$.confidence: True is not of type number"),
        (BILLING | {"order": 1042}, "$.order: 1042 fits none of anyOf"),
        (BILLING | {"contact": {"name": "Ann", "count": 1.5}}, "$.contact.count: 1.5 is not of type integer"),
        (BILLING | {"tags": ["a", 2]}, "$.tags[1]: 2 is not of type string"),
    ],
)
def test_a_programmed_answer_that_breaks_the_schema_is_a_500_that_says_why(fake, client, answer, complaint):
    fake.when("invoice", answer)
    with pytest.raises(openai.InternalServerError) as raised:
        classify(client, "invoice")
    assert "does not fit the request's schema" in raised.value.message
    assert complaint in raised.value.message


def test_a_pydantic_schema_from_the_clients_parse_helper_is_accepted_and_answered():
    class Contact(BaseModel):
        name: str | None
        count: int

    class Classification(BaseModel):
        category: Literal["other", "billing"]
        contact: Contact
        previous: Contact | None
        tags: list[Contact]

    with FakeOpenAI(api_key=KEY) as fake:
        client = openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=0, timeout=5)
        contact = {"name": "Ann", "count": 2}
        fake.when("invoice", {"category": "billing", "contact": contact, "previous": None, "tags": [contact]})
        parsed, neutral = (
            client.chat.completions.parse(
                model=MODEL, messages=[{"role": "user", "content": text}], response_format=Classification
            )
            for text in ("My invoice", "Hi")
        )
    assert parsed.choices[0].message.parsed == Classification(
        category="billing", contact=Contact(name="Ann", count=2), previous=None, tags=[Contact(name="Ann", count=2)]
    )
    assert neutral.choices[0].message.parsed == Classification(
        category="other", contact=Contact(name=None, count=0), previous=None, tags=[]
    )
    assert "$defs" in fake.completions[0].body["response_format"]["json_schema"]["schema"]


@pytest.mark.parametrize(
    ("response_format", "complaint"),
    [
        (json_schema({k: v for k, v in CATEGORY.items() if k != "additionalProperties"}), "'additionalProperties'"),
        (json_schema(CATEGORY | {"required": ["category"]}), "Missing 'confidence', 'urgent'"),
        (
            json_schema(with_property("contact", {"type": "object", "properties": A, "required": ["a"]})),
            "context=('properties', 'contact'), 'additionalProperties'",
        ),
        (
            json_schema(with_property("tags", {"type": "array", "items": {"type": "object", "properties": A}})),
            "context=('properties', 'tags', 'items'), 'additionalProperties'",
        ),
        (
            json_schema(with_property("tags", {"type": "array", "items": {"$ref": "#/$defs/Tag"}}) | DEFS),
            "context=('$defs', 'Tag'), 'required'",
        ),
        (json_schema(CATEGORY, strict=False), "strict"),
        (json_schema(CATEGORY, name="a name with spaces"), "expected [A-Za-z0-9_-]{1,64}"),
        (json_schema({"type": "array", "items": {"type": "string"}}), "got 'type: \"array\"'"),
        ({"type": "json_object"}, "json_schema or text"),
    ],
)
def test_a_schema_that_openai_strict_mode_refuses_is_a_400_naming_response_format(client, response_format, complaint):
    messages = [{"role": "user", "content": "Hello"}]
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model=MODEL, messages=messages, response_format=response_format)
    assert raised.value.param.startswith("response_format")
    assert raised.value.type == "invalid_request_error"
    assert complaint in raised.value.message


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": "", "messages": [HI]}, "model"),
        ({"messages": [HI]}, "model"),
        ({"model": MODEL, "messages": []}, "messages"),
        ({"model": MODEL, "messages": [HI, {"role": "bot", "content": "Hi"}]}, "messages.[1].role"),
        ({"model": MODEL, "messages": [{"role": "user", "content": 3}]}, "messages.[0].content"),
    ],
)
def test_a_malformed_request_is_a_400_naming_the_param(client, body, param):
    with pytest.raises(openai.BadRequestError) as raised:
        client.post("/chat/completions", body=body, cast_to=dict)
    assert raised.value.param == param


def test_plain_text_answers_come_from_reply_text(fake, client):
    messages = [{"role": "user", "content": "Can I come on Monday?"}]
    default = client.chat.completions.create(model=MODEL, messages=messages).choices[0].message.content
    fake.reply_text = "Of course."
    fixed = client.chat.completions.create(model=MODEL, messages=messages).choices[0].message.content
    fake.reply_text = lambda sent: f"You said: {sent[-1]['content']}"
    echoed = (
        client.chat.completions.create(model=MODEL, messages=messages, response_format={"type": "text"})
        .choices[0]
        .message.content
    )
    assert default == "Thank you for your message, we are on it."
    assert (fixed, echoed) == ("Of course.", "You said: Can I come on Monday?")


def test_a_rate_limit_is_a_rate_limit_error_with_a_short_retry_after(fake, client):
    fake.fail_next("429")
    with pytest.raises(openai.RateLimitError) as raised:
        classify(client, "Hello")
    assert raised.value.code == "rate_limit_exceeded"
    assert raised.value.response.headers["retry-after"] == "1"
    assert raised.value.response.headers["retry-after-ms"] == "10"
    assert classify(client, "Hello").choices[0].message.content  # only the next one failed


def test_the_client_retries_through_programmed_failures(fake):
    fake.fail_next("429")
    fake.fail_next("500")
    patient = openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=2, timeout=5)
    assert json.loads(classify(patient, "Hello").choices[0].message.content) == NEUTRAL
    assert [r.status for r in fake.requests] == [429, 500, 200]


def test_a_server_error_is_an_internal_server_error_as_many_times_as_asked(fake, client):
    fake.fail_next("500", times=2)
    for _ in range(2):
        with pytest.raises(openai.InternalServerError) as raised:
            classify(client, "Hello")
        assert raised.value.status_code == 500
        assert raised.value.type == "server_error"
        assert "The server had an error" in raised.value.message
    classify(client, "Hello")
    assert [r.status for r in fake.requests] == [500, 500, 200]
    assert len(fake.completions) == 1


def test_a_programmed_timeout_outlasts_a_short_client_timeout(fake):
    fake.hang_seconds = 2
    fake.fail_next("timeout")
    hurried = openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=0, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        classify(hurried, "Hello")
    assert time.monotonic() - started < 1.5
    assert json.loads(classify(hurried, "Hello").choices[0].message.content) == NEUTRAL  # the next one is prompt


def test_a_patient_client_gets_the_answer_after_the_hang(fake, client):
    fake.hang_seconds = 0.3
    fake.fail_next("timeout")
    started = time.monotonic()
    assert json.loads(classify(client, "Hello").choices[0].message.content) == NEUTRAL
    assert time.monotonic() - started >= 0.3


def test_garbage_and_empty_answers_come_back_as_they_are(fake, client):
    fake.fail_next("garbage")
    fake.fail_next("empty")
    garbage = classify(client, "invoice").choices[0].message.content
    empty = classify(client, "invoice").choices[0].message.content
    with pytest.raises(json.JSONDecodeError):
        json.loads(garbage)
    assert garbage == "Sure! Here is the classification: support"
    assert empty == ""


def test_an_outage_answers_503_to_everything(fake, client):
    fake.set_down()
    with pytest.raises(openai.InternalServerError) as raised:
        classify(client, "Hello")
    assert raised.value.status_code == 503
    assert requests.get(f"{fake.base_url}/models", timeout=5).status_code == 503
    fake.set_down(False)
    assert classify(client, "Hello").choices[0].message.content


def test_every_request_is_recorded_with_its_texts(fake, client):
    fake.fail_next("500")
    with pytest.raises(openai.InternalServerError):
        classify(client, "First")
    messages = [
        {"role": "developer", "content": "Be brief."},
        {"role": "user", "content": "Hello"},
        {"role": "assistant", "content": "Hi, how can I help?"},
        {"role": "user", "content": [{"type": "text", "text": "My invoice"}]},
    ]
    client.chat.completions.create(model=MODEL, messages=messages, temperature=0)
    assert requests.get(f"{fake.base_url}/models", timeout=5).status_code == 404
    assert [(r.method, r.path, r.status) for r in fake.requests] == [
        ("POST", "/v1/chat/completions", 500),
        ("POST", "/v1/chat/completions", 200),
        ("GET", "/v1/models", 404),
    ]
    [completion] = fake.completions
    assert completion.headers["authorization"] == f"Bearer {KEY}"
    assert completion.body["temperature"] == 0
    assert fake.user_texts(completion) == "Hello\nMy invoice"
    assert fake.system_texts(completion) == "Be brief."
    assert fake.user_texts(fake.requests[0]) == "First"
    assert fake.system_texts(fake.requests[0].body) == SYSTEM


def test_it_listens_on_a_given_port_and_closes_quickly():
    with FakeOpenAI(api_key=KEY) as first:
        port = first.port
    started = time.monotonic()
    with FakeOpenAI(api_key=KEY, port=port) as fake:
        assert fake.base_url == f"http://127.0.0.1:{port}/v1"
        client = openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=0, timeout=5)
        assert classify(client, "Hello").choices[0].message.content
    assert time.monotonic() - started < 1
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/v1/models", timeout=1)


def test_closing_releases_a_request_held_by_a_programmed_timeout():
    fake = FakeOpenAI(api_key=KEY, hang_seconds=30)
    fake.fail_next("timeout")
    hurried = openai.OpenAI(api_key=KEY, base_url=fake.base_url, max_retries=0, timeout=0.2)
    with pytest.raises(openai.APITimeoutError):
        classify(hurried, "Hello")
    started = time.monotonic()
    fake.close()
    assert time.monotonic() - started < 1
    deadline = time.monotonic() + 2
    while not fake.requests and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [r.status for r in fake.requests] == [200]  # answered at once on close, to nobody
