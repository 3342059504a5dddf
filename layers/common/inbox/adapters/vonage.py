"""Vonage's Messages API over HTTPS, with the standard library's client (no SDK: 550 ms of import).

Auth is an RS256 JWT made from the application's private key when there is one (WhatsApp needs
it), else Basic key:secret. Throttling (429) and Vonage's own failures (5xx) are retried a few times
with backoff inside the call, never in a loop; anything else is an answer to record.
"""

from __future__ import annotations

import base64
import http.client
import json
import random
import socket
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
MAX_WAIT_SECONDS = 2.0  # a person is waiting on the reply: 3 tries of 4 s and two waits fit the API's 29 s
TIMEOUT_SECONDS = 4.0


class VonageRejectedError(PermanentError):
    """Vonage refused the request for good (bad credentials, invalid number, ...)."""


class VonageCredentialsError(VonageRejectedError):
    """Vonage refused who we are (HTTP 401): an application id and private key that do not match."""


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
        timeout: float = TIMEOUT_SECONDS,
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

    def account_numbers(self) -> set[str]:
        """The virtual numbers of the account (Numbers API, digits without +), page by page."""
        numbers: set[str] = set()
        base = numbers_url(self._base)
        for index in range(1, 51):  # 5,000 numbers at most: far more than a small business rents
            query = urllib.parse.urlencode(
                {"api_key": self._credentials.api_key, "api_secret": self._credentials.api_secret}
                | {"size": 100, "index": index}
            )
            request = urllib.request.Request(f"{base}/account/numbers?{query}")  # noqa: S310 - our configured base
            try:
                with _OPENER.open(request, timeout=self._timeout) as response:
                    page = json.loads(response.read(2_000_000))
            except urllib.error.HTTPError as error:
                if error.code in (401, 403):
                    raise VonageRejectedError("Vonage refused the API key and secret") from error
                raise VonageUnavailableError(f"Vonage's Numbers API answered HTTP {error.code}") from error
            except (OSError, ValueError, http.client.HTTPException) as error:
                raise VonageUnavailableError(f"Vonage's Numbers API did not answer ({type(error).__name__})") from error
            listed = [str(n.get("msisdn", "")) for n in page.get("numbers") or [] if isinstance(n, dict)]
            numbers.update(listed)
            if len(listed) < 100 or len(numbers) >= int(page.get("count", 0)):
                return numbers
        return numbers

    def whatsapp_templates(self, waba_id: str, max_pages: int = 10) -> list[dict[str, Any]]:
        """The templates of a WhatsApp Business Account, in every language and review state: Vonage's
        WhatsApp Template Management API (GET /v2/whatsapp-manager/wabas/{id}/templates, application
        JWT), page by page on `paging.cursors.after`. A listing, so a 429/5xx is not retried here: the
        person asking again is the retry."""
        templates: list[dict[str, Any]] = []
        after: str | None = None
        for _ in range(max_pages):  # 1,000 templates at most: Meta lets a WABA approve 250
            query = urllib.parse.urlencode({"limit": 100} | ({"after": after} if after else {}))
            path = f"/v2/whatsapp-manager/wabas/{urllib.parse.quote(waba_id, safe='')}/templates?{query}"
            status, _, answer = self._request("GET", f"{self._base}{path}", None, limit=5_000_000)
            if status == 401:  # the application's JWT: its credentials, not the WABA id
                raise VonageCredentialsError(_problem(status, answer))
            if status in (403, 404):
                raise VonageRejectedError(_problem(status, answer))
            if status != 200:
                raise VonageUnavailableError(_problem(status, answer))
            try:
                page = json.loads(answer)
                listed = page.get("templates", page.get("data"))  # Vonage's name, or Meta's
                if not isinstance(listed, list):
                    raise ValueError("no list of templates")
            except (ValueError, AttributeError) as error:
                raise VonageUnavailableError("Vonage's list of templates was unreadable") from error
            templates += listed
            paging = page.get("paging") if isinstance(page.get("paging"), dict) else {}
            cursors = paging.get("cursors") if isinstance(paging.get("cursors"), dict) else {}
            after = cursors.get("after") if paging.get("next") else None  # `next` only while more follow
            if not listed or not isinstance(after, str) or not after:
                break
        return templates

    def download(self, url: str, max_bytes: int) -> tuple[bytes, str | None]:
        """A media file a webhook pointed at, with its declared type. Only from Vonage (or the configured
        API's own origin): a signed payload still must not turn this function into a proxy."""
        if not (_vonage_host(url) or _same_origin(url, self._base)):
            raise VonageRejectedError("the link is not on Vonage; not fetched")
        status, headers, data = self._request("GET", url, None, limit=max_bytes + 1)
        if status == 429 or status >= 500:
            raise VonageUnavailableError(f"media download: HTTP {status}")
        if status != 200:
            raise VonageRejectedError(f"media download: HTTP {status}")
        if len(data) > max_bytes:
            raise VonageRejectedError(f"the file is over {max_bytes // 1_000_000} MB")
        return data, headers.get("Content-Type")

    # internals

    def _request(
        self, method: str, url: str, data: bytes | None, limit: int = 1_000_000
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - URLs checked by callers
        if data is not None:
            request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        request.add_header("Authorization", self._authorization())
        try:
            with _OPENER.open(request, timeout=self._timeout) as response:
                return response.status, dict(response.headers), response.read(limit)
        except urllib.error.HTTPError as error:  # redirects land here too: they are not followed
            return error.code, dict(error.headers or {}), error.read(10_000)
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError | socket.gaierror):
                # Nothing reached Vonage: as safe to try again as a 503.
                return 503, {}, json.dumps({"title": f"Vonage unreachable ({error.reason})"}).encode()
            raise VonageUnavailableError(_no_answer(error.reason)) from error
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            # The request may have reached Vonage: trying again could send the customer two messages.
            raise VonageUnavailableError(_no_answer(error)) from error

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


def numbers_url(base_url: str) -> str:
    """The Numbers API is on rest.nexmo.com when the Messages API is Vonage's own; a test server or
    a proxy serves both."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    if host.endswith((".nexmo.com", ".vonage.com")):
        return "https://rest.nexmo.com"
    return base_url.rstrip("/")


def _vonage_host(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme == "https" and (parts.hostname or "").endswith((".nexmo.com", ".vonage.com"))


def _same_origin(url: str, base: str) -> bool:
    """The configured API's origin (a region, or a test server on loopback), scheme and port included."""
    ours, theirs = urllib.parse.urlsplit(url), urllib.parse.urlsplit(base)
    return (ours.scheme, ours.hostname, ours.port) == (theirs.scheme, theirs.hostname, theirs.port)


def _no_answer(reason: object) -> str:
    return f"Vonage did not answer ({type(reason).__name__}); the message may or may not have gone out"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would carry our Authorization header to wherever it points: refuse them all."""

    def redirect_request(self, *_: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)
