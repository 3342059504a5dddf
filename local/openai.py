"""OpenAI's Chat Completions API on loopback, for the tests and the Docker-free local stack.

The official `openai` client talks to it through `base_url`, so it speaks the real wire format: `chat.completion`
objects, `{"error": {...}}` bodies with OpenAI's statuses (which the client turns into `AuthenticationError`,
`RateLimitError`, `InternalServerError`...), and strict Structured Outputs checked as OpenAI checks them, so a
schema our code builds is refused here when OpenAI would refuse it. Answers are deterministic: keyword rules on the
user messages, the inbox's AI replies and summaries answered as a model would (openai_replies.py), or a
neutral object built from the schema; offered functions are called by a deterministic rule (openai_tools.py).
A programmed answer that does not fit the schema is a 500, so the test's author notices rather than our parser.

Differences from OpenAI worth knowing: one key, no organisations or projects; no streaming, `n` > 1 or
`json_object`; tools of type function only; only strict `json_schema` response formats (our code always asks
for strict); tokens are characters / 4; prompt caching compares the concatenated message contents, not tokens
of the rendered prompt.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal

from .loopback import LoopbackServer, quiet_handler
from .openai_replies import ANSWERS
from .openai_schema import SchemaError, mismatches, neutral, strict_errors
from .openai_tools import Call, ToolsError, check_pairs, chosen_calls, offered, tool_calls_message

ROLES = ("system", "developer", "user", "assistant", "tool")
FailureKind = Literal["500", "429", "timeout", "garbage", "empty"]
GARBAGE = "Sure! Here is the classification: support"
CACHE_MIN, CACHE_STEP = 1024, 128  # OpenAI caches prompts from 1024 tokens, in steps of 128
Answer = tuple[int, dict[str, Any], dict[str, str]]
KEYS_PAGE = "https://platform.openai.com/account/api-keys"
HOW_TO_AUTHENTICATE = "You need to provide your API key in an Authorization header using Bearer auth."


class RefusedError(Exception):
    """An OpenAI error answer: status, message, and the `type`, `param` and `code` of its body."""

    def __init__(
        self,
        status: int,
        message: str,
        param: str | None = None,
        code: str | None = None,
        *,
        error_type: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.message, self.param, self.code = status, message, param, code
        self.error_type, self.headers = error_type, headers or {}

    def answer(self) -> Answer:
        error = {"message": self.message, "type": self.error_type, "param": self.param, "code": self.code}
        return self.status, {"error": error}, self.headers


@dataclass
class Request:
    """Any request the fake answered, refused ones included: header names lower-cased, `body` parsed (or None)."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: Any
    answer: dict[str, Any]

    @property
    def content(self) -> str | None:
        """The assistant message's content of a completion."""
        return self.answer["choices"][0]["message"]["content"] if self.status == 200 else None


def fold(text: str) -> str:
    """Case- and accent-insensitive form for keyword matching: "Réservation" matches "reservation"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def text_of(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def shared_prefix(a: str, b: str) -> int:
    """How many leading characters `a` and `b` have in common."""
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


class FakeOpenAI:
    """`POST /v1/chat/completions` on 127.0.0.1; point the client's `base_url` at `base_url`."""

    def __init__(self, *, api_key: str = "sk-fake-openai-key", port: int = 0, hang_seconds: float = 5.0):
        self.api_key, self.hang_seconds = api_key, hang_seconds
        self.rules: list[tuple[list[str], dict[str, Any], str | None]] = []
        self.default_answer: dict[str, Any] | None = None  # None: a neutral object built from the schema
        self.reply_text: str | Callable[[list[dict[str, Any]]], str] = "Thank you for your message, we are on it."
        self.retry_after = 0.01  # seconds, sent as `retry-after-ms` (which the client prefers) and `Retry-After`
        self.requests: list[Request] = []
        self.down = False
        self._failures: list[FailureKind] = []
        self._next_calls: list[list[Call]] = []  # programmed function calls, one list per turn
        self._prompts: list[tuple[str, str]] = []  # (model, concatenated contents) of answered completions
        self._lock, self._closed = threading.Lock(), threading.Event()
        self._server = LoopbackServer(quiet_handler(self._handle), port=port)
        self.port = self._server.port
        self.base_url = f"{self._server.url}/v1"

    # ---- programming the fake -------------------------------------------------------------------

    def when(self, keywords: str | Iterable[str], answer: dict[str, Any], schema: str | None = None) -> None:
        """Structured answers are `answer` when a keyword is in the user messages (first matching rule wins).
        `schema`: only for requests of the JSON schema of that name; without it, for any request but those
        the fake answers itself (openai_replies.ANSWERS), which `default_answer` leaves alone too."""
        words = [keywords] if isinstance(keywords, str) else list(keywords)
        self.rules.append(([fold(word) for word in words], answer, schema))

    def fail_next(self, kind: FailureKind, times: int = 1) -> None:
        """The next `times` valid completions fail this way; "timeout" holds the answer for `hang_seconds`."""
        if kind not in ("500", "429", "timeout", "garbage", "empty"):
            raise ValueError(f"unknown failure kind {kind!r}")
        with self._lock:
            self._failures.extend([kind] * times)

    def call_next(self, *calls: Call) -> None:
        """The next completion offered tools calls these functions (name, arguments) instead of the
        rule's, whatever was offered: a model talked into calling something. Once per turn queued."""
        with self._lock:
            self._next_calls.append(list(calls))

    def set_down(self, down: bool = True) -> None:
        """An outage: every request answers 503."""
        self.down = down

    @property
    def completions(self) -> list[Request]:
        """The requests answered with a completion (programmed garbage included)."""
        return [r for r in self.requests if r.status == 200]

    @staticmethod
    def user_texts(request: Request | dict[str, Any]) -> str:
        """The text of the user messages, one per line."""
        return FakeOpenAI._texts(request, ("user",))

    @staticmethod
    def system_texts(request: Request | dict[str, Any]) -> str:
        """The text of the system and developer messages, one per line."""
        return FakeOpenAI._texts(request, ("system", "developer"))

    @staticmethod
    def _texts(request: Request | dict[str, Any], roles: tuple[str, ...]) -> str:
        body = request.body if isinstance(request, Request) else request
        return "\n".join(text_of(m.get("content")) for m in body.get("messages", []) if m.get("role") in roles)

    # ---- the API ----------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in handler.headers.items()}
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        try:
            status, answer, extra = self._answer(handler.command, handler.path.split("?", 1)[0], body, headers)
        except RefusedError as refused:
            status, answer, extra = refused.answer()
        except SchemaError as error:
            status, answer, extra = RefusedError(400, str(error), "response_format").answer()
        except ToolsError as error:
            status, answer, extra = RefusedError(400, error.message, error.param, error.code).answer()
        with self._lock:
            self.requests.append(Request(handler.command, handler.path, status, headers, body, answer))
        payload = json.dumps(answer).encode()
        try:
            handler.send_response(status)
            for name, value in {"Content-Type": "application/json", "Content-Length": str(len(payload))}.items():
                handler.send_header(name, value)
            handler.send_header("x-request-id", f"req_{secrets.token_hex(16)}")
            for name, value in extra.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the client gave up (a programmed timeout): OpenAI would not notice either

    def _answer(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Answer:
        if self.down:
            raise RefusedError(503, "The server is overloaded or not ready yet.", error_type="server_error")
        if (method, path) != ("POST", "/v1/chat/completions"):
            raise RefusedError(404, f"Invalid URL ({method} {path})")
        self._authenticate(headers.get("authorization", ""))
        if not isinstance(body, dict):
            raise RefusedError(400, "We could not parse the JSON body of your request. The API expects a JSON payload.")
        schema = self._check(body)
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure == "500":
            message = "The server had an error while processing your request. Sorry about that!"
            raise RefusedError(500, message, error_type="server_error")
        if failure == "429":
            message = f"Rate limit reached for {body['model']} on requests per min (RPM): Limit 3, Used 3, Requested 1."
            retry = {
                "retry-after-ms": str(round(self.retry_after * 1000)),
                "Retry-After": str(math.ceil(self.retry_after)),
            }
            raise RefusedError(429, message, code="rate_limit_exceeded", error_type="requests", headers=retry)
        if failure == "timeout":
            self._closed.wait(self.hang_seconds)
        return 200, self._complete(body, schema, {"garbage": GARBAGE, "empty": ""}.get(failure or "")), {}

    def _authenticate(self, header: str) -> None:
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            raise RefusedError(401, f"You didn't provide an API key. {HOW_TO_AUTHENTICATE}")
        if not secrets.compare_digest(key.strip().encode(), self.api_key.encode()):
            masked = key[:3] + "*" * max(len(key) - 7, 0) + key[-4:] if len(key) > 8 else key
            message = f"Incorrect API key provided: {masked}. You can find your API key at {KEYS_PAGE}."
            raise RefusedError(401, message, code="invalid_api_key")

    def _check(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """Refuses what OpenAI refuses; the request's JSON schema, if it asks for one."""
        if not isinstance(body.get("model"), str) or not body["model"]:
            raise RefusedError(400, "you must provide a model parameter", "model")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise RefusedError(
                400, "Invalid 'messages': expected a non-empty array of messages.", "messages", "empty_array"
            )
        for n, message in enumerate(messages):
            at = f"messages.[{n}]"
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                role = message.get("role") if isinstance(message, dict) else message
                supported = ", ".join(map(repr, ROLES))
                raise RefusedError(
                    400, f"Invalid value: {role!r}. Supported values are: {supported}.", f"{at}.role", "invalid_value"
                )
            content = message.get("content")
            calling = message.get("role") == "assistant" and bool(message.get("tool_calls"))
            if calling and content is None:
                continue
            if not isinstance(content, str) and not (isinstance(content, list) and content):
                expected = "expected one of a string or array of objects"
                raise RefusedError(
                    400, f"Invalid type for '{at}.content': {expected}.", f"{at}.content", "invalid_type"
                )
        if body.get("stream"):
            raise RefusedError(400, "The fake does not stream.", "stream")
        offered(body)
        check_pairs(messages)
        response_format = body.get("response_format")
        if response_format is None or response_format == {"type": "text"}:
            return None
        spec = response_format.get("json_schema") if isinstance(response_format, dict) else None
        if not isinstance(response_format, dict) or response_format.get("type") != "json_schema" or not spec:
            raise RefusedError(400, "Invalid 'response_format': the fake takes json_schema or text.", "response_format")
        name, schema = spec.get("name"), spec.get("schema")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
            param = "response_format.json_schema.name"
            raise RefusedError(400, f"Invalid '{param}': expected [A-Za-z0-9_-]{{1,64}}.", param, "invalid_value")
        if spec.get("strict") is not True:
            raise RefusedError(400, "The fake takes only strict schemas: set 'strict': true.", "response_format")
        if not isinstance(schema, dict) or schema.get("type") != "object":
            kind = schema.get("type") if isinstance(schema, dict) else None
            errors = [f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{kind}\"'."]
        else:
            errors = strict_errors(schema)
        if errors:
            raise RefusedError(400, f"Invalid schema for response_format '{name}': {errors[0]}", "response_format")
        return schema

    def _complete(self, body: dict[str, Any], schema: dict[str, Any] | None, content: str | None) -> dict[str, Any]:
        """A `chat.completion` with the deterministic answer, or `content` when a failure forces one."""
        messages = body["messages"]
        calls = self._calls(body) if content is None else []
        if calls:
            content = json.dumps(calls, ensure_ascii=False)  # what usage counts of the calls
        elif content is None and schema is None:
            content = self.reply_text(messages) if callable(self.reply_text) else self.reply_text
        elif content is None:
            answer = self._structured(body, schema)
            errors = mismatches(answer, schema, schema)
            if errors:
                message = f"The fake's programmed answer does not fit the request's schema: {'; '.join(errors)}"
                raise RefusedError(500, message, error_type="fake_error")
            content = json.dumps(answer, ensure_ascii=False, separators=(",", ":"))
        prompt = "".join(text_of(message.get("content")) for message in messages)
        with self._lock:
            earlier = [text for model, text in self._prompts if model == body["model"]]
            self._prompts.append((body["model"], prompt))
        common = max((shared_prefix(prompt, text) for text in earlier), default=0) // 4
        cached = common // CACHE_STEP * CACHE_STEP if common >= CACHE_MIN else 0
        prompt_tokens, completion_tokens = tokens(prompt), tokens(content)
        return {
            "id": f"chatcmpl-{secrets.token_hex(12)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": tool_calls_message(calls)
                    if calls
                    else {"role": "assistant", "content": content, "refusal": None, "annotations": []},
                    "logprobs": None,
                    "finish_reason": "tool_calls" if calls else "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
                "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
            },
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }

    def _calls(self, body: dict[str, Any]) -> list[Call]:
        """The functions this completion calls: the programmed ones, or the rule's; none without tools."""
        functions = offered(body)
        if not functions or body.get("tool_choice") == "none":
            return []
        with self._lock:
            calls = self._next_calls.pop(0) if self._next_calls else None
        if calls is None:
            calls = chosen_calls(body, functions)
        return calls[:1] if body.get("parallel_tool_calls") is False else calls

    def _structured(self, body: dict[str, Any], schema: dict[str, Any]) -> Any:
        said = fold(self.user_texts(body))
        name = body["response_format"]["json_schema"]["name"]
        own = ANSWERS.get(name)
        for keywords, answer, for_schema in self.rules:
            if for_schema in (name, None if own is None else name) and any(keyword in said for keyword in keywords):
                return answer
        if own is not None:
            return own(body, self.system_texts(body), self.user_texts(body))
        return self.default_answer if self.default_answer is not None else neutral(schema, schema)

    def close(self) -> None:
        self._closed.set()
        self._server.close()

    def __enter__(self) -> FakeOpenAI:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
