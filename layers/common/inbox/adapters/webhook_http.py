"""POST a signed event to a tenant's webhook URL, through the outbound guard (adapters/outbound.py):
the address judged at connect time, no redirect followed, a short timeout per read and a deadline for
the whole POST, and the endpoint's answer reduced to its status code (its body is read a little, to
free the connection, and never kept).

The deadline matters because the timeout is per socket read: an endpoint that trickles a byte every
few seconds would otherwise hold the worker until the Lambda times out, and a timed-out Lambda hands
its whole batch back to SQS (the endpoints that answered get the event again, the failed jobs had
already queued their next attempt)."""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from inbox.adapters.outbound import DestinationRefusedError, Destinations, http_connection, parse_url

TIMEOUT_SECONDS = 5.0  # per connect and per socket read
DEADLINE_SECONDS = 8.0  # the whole POST, every address and every read; template.yaml's worker Timeout counts on it
USER_AGENT = "Inbox-Webhooks/1.0"


@dataclass(frozen=True)
class PostResult:
    status: int | None  # the endpoint's HTTP status; None when it never answered
    error: str | None  # why it failed, in our words (None: a 2xx)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post_event(
    url: str,
    body: bytes,
    headers: dict[str, str],
    destinations: Destinations,
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
) -> PostResult:
    ends_at = time.monotonic() + deadline
    try:
        target = parse_url(url, destinations)
        connection = http_connection(target, destinations, timeout, ends_at)
    except DestinationRefusedError as error:
        return PostResult(None, f"refused: {error}")
    sent = {"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers}
    watchdog = _Watchdog(connection, deadline)
    try:
        connection.request("POST", target.target, body=body, headers=sent)
        response = connection.getresponse()
        status = response.status
        # The endpoint has answered: a body cut short by the deadline changes nothing.
        with contextlib.suppress(OSError, http.client.HTTPException):
            response.read(65_536)
    except DestinationRefusedError as error:
        return PostResult(None, f"refused: {error}")
    except (OSError, http.client.HTTPException) as error:
        if watchdog.fired.is_set() or time.monotonic() >= ends_at:
            return PostResult(None, f"no complete answer within {deadline:g} s")
        return PostResult(None, _failure_in_words(error, timeout))
    finally:
        watchdog.cancel()
        connection.close()
    if 200 <= status < 300:
        return PostResult(status, None)
    if 300 <= status < 400:
        return PostResult(status, f"HTTP {status}: redirects are not followed")
    return PostResult(status, f"HTTP {status}")


def _failure_in_words(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(error, ssl.SSLError):
        return "TLS failed (is the certificate valid for the host?)"
    if isinstance(error, socket.gaierror):
        return "the host name does not resolve"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return "the connection failed"


class _Watchdog:
    """Shuts the connection's socket down at the deadline, whatever read it is blocked in (http.client
    reads the status line and headers with as many socket reads as the endpoint makes it)."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float):
        self.fired = threading.Event()
        self._connection = connection
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired.set()
        sock = self._connection.sock
        if sock is not None:
            # The plain socket's shutdown, also under TLS: the blocked read sees the end of the stream.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()
