"""The tenant's lookups as the model sees them, and what the model asks of them: pure, no I/O.

A lookup is offered as a function of Chat Completions' function calling: its name, its description
and its parameters, never its endpoint nor its secret. The parameters go in strict form (every
property required, no other key; an optional one may be null), which OpenAI needs to hold the model
to them. What the model asks is checked again against the lookup's own schema before any call: a
strict schema is a request the provider honours, not a guarantee. What comes back is given to the
model as data (see reply_prompt.INSTRUCTIONS: never instructions).
"""

from __future__ import annotations

import json
from typing import Any

from inbox.domain.lookup_answers import arguments_problem, summary_of
from inbox.models.ai_lookup import AiLookup, LookupCall


class ArgumentsError(ValueError):
    """The model's arguments do not fit the lookup's parameters: the call is not made."""


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


def arguments_of(parameters: dict[str, Any], raw: str) -> dict[str, Any]:
    """The arguments to send, from the model's JSON text: checked against the lookup's `parameters`
    (lookup_answers.arguments_problem), an optional one the model gave as null left out.
    ArgumentsError says what is wrong."""
    try:
        arguments = json.loads(raw or "{}")
    except ValueError as error:
        raise ArgumentsError("the arguments are not JSON") from error
    problem = arguments_problem(parameters, arguments)
    if problem:
        raise ArgumentsError(problem)
    return {name: value for name, value in arguments.items() if value is not None}


def loose_arguments(raw: str) -> dict[str, Any]:
    """The model's arguments as recorded for a call that was not made: the JSON object, or nothing."""
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def refused(name: str, raw: str, error: str) -> LookupCall:
    """A call the model asked for and that was not made (no such lookup, arguments that do not fit)."""
    arguments = loose_arguments(raw)
    return LookupCall(
        name=name[:64], arguments=arguments, ok=False, error=error, summary=summary_of(arguments, None, error)
    )


def tool_result(call: LookupCall) -> str:
    """The `tool` message's content: what the lookup answered, or why there is no answer, as JSON data."""
    if call.ok:
        return json.dumps({"ok": True, "answer": call.answer}, ensure_ascii=False)
    return json.dumps({"ok": False, "error": call.error or "failed"}, ensure_ascii=False)


def known_text(call: LookupCall) -> str:
    """What a successful call brought, as text: a link or a number the reply takes from it is checked
    against it like the knowledge base's (domain/reply_checks.py)."""
    return json.dumps(call.answer, ensure_ascii=False) if call.ok else ""
