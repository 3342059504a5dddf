"""The reply's one deadline carried through the model's loop (issue 16 review, lookups #2), the usage of
completions already made counted when a later one fails (#7), and who is asking passed with each call
(#3): the real ChatModel loop on a scripted `openai` client and a fake clock, no server."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import httpx2
import openai
import pytest

from helpers.replies import COMPANY_PROMPT, NOW, conversation, message
from inbox.adapters.ai import ChatModel
from inbox.errors import TransientError
from inbox.models import Channel
from inbox.models.ai_lookup import AiLookup, LookupCall, LookupCustomer
from inbox.models.ai_reply import HoldReason
from inbox.models.knowledge import KnowledgeSelection
from inbox.services.ai_replies import ReplyWriter
from inbox.services.ai_settings import AiConfig
from inbox.services.autoreply import WRITE_SECONDS

REPLY = {
    "text": "Votre commande a été expédiée.",
    "language": "fr",
    "confidence": 0.9,
    "needs_person": False,
    "reason": "From the lookup.",
    "passage_ids": [],
}
LOOKUP = AiLookup(
    id="t1-find_order",
    tenant_id="t1",
    name="find_order",
    description="Find an order by its number",
    parameters={"type": "object", "properties": {"order_number": {"type": "string"}}},
    endpoint="https://shop.example.com/lookups/order",
    secret="sealed-secret",
    created_at=NOW,
    updated_at=NOW,
)


class Settings:
    def config(self, tenant_id: str) -> AiConfig:
        return AiConfig("sk-x", "gpt-test", None, "deployment")

    def company_prompt(self, tenant_id: str) -> str:
        return COMPANY_PROMPT


class NoKnowledge:
    def for_prompt(self, tenant_id, conversation_text, budget_tokens) -> KnowledgeSelection:
        return KnowledgeSelection(passages=[], whole=True)


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Completions:
    """A scripted `client.chat.completions`: each completion takes `seconds` on the clock (or times out
    at the request's timeout), asks for find_order while offered tools, then answers REPLY."""

    clock: Clock
    seconds: float
    asked: list[dict[str, Any]] = field(default_factory=list)

    def create(self, **request: Any) -> Any:
        self.asked.append(request)
        timeout = request.get("timeout")
        if timeout is not None and self.seconds > timeout:
            self.clock.now += timeout
            raise openai.APITimeoutError(request=httpx2.Request("POST", "https://api.openai.test/v1/chat"))
        self.clock.now += self.seconds
        usage = SimpleNamespace(prompt_tokens=100, completion_tokens=10, prompt_tokens_details=None)
        if request.get("tool_choice") == "auto":
            call = SimpleNamespace(
                id=f"call-{len(self.asked)}",
                function=SimpleNamespace(name="find_order", arguments='{"order_number": "12345"}'),
            )
            message_ = SimpleNamespace(content=None, tool_calls=[call])
        else:
            message_ = SimpleNamespace(content=json.dumps(REPLY), tool_calls=None)
        return SimpleNamespace(choices=[SimpleNamespace(message=message_)], usage=usage)


@dataclass
class SlowShop:
    """A LookupSource whose every call takes `seconds` on the clock."""

    clock: Clock
    seconds: float = 5.0
    calls: list[LookupCustomer | None] = field(default_factory=list)

    def tools(self, tenant_id: str) -> list[AiLookup]:
        return [LOOKUP]

    def call(
        self, tenant_id: str, found: AiLookup, arguments: dict[str, Any], customer: LookupCustomer | None = None
    ) -> LookupCall:
        self.clock.now += self.seconds
        self.calls.append(customer)
        return LookupCall(name=found.name, arguments=arguments, ok=True, answer={"status": "shipped"}, summary="ok")


def writer_with(seconds_per_completion: float, usage: list | None = None, channel: Channel = Channel.SMS):
    clock = Clock()
    completions = Completions(clock, seconds_per_completion)
    model = ChatModel("sk-x", "gpt-test", guard=None)
    model._client = SimpleNamespace(chat=SimpleNamespace(completions=completions))
    shop = SlowShop(clock)
    counted = (lambda tenant, name, spent: usage.append(spent)) if usage is not None else None
    writer = ReplyWriter(Settings(), NoKnowledge, None, lambda config: model, counted, lambda: shop, timer=clock)

    def write(budget: float):
        started = clock.now
        try:
            return writer.write(
                conversation(channel), [message("Où est ma commande #12345 ?")], folder=None, now=NOW, budget=budget
            )
        finally:
            completions.took = clock.now - started

    return write, completions, shop


def test_a_lookup_with_no_time_left_is_not_made_and_holds_the_reply_within_the_deadline():
    write, completions, shop = writer_with(seconds_per_completion=8)

    proposal = write(budget=16)  # 8 s in, a 5 s lookup and an answer no longer fit

    assert shop.calls == []
    assert [r["tool_choice"] for r in completions.asked] == ["auto", "none"]
    assert (proposal.hold, proposal.hold_detail) == (
        HoldReason.LOOKUP_FAILED,
        "find_order: no time left for this lookup",
    )
    assert completions.took <= 16


def test_tools_are_no_longer_offered_once_a_lookup_and_an_answer_do_not_fit():
    write, completions, shop = writer_with(seconds_per_completion=2)

    proposal = write(budget=20)  # 2 s, a lookup (5 s): 13 s left; 2 s, a lookup: 6 s left, then none

    assert len(shop.calls) == 2
    assert [r["tool_choice"] for r in completions.asked] == ["auto", "auto", "none"]
    assert proposal.hold is None
    assert completions.took <= 20


def test_no_completion_waits_past_the_deadline():
    write, completions, shop = writer_with(seconds_per_completion=8)

    with pytest.raises(TransientError):
        write(budget=20)  # 8 s, a lookup (5 s): the answer gets the 7 s left, not its own 8

    assert len(shop.calls) == 1
    assert completions.asked[-1]["timeout"] == pytest.approx(7)
    assert completions.took == pytest.approx(20)


def test_an_auto_reply_has_room_for_every_lookup_when_the_model_answers_in_its_usual_time():
    write, completions, shop = writer_with(seconds_per_completion=3)

    write(budget=WRITE_SECONDS)

    assert len(shop.calls) == 3
    assert [r["tool_choice"] for r in completions.asked] == ["auto", "auto", "auto", "none"]


def test_the_usage_of_completions_made_is_counted_when_a_later_one_fails():
    usage: list = []
    write, _, _ = writer_with(seconds_per_completion=8, usage=usage)

    with pytest.raises(TransientError):
        write(budget=20)

    assert [(u.prompt_tokens, u.completion_tokens) for u in usage] == [(100, 10)]


def test_the_usage_is_counted_once_when_the_reply_is_written():
    usage: list = []
    write, _, _ = writer_with(seconds_per_completion=2, usage=usage)

    proposal = write(budget=20)

    assert [(u.prompt_tokens, u.completion_tokens) for u in usage] == [(300, 30)]
    assert proposal.usage.prompt_tokens == 300


@pytest.mark.parametrize(
    ("channel", "customer"),
    [
        (Channel.SMS, LookupCustomer(email=None, phone="+33612345678")),
        (Channel.EMAIL, LookupCustomer(email="claire@example.com", phone=None)),
    ],
)
def test_each_call_carries_the_conversations_contact_as_the_channel_gives_it(channel, customer):
    write, _, shop = writer_with(seconds_per_completion=1, channel=channel)

    write(budget=12)  # one lookup

    assert shop.calls == [customer]
