"""The tenant's lookups as the model sees them, and what the model asks of them: pure, no I/O.

A lookup is offered as a function of Chat Completions' function calling: its name, its description
and its parameters, never its endpoint nor its secret. The parameters go in strict form (every
property required, no other key; an optional one may be null), which OpenAI needs to hold the model
to them. What the model asks is checked against the lookup's own schema before any call (once, by
checked_arguments, which the lookups service relies on too): a strict schema is a request the
provider honours, not a guarantee. What comes back is given to the
model as data (see reply_prompt.INSTRUCTIONS: never instructions).
"""

from __future__ import annotations

import copy
import json
from typing import Any, NoReturn

from inbox.domain.json_text import read_json
from inbox.domain.lookup_answers import arguments_problem, failed_call
from inbox.errors import InvalidInputError
from inbox.models.ai_lookup import AiLookup, LookupCall

NOT_OFFERED = "no lookup of that name was offered"
NO_TIME_LEFT = "no time left for this lookup"
MAX_RECORDED_ARGUMENTS = 2_048  # bytes of a refused call's arguments kept with the draft: the model wrote them
# Failures the model is told in our own words as they are (they name no host, no address): the rest,
# the guard's refusals and the connection's failures above all, reach it only as a coarse reason.
_SAID_AS_THEY_ARE = (NOT_OFFERED, NO_TIME_LEFT, "the lookup is turned off", "not this tenant's lookup")
_SAID_FROM = ("arguments: ", "HTTP ")  # our checks of the arguments; the endpoint's status and its own words


class ArgumentsError(ValueError):
    """The model's arguments do not fit the lookup's parameters: the call is not made."""


class CheckedArguments(dict[str, Any]):
    """Arguments that fit `parameters`, as checked_arguments made them: a call for a lookup of these
    parameters relies on that check rather than making it again, so they cannot be changed after it
    (every change is a TypeError; still a dict, for json.dumps and the models). A copy is a plain
    dict: checked anew."""

    def __init__(self, arguments: dict[str, Any], parameters: dict[str, Any]):
        super().__init__(arguments)
        object.__setattr__(self, "parameters", copy.deepcopy(parameters))  # what they were checked against

    def _refused(self, *_: Any, **__: Any) -> NoReturn:
        raise TypeError("checked arguments cannot be changed: check the changed copy (checked_arguments)")

    __setitem__ = __delitem__ = __ior__ = __setattr__ = __delattr__ = _refused
    clear = pop = popitem = setdefault = update = _refused

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(self), memo)


def tool_definition(lookup: AiLookup) -> dict[str, Any]:
    """The function the model is offered for `lookup` (Chat Completions' `tools` item)."""
    properties: dict[str, Any] = {}
    required = set(lookup.parameters.get("required") or [])
    for name, spec in (lookup.parameters.get("properties") or {}).items():
        kind = spec.get("type", "string") if isinstance(spec, dict) else "string"
        item: dict[str, Any] = {"type": kind if name in required else [kind, "null"]}
        if isinstance(spec, dict) and isinstance(spec.get("description"), str):
            item["description"] = spec["description"]
        if isinstance(spec, dict) and isinstance(spec.get("enum"), list):
            item["enum"] = spec["enum"] if name in required else [*spec["enum"], None]
        properties[name] = item
    return {
        "type": "function",
        "function": {
            "name": lookup.name,
            "description": lookup.description,
            "strict": True,
            "parameters": {
                "type": "object",
                "properties": properties,
                "required": list(properties),
                "additionalProperties": False,
            },
        },
    }


def arguments_of(parameters: dict[str, Any], raw: str) -> CheckedArguments:
    """The arguments to send, from the model's JSON text: read as strangers' JSON (json_text.read_json:
    no NaN, no half of a character, nesting bounded), then checked_arguments. ArgumentsError says what
    is wrong."""
    try:
        arguments = read_json(raw or "{}", "arguments")
    except InvalidInputError as error:
        raise ArgumentsError(_unreadable(error)) from error
    return checked_arguments(parameters, arguments)


def checked_arguments(parameters: dict[str, Any], arguments: Any) -> CheckedArguments:
    """The one check of a lookup's arguments before anything is sent, whoever gives them (the model
    through arguments_of, an admin's test call, any caller of AiLookups.call): they fit the lookup's
    `parameters` (lookup_answers.arguments_problem), and an optional one given as null is left out.
    Arguments this made for the same parameters pass as they are. ArgumentsError says what is wrong."""
    if isinstance(arguments, CheckedArguments) and arguments.parameters == parameters:
        return arguments
    problem = arguments_problem(parameters, arguments)
    if problem:
        raise ArgumentsError(problem)
    return CheckedArguments({name: value for name, value in arguments.items() if value is not None}, parameters)


def _unreadable(error: InvalidInputError) -> str:
    said = str(error).removeprefix("arguments: ")
    return "the arguments are not JSON" if said == "is not valid JSON" else f"the arguments' text {said}"


def loose_arguments(raw: str) -> dict[str, Any]:
    """The model's arguments as recorded for a call that was not made: the JSON object when it reads
    (as arguments_of reads it) and is at most MAX_RECORDED_ARGUMENTS written out, or nothing."""
    try:
        value = read_json(raw or "{}", "arguments")
    except InvalidInputError:
        return {}
    if not isinstance(value, dict):
        return {}
    written = json.dumps(value, ensure_ascii=False).encode()
    return value if len(written) <= MAX_RECORDED_ARGUMENTS else {}


def refused(name: str, raw: str, error: str) -> LookupCall:
    """A call the model asked for and that was not made (no such lookup, arguments that do not fit)."""
    return failed_call(name[:64], loose_arguments(raw), error)


def tool_result(call: LookupCall) -> str:
    """The `tool` message's content: what the lookup answered, or why there is no answer, as JSON data.
    Why is told in coarse words unless they are our own or the endpoint's status: the guard's refusal
    names the endpoint's host or address, which the model never sees (it could be made to repeat it)."""
    if call.ok:
        return json.dumps({"ok": True, "answer": call.answer}, ensure_ascii=False)
    return json.dumps({"ok": False, "error": model_reason(call.error)}, ensure_ascii=False)


def model_reason(error: str | None) -> str:
    """A failed call's reason as the model is told it (the whole of it stays in the LookupCall for people)."""
    if error and (error in _SAID_AS_THEY_ARE or error.startswith(_SAID_FROM)):
        return error
    if error and ("within" in error or "timed out" in error):  # guarded_post's "no (complete) answer within n s"
        return "the lookup did not answer in time"
    return "the lookup failed"


def known_text(call: LookupCall) -> str:
    """What a successful call brought, as text: a link or a number the reply takes from it is checked
    against it like the knowledge base's (domain/reply_checks.py)."""
    return json.dumps(call.answer, ensure_ascii=False) if call.ok else ""
