"""Checked arguments cannot change after their check (review 16b, nit 7): a call relies on the check
checked_arguments made, so a key added afterwards would reach the endpoint unchecked. Every change is
refused; a copy is a plain dict, checked again like any other; they still serialise as the dict they are."""

from __future__ import annotations

import copy
import json

import pytest
from test_lookup_calls import ADMIN, Answer, service

from inbox.domain import lookup_tools
from inbox.models.ai_lookup import LookupCall

ORDER = {"type": "object", "properties": {"order_number": {"type": "string"}}, "required": ["order_number"]}

CHANGES = {
    "set a key": lambda a: a.__setitem__("admin", True),
    "delete a key": lambda a: a.__delitem__("order_number"),
    "update": lambda a: a.update(admin=True),
    "merge in place": lambda a: a.__ior__({"admin": True}),
    "setdefault": lambda a: a.setdefault("admin", True),
    "pop": lambda a: a.pop("order_number"),
    "popitem": lambda a: a.popitem(),
    "clear": lambda a: a.clear(),
    "swap the parameters": lambda a: setattr(a, "parameters", {"type": "object"}),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_checked_arguments_refuse_every_change(change):
    checked = lookup_tools.arguments_of(ORDER, '{"order_number": "12345"}')

    with pytest.raises(TypeError, match="checked arguments cannot be changed"):
        change(checked)

    assert checked == {"order_number": "12345"}
    assert checked.parameters == ORDER


def test_a_key_added_to_a_copy_is_checked_again_and_nothing_is_sent():
    lookups, sent = service(Answer(200, b"{}"))
    lookup, _ = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
    checked = lookup_tools.arguments_of(lookup.parameters, '{"order_number": "12345"}')

    for made in (dict(checked), checked.copy(), copy.copy(checked), copy.deepcopy(checked), checked | {}):
        assert type(made) is dict
        made["admin"] = True
        call = lookups.call("t1", lookup, made)
        assert (call.ok, call.error) == (False, "arguments: 'admin' is not a parameter")

    assert sent == []


def test_parameters_changed_in_place_after_the_check_make_it_again():
    parameters = copy.deepcopy(ORDER)
    checked = lookup_tools.checked_arguments(parameters, {"order_number": "12345"})
    parameters["properties"]["order_number"]["enum"] = ["1"]

    with pytest.raises(lookup_tools.ArgumentsError):
        lookup_tools.checked_arguments(parameters, checked)


def test_checked_arguments_serialise_as_the_dict_they_are():
    checked = lookup_tools.arguments_of(ORDER, '{"order_number": "12345"}')

    assert json.dumps(checked) == '{"order_number": "12345"}'
    call = LookupCall(name="find_order", arguments=checked, ok=True)
    assert call.model_dump(mode="json")["arguments"] == {"order_number": "12345"}
    assert lookup_tools.checked_arguments(ORDER, checked) is checked  # still not checked twice
