"""Function calling as the fake OpenAI speaks it (issue 16): the request's `tools`, `tool_choice` and
`parallel_tool_calls` checked as OpenAI checks them (strict function schemas included), the
conversation's `tool_calls` and `tool` messages paired as OpenAI pairs them, and which calls the
fake's model makes, deterministically.

The rule: when tools are offered (and `tool_choice` is not "none") and no tool result is in the
conversation yet, each offered function with a parameter naming a number (`order_number`,
`booking_number`, `number`) is called with the number the customer's last message carries
("#12345", "commande 12345", "order no. 12345"); other parameters get null where the schema allows
it, or the function is not called. `parallel_tool_calls: false` keeps the first call only. A test
may program the next turns' calls instead (FakeOpenAI.call_next), such as a call to a function that
was not offered, which a real model may make when talked into it.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from .openai_replies import conversation_in
from .openai_schema import strict_errors, types_of

NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
NUMBER_PARAMETER = re.compile(r"(?:^|_)(?:number|no)$")
# "#12345", or a word that names a number followed by one ("commande 12345", "order no. A-123")
NUMBER_IN_TEXT = re.compile(
    r"#\s?([A-Za-z0-9][\w-]*)"
    r"|(?:commande|order|réservation|reservation|booking|numéro|numero|number|n°|no\.)\s*(?:n°|no\.?|#|:)?\s*"
    r"([A-Za-z0-9]*\d[\w-]*)",
    re.IGNORECASE,
)
Call = tuple[str, dict[str, Any]]


class ToolsError(Exception):
    """A request OpenAI refuses with a 400: its message and `param`."""

    def __init__(self, message: str, param: str, code: str | None = "invalid_value"):
        super().__init__(message)
        self.message, self.param, self.code = message, param, code


def offered(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The request's functions (`tools[*].function`), checked; [] without tools."""
    tools = body.get("tools")
    if tools is None:
        for param in ("tool_choice", "parallel_tool_calls"):
            if param in body:
                message = f"Invalid value for '{param}': '{param}' is only allowed when 'tools' are specified."
                raise ToolsError(message, param)
        return []
    if not isinstance(tools, list) or not tools:
        message = "Invalid 'tools': empty array. Expected an array with minimum length 1."
        raise ToolsError(message, "tools", "empty_array")
    functions = []
    for n, tool in enumerate(tools):
        at = f"tools[{n}]"
        if not isinstance(tool, dict) or tool.get("type") != "function" or not isinstance(tool.get("function"), dict):
            raise ToolsError(f"Invalid '{at}': the fake takes tools of type 'function'.", f"{at}.type")
        function = tool["function"]
        name = function.get("name")
        if not isinstance(name, str) or not NAME.fullmatch(name):
            raise ToolsError(
                f"Invalid '{at}.function.name': string does not match pattern. Expected a string that matches "
                "the pattern '^[a-zA-Z0-9_-]+$'.",
                f"{at}.function.name",
            )
        parameters = function.get("parameters", {"type": "object", "properties": {}})
        if not isinstance(parameters, dict) or parameters.get("type") != "object":
            message = f"Invalid schema for function '{name}': schema must be a JSON Schema of 'type: \"object\"'."
            raise ToolsError(message, f"{at}.function.parameters")
        if function.get("strict") is True:
            errors = strict_errors(parameters)
            if errors:
                raise ToolsError(f"Invalid schema for function '{name}': {errors[0]}", f"{at}.function.parameters")
        functions.append({**function, "parameters": parameters})
    names = [f["name"] for f in functions]
    if len(set(names)) != len(names):
        raise ToolsError("Invalid 'tools': function names must be unique.", "tools")
    choice = body.get("tool_choice", "auto")
    if isinstance(choice, dict):
        chosen = (choice.get("function") or {}).get("name") if choice.get("type") == "function" else None
        if chosen not in names:
            message = f"Invalid value for 'tool_choice': no function named {chosen!r} was specified in 'tools'."
            raise ToolsError(message, "tool_choice")
    elif choice not in ("none", "auto", "required"):
        raise ToolsError(
            f"Invalid value: {choice!r}. Supported values are: 'none', 'auto', and 'required'.", "tool_choice"
        )
    return functions


def check_pairs(messages: list[dict[str, Any]]) -> None:
    """Every assistant message's `tool_calls` answered by `tool` messages right after it, each of
    those answering one of them: OpenAI refuses the request otherwise."""
    waiting: dict[str, int] = {}  # tool_call_id -> the index of the assistant message that made it
    for n, message in enumerate(messages):
        role = message.get("role")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in waiting:
                raise ToolsError(
                    "Invalid parameter: messages with role 'tool' must be a response to a preceeding message "
                    "with 'tool_calls'.",
                    f"messages.[{n}].role",
                    None,
                )
            del waiting[call_id]
            continue
        if waiting:
            raise _unanswered(waiting)
        for m, call in enumerate(message.get("tool_calls") or [] if role == "assistant" else []):
            at = f"messages.[{n}].tool_calls.[{m}]"
            function = call.get("function") if isinstance(call, dict) else None
            if not isinstance(function, dict) or not isinstance(function.get("arguments"), str) or not call.get("id"):
                raise ToolsError(f"Invalid '{at}': expected an id and a function with its name and arguments.", at)
            waiting[call["id"]] = n
    if waiting:
        raise _unanswered(waiting)


def _unanswered(waiting: dict[str, int]) -> ToolsError:
    n = min(waiting.values())
    ids = ", ".join(waiting)
    return ToolsError(
        "An assistant message with 'tool_calls' must be followed by tool messages responding to each "
        f"'tool_call_id'. The following tool_call_ids did not have response messages: {ids}",
        f"messages.[{n}].role",
        None,
    )


def has_results(messages: list[dict[str, Any]]) -> bool:
    return any(message.get("role") == "tool" for message in messages)


def last_customer_text(messages: list[dict[str, Any]]) -> str:
    """The customer's last message: the inbox's conversation JSON's last inbound one, or the last user text."""
    users = [m.get("content") for m in messages if m.get("role") == "user"]
    user = users[-1] if users and isinstance(users[-1], str) else ""
    inbound = [str(m.get("text", "")) for m in conversation_in(user) if m.get("direction") == "inbound"]
    return inbound[-1] if inbound else user


def chosen_calls(body: dict[str, Any], functions: list[dict[str, Any]]) -> list[Call]:
    """The calls the fake's model makes by the rule (see the module's docstring)."""
    choice = body.get("tool_choice", "auto")
    if not functions or choice == "none" or has_results(body["messages"]):
        return []
    if isinstance(choice, dict):
        functions = [f for f in functions if f["name"] == choice["function"]["name"]]
    text = last_customer_text(body["messages"])
    found = NUMBER_IN_TEXT.search(text)
    number = next((group for group in found.groups() if group), None) if found else None
    calls = [call for call in (_call(f, number) for f in functions) if call is not None]
    if not calls and (choice == "required" or isinstance(choice, dict)):
        calls = [(functions[0]["name"], {})]  # made to call, with no number to give
    return calls


def _call(function: dict[str, Any], number: str | None) -> Call | None:
    properties: dict[str, Any] = function["parameters"].get("properties") or {}
    if number is None or not any(NUMBER_PARAMETER.search(name) for name in properties):
        return None
    arguments: dict[str, Any] = {}
    for name, schema in properties.items():
        kinds = types_of(schema) if isinstance(schema, dict) else []
        if NUMBER_PARAMETER.search(name) and ("string" in kinds or not kinds):
            arguments[name] = number
        elif NUMBER_PARAMETER.search(name) and "integer" in kinds and number.isdigit():
            arguments[name] = int(number)
        elif "null" in kinds:
            arguments[name] = None
        else:
            return None
    return function["name"], arguments


def tool_calls_message(calls: list[Call]) -> dict[str, Any]:
    """The assistant message of a completion that calls functions."""
    return {
        "role": "assistant",
        "content": None,
        "refusal": None,
        "annotations": [],
        "tool_calls": [
            {
                "id": f"call_{secrets.token_hex(12)}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments, ensure_ascii=False)},
            }
            for name, arguments in calls
        ],
    }


def results(messages: list[dict[str, Any]]) -> list[Any]:
    """The conversation's tool results, each parsed from JSON when it is JSON."""
    found = []
    for message in messages:
        if message.get("role") == "tool":
            content = message.get("content")
            try:
                found.append(json.loads(content) if isinstance(content, str) else content)
            except ValueError:
                found.append(content)
    return found
