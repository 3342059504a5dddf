"""Vonage's Messages API over HTTPS, with the standard library's client (no SDK: 550 ms of import).

Auth is an RS256 JWT made from the application's private key when there is one (WhatsApp needs
it), else Basic key:secret. Throttling (429) and Vonage's own failures (5xx) are retried a few times
with backoff inside the call, never in a loop; anything else is an answer to record.
"""

from __future__ import annotations

import base64
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inbox.errors import PermanentError, TransientError

MAX_ATTEMPTS = 3
MAX_WAIT_SECONDS = 4.0  # a person is waiting on the reply's answer: never sleep longer than this


class VonageRejectedError(PermanentError):
    """Vonage refused the request for good (bad credentials, invalid number, ...)."""


class VonageUnavailableError(TransientError):
    """Vonage throttled us or failed, even after the retries."""


@dataclass(frozen=True)
class Credentials:
    api_key: str
    api_secret: str
    application_id: str | None = None
    private_key: str | None = None


class VonageClient:
    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = MAX_ATTEMPTS,
    ):
        self._base = base_url.rstrip("/")
        self._credentials = credentials
        self._timeout = timeout
        self._sleep = sleep
        self._max_attempts = max_attempts

    def send(self, body: dict[str, Any]) -> str:
        """POST /v1/messages; the `message_uuid` Vonage gives the message."""
        data = json.dumps(body).encode()
        for attempt in range(1, self._max_attempts + 1):
            status, headers, answer = self._request("POST", f"{self._base}/v1/messages", data)
            if status in (200, 202):
                try:
                    return str(json.loads(answer)["message_uuid"])
                except (ValueError, KeyError, TypeError) as error:
                    raise VonageUnavailableError("Vonage accepted the message but its answer was unreadable") from error
            if status == 429 or status >= 500:
                if attempt == self._max_attempts:
                    raise VonageUnavailableError(f"{_problem(status, answer)}; tried {attempt} times")
                self._sleep(_wait(attempt, headers.get("Retry-After")))
                continue
            raise VonageRejectedError(_problem(status, answer))
        raise AssertionError("unreachable")  # pragma: no cover

    def download(self, url: str, max_bytes: int) -> tuple[bytes, str | None]:
        """A media file a webhook pointed at, with its declared type; our credentials go only to Vonage."""
        ours = urllib.parse.urlsplit(url).hostname == urllib.parse.urlsplit(self._base).hostname or _vonage_host(url)
        status, headers, data = self._request("GET", url, None, authenticate=ours, limit=max_bytes + 1)
        if status == 429 or status >= 500:
            raise VonageUnavailableError(f"media download: HTTP {status}")
        if status != 200:
            raise VonageRejectedError(f"media download: HTTP {status}")
        if len(data) > max_bytes:
            raise VonageRejectedError(f"the file is over {max_bytes // 1_000_000} MB")
        return data, headers.get("Content-Type")

    # internals

    def _request(
        self, method: str, url: str, data: bytes | None, authenticate: bool = True, limit: int = 1_000_000
    ) -> tuple[int, dict[str, str], bytes]:
        if not url.startswith(("https://", "http://")):
            raise VonageRejectedError("not an http(s) URL")
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - scheme checked above
        if data is not None:
            request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        if authenticate:
            request.add_header("Authorization", self._authorization())
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read(limit)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers or {}), error.read(10_000)
        except (TimeoutError, OSError) as error:  # unreachable, refused, reset: Vonage is not answering
            return 503, {}, json.dumps({"title": f"Vonage unreachable ({type(error).__name__})"}).encode()

    def _authorization(self) -> str:
        credentials = self._credentials
        if credentials.application_id and credentials.private_key:
            import jwt

            now = int(time.time())
            claims = {
                "application_id": credentials.application_id,
                "iat": now,
                "exp": now + 300,
                "jti": str(uuid.uuid4()),
            }
            return "Bearer " + jwt.encode(claims, credentials.private_key, algorithm="RS256")
        pair = f"{credentials.api_key}:{credentials.api_secret}".encode()
        return "Basic " + base64.b64encode(pair).decode()


def _wait(attempt: int, retry_after: str | None) -> float:
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after), MAX_WAIT_SECONDS)
    return min(0.5 * 2 ** (attempt - 1) * random.uniform(0.8, 1.2), MAX_WAIT_SECONDS)  # noqa: S311 - jitter


def _problem(status: int, body: bytes) -> str:
    """Vonage's RFC 7807 answer in a line a person can act on."""
    try:
        problem = json.loads(body)
    except ValueError:
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    words = problem.get("detail") or problem.get("title") or "no details"
    invalid = problem.get("invalid_parameters")
    if isinstance(invalid, list) and invalid:
        words += " (" + "; ".join(f"{p.get('name')}: {p.get('reason')}" for p in invalid if isinstance(p, dict)) + ")"
    return f"Vonage answered HTTP {status}: {words}"[:500]


def _vonage_host(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    return host.endswith((".nexmo.com", ".vonage.com")) and url.startswith("https://")
