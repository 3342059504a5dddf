"""The reply writer's lookups without any server (issue 16, item 1): a scripted model that asks for calls
through the writer's `run_tool`, and a fake LookupSource. How a lookup is offered, which calls reach
it, what the model is given back, what is recorded, and when the reply is held."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from helpers.replies import COMPANY_PROMPT, NOW, conversation, message
from inbox.domain import lookup_tools
from inbox.models import Channel
from inbox.models.ai_lookup import MAX_CALLS_PER_REPLY, AiLookup, LookupCall, LookupCustomer
from inbox.models.ai_reply import HoldReason
from inbox.models.knowledge import KnowledgeSelection
from inbox.services.ai_replies import ReplyWriter
from inbox.services.ai_settings import AiConfig

ORDER = {"order_number": "12345", "status": "shipped", "shipped_on": "2026-11-28", "tracking": "6A12345678901"}
REPLY = {
    "text": "Votre commande a été expédiée le 28/11/2026. Numéro de suivi : 6A12345678901.",
    "language": "fr",
    "confidence": 0.9,
    "needs_person": False,
    "reason": "From the lookup.",
    "passage_ids": [],
}


def lookup(tenant_id: str = "t1", name: str = "find_order", **parameters: Any) -> AiLookup:
    return AiLookup(
        id=f"{tenant_id}-{name}",
        tenant_id=tenant_id,
        name=name,
        description="Find an order by its number",
        parameters=parameters or {"type": "object", "properties": {"order_number": {"type": "string"}}},
        endpoint="https://shop.example.com/lookups/order",
        secret="sealed-secret",
        created_at=NOW,
        updated_at=NOW,
    )


@dataclass
class Source:
    """A fake LookupSource: the tenants' lookups, the calls it got, what each answers."""

    lookups: dict[str, list[AiLookup]] = field(default_factory=lambda: {"t1": [lookup()], "t2": [lookup("t2")]})
    fail: str | None = None
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    customers: list[LookupCustomer | None] = field(default_factory=list)

    def tools(self, tenant_id: str) -> list[AiLookup]:
        return self.lookups.get(tenant_id, [])

    def call(
        self, tenant_id: str, found: AiLookup, arguments: dict[str, Any], customer: LookupCustomer | None = None
    ) -> LookupCall:
        self.calls.append((tenant_id, found.id, arguments))
        self.customers.append(customer)
        if self.fail:
            return LookupCall(name=found.name, arguments=arguments, ok=False, error=self.fail, summary="failed")
        return LookupCall(name=found.name, arguments=arguments, ok=True, answer=ORDER, summary="shipped")


@dataclass
class ScriptedModel:
    """Asks for `asks` (name, arguments as JSON text), one call each, then answers `reply`."""

    asks: list[tuple[str, str]]
    reply: dict[str, Any] = field(default_factory=lambda: dict(REPLY))
    offered: list[dict[str, Any]] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    plain_calls: int = 0

    def complete_json(self, messages, name, schema):
        self.plain_calls += 1
        return self.reply, None

    def complete_json_with_tools(
        self, messages, name, schema, tools, run_tool: Callable[[str, str], str], max_calls, **limits
    ):
        self.offered = tools
        for asked_name, arguments in self.asks[:max_calls]:
            self.results.append(run_tool(asked_name, arguments))
        return self.reply, None


class Settings:
    def config(self, tenant_id: str) -> AiConfig:
        return AiConfig("sk-x", "gpt-test", None, "deployment")

    def company_prompt(self, tenant_id: str) -> str:
        return COMPANY_PROMPT


class NoKnowledge:
    def for_prompt(self, tenant_id, conversation_text, budget_tokens) -> KnowledgeSelection:
        return KnowledgeSelection(passages=[], whole=True)


def write(model: ScriptedModel, source: Source | None, tenant_id: str = "t1"):
    writer = ReplyWriter(
        Settings(), NoKnowledge, None, lambda config: model, lookups=(lambda: source) if source else None
    )
    return writer.write(
        conversation(Channel.SMS, tenant_id=tenant_id), [message("Où est ma commande #12345 ?")], folder=None, now=NOW
    )


def test_the_answer_of_a_call_is_given_back_as_data_and_recorded():
    model, source = ScriptedModel([("find_order", '{"order_number": "12345"}')]), Source()

    proposal = write(model, source)

    assert source.calls == [("t1", "t1-find_order", {"order_number": "12345"})]
    assert [json.loads(r) for r in model.results] == [{"ok": True, "answer": ORDER}]
    assert [(c.name, c.ok, c.answer) for c in proposal.lookups] == [("find_order", True, ORDER)]
    assert proposal.hold is None


def test_only_the_conversations_tenants_lookups_are_offered_and_called():
    model, source = ScriptedModel([("find_order", '{"order_number": "12345"}')]), Source()

    write(model, source, tenant_id="t2")

    assert [c[:2] for c in source.calls] == [("t2", "t2-find_order")]
    assert [t["function"]["name"] for t in model.offered] == ["find_order"]


def test_no_lookup_no_tools_one_plain_completion():
    model = ScriptedModel([])

    proposal = write(model, Source(lookups={}))
    write(model, None)

    assert (model.plain_calls, model.offered, proposal.lookups) == (2, [], [])


@pytest.mark.parametrize(
    ("asked", "error"),
    [
        (("find_invoice", '{"order_number": "12345"}'), "no lookup of that name was offered"),
        (("find_order", "not json"), "arguments: the arguments are not JSON"),
        (("find_order", '["12345"]'), "arguments: must be a JSON object"),
        (("find_order", '{"order_number": 12345}'), "arguments: order_number must be a string"),
        (("find_order", '{"order_number": "1", "tenant_id": "t2"}'), "arguments: 'tenant_id' is not a parameter"),
    ],
)
def test_a_call_that_does_not_fit_is_refused_before_any_endpoint_and_holds_the_reply(asked, error):
    model, source = ScriptedModel([asked]), Source()

    proposal = write(model, source)

    assert source.calls == []
    [call] = proposal.lookups
    assert (call.name, call.ok, call.error) == (asked[0], False, error)
    assert json.loads(model.results[0]) == {"ok": False, "error": error}
    assert (proposal.hold, proposal.hold_detail) == (HoldReason.LOOKUP_FAILED, f"{asked[0]}: {error}")


def test_a_failed_lookup_holds_even_a_confident_reply():
    model, source = ScriptedModel([("find_order", '{"order_number": "12345"}')]), Source(fail="HTTP 500")

    proposal = write(model, source)

    assert proposal.confidence == 0.9
    assert (proposal.hold, proposal.hold_detail) == (HoldReason.LOOKUP_FAILED, "find_order: HTTP 500")


def test_the_writer_gives_the_model_its_bound():
    asks = [("find_order", json.dumps({"order_number": str(n)})) for n in range(MAX_CALLS_PER_REPLY + 2)]
    model, source = ScriptedModel(asks), Source()

    proposal = write(model, source)

    assert len(source.calls) == len(proposal.lookups) == MAX_CALLS_PER_REPLY


def test_a_link_the_lookup_gave_is_not_held_as_unknown():
    model, source = ScriptedModel([("find_order", '{"order_number": "12345"}')]), Source()
    tracked = ORDER | {"tracking_url": "https://suivi.colissimo.example/6A12345678901"}
    source.call = lambda tenant_id, found, arguments, customer=None: LookupCall(  # type: ignore[method-assign]
        name=found.name, arguments=arguments, ok=True, answer=tracked, summary="shipped"
    )
    model.reply = REPLY | {"text": "Suivez-la ici : https://suivi.colissimo.example/6A12345678901"}

    assert write(model, source).hold is None


def test_the_tool_shows_name_description_and_strict_parameters_only():
    optional = lookup(
        type="object",
        properties={"order_number": {"type": "string", "description": "The number"}, "zip": {"type": "string"}},
        required=["order_number"],
    )

    tool = lookup_tools.tool_definition(optional)

    assert tool == {
        "type": "function",
        "function": {
            "name": "find_order",
            "description": "Find an order by its number",
            "strict": True,
            "parameters": {
                "type": "object",
                "properties": {
                    "order_number": {"type": "string", "description": "The number"},
                    "zip": {"type": ["string", "null"]},
                },
                "required": ["order_number", "zip"],
                "additionalProperties": False,
            },
        },
    }
    assert "shop.example.com" not in json.dumps(tool)
    assert "sealed-secret" not in json.dumps(tool)
    # the optional one given as null (strict mode's way of leaving it out) is not sent
    assert lookup_tools.arguments_of(optional.parameters, '{"order_number": "1", "zip": null}') == {"order_number": "1"}


# ---------------------------------------------------------------- issue 16 review (lookups #5, #8)


def test_arguments_are_read_as_strangers_json():
    parameters = lookup(type="object", properties={"n": {"type": "number"}}).parameters

    with pytest.raises(lookup_tools.ArgumentsError, match="NaN"):
        lookup_tools.arguments_of(parameters, '{"n": NaN}')
    with pytest.raises(lookup_tools.ArgumentsError, match="nested"):
        lookup_tools.arguments_of(parameters, "[" * 100_000)
    assert lookup_tools.loose_arguments("[" * 100_000) == {}
    assert lookup_tools.loose_arguments('{"n": "\\ud800"}') == {}


def test_a_refused_call_records_at_most_a_little_of_what_the_model_wrote():
    small, large = {"x": "y" * 100}, {"x": "y" * 5_000}

    assert lookup_tools.refused("nope", json.dumps(small), "why").arguments == small
    assert lookup_tools.refused("nope", json.dumps(large), "why").arguments == {}


@pytest.mark.parametrize("arguments", ["[" * 100_000, '{"order_number": NaN}', '{"order_number": "\\udc00"}'])
def test_arguments_the_reader_refuses_hold_the_reply_and_raise_nothing(arguments):
    model, source = ScriptedModel([("find_order", arguments)]), Source()

    proposal = write(model, source)

    assert source.calls == []
    assert proposal.hold is HoldReason.LOOKUP_FAILED
    assert proposal.lookups[0].arguments == {}


def test_the_model_is_told_no_host_the_guard_named():
    refused = "refused: shop.example.com is a private address (10.0.0.7)"
    call = LookupCall(name="find_order", arguments={}, ok=False, error=refused)

    told = lookup_tools.tool_result(call)

    assert "shop.example.com" not in told
    assert "10.0.0.7" not in told
    assert json.loads(told) == {"ok": False, "error": "the lookup failed"}
    timed_out = call.model_copy(update={"error": "no complete answer within 5 s"})
    assert json.loads(lookup_tools.tool_result(timed_out))["error"] == "the lookup did not answer in time"
    not_found = call.model_copy(update={"error": "HTTP 404: order not found"})
    assert json.loads(lookup_tools.tool_result(not_found))["error"] == "HTTP 404: order not found"


def test_a_failure_the_model_is_told_coarsely_is_kept_whole_for_people():
    model = ScriptedModel([("find_order", '{"order_number": "12345"}')])
    source = Source(fail="refused: shop.lan is private")

    proposal = write(model, source)

    assert json.loads(model.results[0])["error"] == "the lookup failed"
    assert proposal.lookups[0].error == "refused: shop.lan is private"
    assert proposal.hold_detail == "find_order: refused: shop.lan is private"
