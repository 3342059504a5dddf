"""One POST to a tenant's endpoint through the outbound guard (adapters/outbound.py), shared by the
outbound webhooks (adapters/webhook_http.py) and the AI's lookups (adapters/lookup_http.py): the
address judged at connect time, no redirect followed, a timeout per socket read and a deadline for the
whole exchange, enforced by a watchdog.

The deadline matters because the timeout is per socket read: an endpoint that trickles a byte every
few seconds would otherwise hold the caller until its Lambda times out."""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inbox.adapters.outbound import DestinationRefusedError, Destinations, http_connection, parse_url

ReadAnswer = Callable[[http.client.HTTPResponse], Any]


@dataclass(frozen=True)
class Exchange:
    status: int | None  # the endpoint's HTTP status; None when it never answered
    content: Any  # what `read` made of the answer's body (None without an answer)
    error: str | None  # why there is no answer, in our words (None: there is one, of any status)
    cut_short: bool = False  # the deadline came while `read` read: `content` may be a part of the body


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    destinations: Destinations,
    timeout: float,
    deadline: float,
    read: ReadAnswer,
) -> Exchange:
    """POST `body` to `url`; `read(response)` reads what the caller wants of the answer while the
    watchdog still runs (its socket or HTTP errors are a failure like the others; a body the watchdog
    cut reads as ended, so the exchange says it was `cut_short`)."""
    ends_at = time.monotonic() + deadline
    try:
        target = parse_url(url, destinations)
        connection = http_connection(target, destinations, timeout, ends_at)
    except DestinationRefusedError as error:
        return Exchange(None, None, f"refused: {error}")
    watchdog = Watchdog(connection, deadline)
    try:
        connection.request("POST", target.target, body=body, headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        content = read(response)
        return Exchange(response.status, content, None, watchdog.fired.is_set() or time.monotonic() >= ends_at)
    except DestinationRefusedError as error:
        return Exchange(None, None, f"refused: {error}")
    except (OSError, http.client.HTTPException) as error:
        if watchdog.fired.is_set() or time.monotonic() >= ends_at:
            return Exchange(None, None, f"no complete answer within {deadline:g} s")
        return Exchange(None, None, failure_in_words(error, timeout))
    finally:
        watchdog.cancel()
        connection.close()


def failure_in_words(error: BaseException, timeout: float) -> str:
    if isinstance(error, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(error, ssl.SSLError):
        return "TLS failed (is the certificate valid for the host?)"
    if isinstance(error, socket.gaierror):
        return "the host name does not resolve"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return "the connection failed"


class Watchdog:
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
