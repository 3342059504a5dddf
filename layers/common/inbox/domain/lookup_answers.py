"""What a lookup's call is made of, without I/O (issue 16, item 1): arguments checked against the
lookup's parameters before anything is sent, the endpoint's answer read (a JSON object, or why not),
and the one line a person reads with the draft."""

from __future__ import annotations

from typing import Any

from inbox.domain.json_text import read_json
from inbox.errors import InvalidInputError
from inbox.models.ai_lookup import LookupCall

SUMMARY_CHARACTERS = 300
_ENDPOINT_WORDS = 120  # how much of an endpoint's own error message a failure keeps


def arguments_problem(parameters: dict[str, Any], arguments: Any) -> str | None:
    """Why `arguments` do not fit the lookup's `parameters` (parameter_schema's form); None when they do."""
    if not isinstance(arguments, dict):
        return "must be a JSON object"
    properties: dict[str, Any] = parameters.get("properties", {})
    unknown = [name for name in arguments if name not in properties]
    if unknown:
        return f"{unknown[0][:40]!r} is not a parameter"
    missing = [name for name in parameters.get("required", []) if arguments.get(name) is None]
    if missing:
        return f"{missing[0]} is required"
    for name, value in arguments.items():
        problem = _value_problem(properties[name], value)
        if problem:
            return f"{name} {problem}"
    return None


def _value_problem(spec: dict[str, Any], value: Any) -> str | None:
    if value is None:
        return None  # an optional parameter left empty (OpenAI's strict mode sends null)
    kind = spec["type"]
    fits = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
    }[kind]
    if not fits:
        return f"must be {'an' if kind == 'integer' else 'a'} {kind}"
    if isinstance(value, str) and len(value) > 500:
        return "must be at most 500 characters"
    if "enum" in spec and value not in spec["enum"]:
        return "must be one of the listed values"
    return None


def status_error(status: int) -> str | None:
    """What an answer's status means for a POST that wants a 2xx (None: it is one); the webhooks'
    words too (adapters/guarded_post.py)."""
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return f"HTTP {status}: redirects are not followed"
    return f"HTTP {status}"


def read_answer(status: int, body: bytes, too_large: bool, max_bytes: int) -> tuple[dict[str, Any] | None, str | None]:
    """The endpoint's answer as (the JSON object, None), or (None, why it is not one)."""
    if too_large:
        return None, f"the answer is larger than {max_bytes // 1024} KB"
    document = _json(body)
    failure = status_error(status)
    if failure:
        said = document.get("error") if isinstance(document, dict) else None
        words = " ".join(str(said).split())[:_ENDPOINT_WORDS] if isinstance(said, str | int | float) else ""
        # A redirect's own words add nothing: it is refused for being one.
        return None, f"{failure}: {words}" if words and not 300 <= status < 400 else failure
    if not isinstance(document, dict):
        return None, "the answer is not a JSON object"
    return document, None


def _json(body: bytes) -> Any:
    try:
        return read_json(body, "answer")
    except InvalidInputError:
        return None


def failed_call(name: str, arguments: dict[str, Any], error: str) -> LookupCall:
    """A call that failed or was not made, with why: the one builder of them (the model's refused
    calls, domain/lookup_tools.py, and the service's, services/ai_lookups.py)."""
    return LookupCall(name=name, arguments=arguments, ok=False, error=error, summary=summary_of(arguments, None, error))


def summary_of(arguments: dict[str, Any], answer: dict[str, Any] | None, error: str | None = None) -> str:
    """One line: 'order_number 12345: status shipped, shipped_on 2026-11-28, tracking 6A12345678901'
    (an answer's simple values but those that repeat an argument, its nested ones left to the model),
    or the arguments and the failure."""
    asked = ", ".join(f"{name} {_simple(value)}" for name, value in arguments.items() if _is_simple(value))
    if answer is None:
        told = f"failed ({error})" if error else "failed"
    else:
        # An endpoint often echoes what it was asked ("order_number": "12345"): said once, before the colon.
        told = ", ".join(
            f"{name} {_simple(value)}"
            for name, value in answer.items()
            if _is_simple(value) and not _echoes(arguments, name, value)
        )
    line = f"{asked}: {told}" if asked and told else asked or told
    line = " ".join(line.split())
    return line if len(line) <= SUMMARY_CHARACTERS else line[: SUMMARY_CHARACTERS - 1] + "…"


def _echoes(arguments: dict[str, Any], name: str, value: Any) -> bool:
    """Whether the answer's `value` repeats the argument of that name (12345 asked, "12345" told)."""
    return name in arguments and _is_simple(arguments[name]) and _simple(arguments[name]) == _simple(value)


def _is_simple(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and value != ""


def _simple(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
