"""A lookup's arguments are checked in one place (issue 16, item 1 leftovers): lookup_tools.checked_arguments,
which the reply writer's arguments_of, the lookups service's call and an admin's test call all go through.
Arguments the reply writer had checked reach the endpoint without a second check; any other arguments,
those checked for another lookup's parameters included, are checked before anything is sent."""

from __future__ import annotations

import json

import pytest
from test_lookup_calls import ADMIN, ORDER, Answer, service

from inbox.domain import lookup_answers, lookup_tools
from inbox.errors import InvalidInputError

BOOKING = {"type": "object", "properties": {"booking": {"type": "string"}}, "required": ["booking"]}
OPTIONAL = {
    "type": "object",
    "properties": {"order_number": {"type": "string"}, "email": {"type": "string"}},
    "required": ["order_number"],
}


@pytest.fixture
def checks(monkeypatch) -> list[object]:
    """Each value the rules checked, in order, whoever applied them (every check of the arguments'
    values goes through lookup_answers._value_problem, whatever module imported the rules)."""
    seen: list[object] = []
    rule = lookup_answers._value_problem

    def counted(spec, value):
        seen.append(value)
        return rule(spec, value)

    monkeypatch.setattr(lookup_answers, "_value_problem", counted)
    return seen


def test_the_models_arguments_are_checked_once_on_their_way_to_the_endpoint(checks):
    lookups, sent = service(Answer(200, b'{"status": "shipped"}'))
    lookup, _ = lookups.create(ADMIN, "find_order", "Find an order", OPTIONAL, "https://shop.example.com/order")

    arguments = lookup_tools.arguments_of(lookup.parameters, '{"order_number": "12345", "email": null}')
    call = lookups.call("t1", lookup, arguments)

    assert call.ok
    assert checks == ["12345", None]  # once: not again when the service makes the call
    [(_, body, _)] = sent
    assert json.loads(body)["parameters"] == {"order_number": "12345"}  # the null left out


def test_arguments_given_as_a_plain_dict_are_checked_by_the_same_rules(checks):
    lookups, sent = service(Answer(200, b"{}"))
    lookup, _ = lookups.create(ADMIN, "find_order", "Find an order", OPTIONAL, "https://shop.example.com/order")

    assert lookups.call("t1", lookup, {"order_number": "1", "email": None}).ok
    assert lookups.call("t1", lookup, {"order_number": 1}).error == "arguments: order_number must be a string"

    assert checks == ["1", None, 1]
    assert [json.loads(body)["parameters"] for _, body, _ in sent] == [{"order_number": "1"}]


def test_arguments_checked_for_another_lookup_are_checked_again_and_refused(checks):
    lookups, sent = service(Answer(200, b"{}"))
    booking, _ = lookups.create(ADMIN, "find_booking", "Find a booking", BOOKING, "https://shop.example.com/b")
    for_orders = lookup_tools.arguments_of(ORDER, '{"order_number": "12345"}')

    call = lookups.call("t1", booking, for_orders)

    assert (call.ok, call.error) == (False, "arguments: 'order_number' is not a parameter")
    assert checks == ["12345"]  # for find_order's parameters; refused before its values for find_booking's
    assert sent == []


def test_an_admins_test_call_is_checked_by_the_same_rules_as_a_422(checks):
    lookups, sent = service(Answer(200, b"{}"))
    lookup, _ = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")

    with pytest.raises(InvalidInputError) as refused:
        lookups.test(ADMIN, lookup.id, {"order_number": 12345})

    assert (refused.value.field, str(refused.value)) == ("arguments", "arguments: order_number must be a string")
    assert lookups.test(ADMIN, lookup.id, {"order_number": "12345"}).ok
    assert checks == [12345, "12345"]
    assert len(sent) == 1
