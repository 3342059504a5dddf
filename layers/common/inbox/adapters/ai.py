"""An OpenAI-compatible chat model (OpenAI, Azure OpenAI, Ollama, vLLM) through the `openai` package.

The package costs 650 ms of import, so it is imported on the first call, never by a module that a
webhook loads. Timeouts and retries are bounded; whatever goes wrong is one of our two errors:
TransientError (try again later: outage, throttling, timeout, an unreadable answer) or
PermanentError (the settings are wrong: key, model, URL).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from inbox.adapters.outbound import DestinationRefusedError, Destinations, parse_url, refusal_in
from inbox.errors import PermanentError, TransientError

TIMEOUT_SECONDS = 8.0  # five jobs in a batch, one call each, inside the classifier's 60 s
MAX_RETRIES = 0  # the queue retries later, with the message safe in the inbox meanwhile


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0


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

    def complete_json(self, messages: list[dict[str, str]], name: str, schema: dict[str, Any]) -> tuple[Any, Usage]:
        """One completion constrained by a strict JSON schema; the parsed answer and what it cost."""
        import openai

        response_format = {"type": "json_schema", "json_schema": {"name": name, "strict": True, "schema": schema}}
        try:
            completion = self._openai().chat.completions.create(
                model=self.model, messages=messages, response_format=response_format, temperature=0
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
        usage = completion.usage
        details = getattr(usage, "prompt_tokens_details", None) if usage else None
        spent = Usage(
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            cached_tokens=(getattr(details, "cached_tokens", 0) or 0) if details else 0,
        )
        content = completion.choices[0].message.content if completion.choices else None
        try:
            return json.loads(content or ""), spent
        except json.JSONDecodeError as error:
            raise TransientError("the AI provider's answer was not the JSON asked for") from error

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
