"""An OpenAI-compatible chat model (OpenAI, Azure OpenAI, Ollama, vLLM) through the `openai` package.

A reply may call the tenant's lookups first (Chat Completions' function calling, issue 16): a short
loop of completions, bounded by the caller's number of calls and by its time, whose last answer is
in the schema.

The package costs 650 ms of import, so it is imported on the first call, never by a module that a
webhook loads. Timeouts and retries are bounded; whatever goes wrong is one of our two errors:
TransientError (try again later: outage, throttling, timeout, an unreadable answer) or
PermanentError (the settings are wrong: key, model, URL).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inbox.adapters.outbound import DestinationRefusedError, Destinations, parse_url, refusal_in
from inbox.errors import PermanentError, TransientError

TIMEOUT_SECONDS = 8.0  # five jobs in a batch, one call each, inside the classifier's 60 s
MAX_RETRIES = 0  # the queue retries later, with the message safe in the inbox meanwhile
MIN_COMPLETION_SECONDS = 1.0  # less left than this before a completion: the reply has run out of time


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cached_tokens + other.cached_tokens,
        )


class ChatModel:
    """`guard`: the outbound policy for a server a tenant chose (its URL read by `parse_url`, every
    connection through the guard, no redirect followed); None only for the deployment's own server."""

    def __init__(
        self,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout: float = TIMEOUT_SECONDS,
        guard: Destinations | None = Destinations(),  # noqa: B008 - frozen: one strict policy for all
    ):
        self.model = model
        self._api_key, self._base_url, self._timeout, self._guard = api_key, base_url, timeout, guard
        self._client: Any = None

    def complete_json(self, messages: list[dict[str, Any]], name: str, schema: dict[str, Any]) -> tuple[Any, Usage]:
        """One completion constrained by a strict JSON schema; the parsed answer and what it cost."""
        completion = self._create(messages, name, schema)
        return _parsed(completion), _spent(completion)

    def complete_json_with_tools(
        self,
        messages: list[dict[str, Any]],
        name: str,
        schema: dict[str, Any],
        tools: list[dict[str, Any]],
        run_tool: Callable[[str, str], str],
        max_calls: int,
        *,
        seconds_left: Callable[[], float] | None = None,
        tools_fit: Callable[[], bool] | None = None,
        on_spent: Callable[[Usage], None] | None = None,
    ) -> tuple[Any, Usage]:
        """The answer in the strict JSON schema, the model having called `tools` first if it chose to:
        each call it asks for is run by `run_tool(name, arguments as JSON text)`, whose text goes back
        to it as the `tool` message; after `max_calls` calls, or once `tools_fit()` says no lookup and
        answer fit in the time left, it must answer (tool_choice "none"). No completion waits longer
        than `seconds_left()` (the caller's deadline); with less than MIN_COMPLETION_SECONDS left, a
        TransientError. Every completion's usage, summed; `on_spent` is told each one as it comes, so
        the caller counts what was spent even when a later completion fails."""
        conversation, spent, calls = list(messages), Usage(), 0
        while True:
            left = seconds_left() if seconds_left is not None else None
            if left is not None and left < MIN_COMPLETION_SECONDS:
                raise TransientError("no time left to write the reply")
            offered = calls < max_calls and (tools_fit is None or tools_fit())
            choice = "auto" if offered else "none"
            waits = min(self._timeout, left) if left is not None else None
            completion = self._create(conversation, name, schema, timeout=waits, tools=tools, tool_choice=choice)
            if on_spent is not None:
                on_spent(_spent(completion))
            spent += _spent(completion)
            message = completion.choices[0].message if completion.choices else None
            asked = list(getattr(message, "tool_calls", None) or []) if choice == "auto" else []
            if not asked:
                return _parsed(completion), spent
            conversation.append(
                {
                    "role": "assistant",
                    "content": message.content,
                    "tool_calls": [
                        {
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.function.name, "arguments": call.function.arguments},
                        }
                        for call in asked
                    ],
                }
            )
            for call in asked:  # every call asked for is answered, or the provider refuses the next request
                if calls < max_calls:
                    calls += 1
                    content = run_tool(call.function.name, call.function.arguments or "{}")
                else:
                    content = json.dumps({"ok": False, "error": "no more lookups for this reply: answer now"})
                conversation.append({"role": "tool", "tool_call_id": call.id, "content": content})

    def _create(
        self,
        messages: list[dict[str, Any]],
        name: str,
        schema: dict[str, Any],
        timeout: float | None = None,
        **options: Any,
    ) -> Any:
        import openai

        response_format = {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
        if options.get("tools"):  # strict function schemas hold only one call at a time
            options["parallel_tool_calls"] = False
        if timeout is not None:  # shorter than the client's: the reply's deadline comes first
            options["timeout"] = timeout
        try:
            return self._openai().chat.completions.create(
                model=self.model, messages=messages, response_format=response_format, temperature=0, **options
            )
        except (openai.AuthenticationError, openai.PermissionDeniedError, openai.NotFoundError) as error:
            raise PermanentError(f"the AI provider refused the settings ({type(error).__name__})") from error
        except openai.BadRequestError as error:
            raise PermanentError(f"the AI provider refused the request: {error.message[:200]}") from error
        except openai.APIError as error:  # timeouts, connection errors, 429, 5xx
            if isinstance(error, openai.APIStatusError) and 300 <= error.status_code < 400:
                raise PermanentError("the AI provider's URL answered with a redirect, which is not followed") from error
            refused = refusal_in(error)
            if refused is not None:
                raise PermanentError(f"the AI provider's URL is not allowed: {refused}") from error
            raise TransientError(f"the AI provider is unavailable ({type(error).__name__})") from error

    def _openai(self) -> Any:
        if self._client is None:
            import openai

            base_url, http_client = self._base_url, None
            if self._guard is not None:
                from inbox.adapters.outbound import http_client as guarded_client

                if base_url:  # stored before URLs were read this way, perhaps: read again, and refused here
                    try:
                        base_url = str(parse_url(base_url, self._guard)).rstrip("/")
                    except DestinationRefusedError as error:
                        raise PermanentError(f"the AI provider's URL is not allowed: {error}") from error
                http_client = guarded_client(self._guard, self._timeout)
            self._client = openai.OpenAI(
                api_key=self._api_key,
                base_url=base_url,
                timeout=self._timeout,
                max_retries=MAX_RETRIES,
                http_client=http_client,
            )
        return self._client


def _spent(completion: Any) -> Usage:
    usage = completion.usage
    details = getattr(usage, "prompt_tokens_details", None) if usage else None
    return Usage(
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
        cached_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0,
    )


def _parsed(completion: Any) -> Any:
    content = completion.choices[0].message.content if completion.choices else None
    try:
        return json.loads(content or "")
    except json.JSONDecodeError as error:
        raise TransientError("the AI provider's answer was not the JSON asked for") from error
