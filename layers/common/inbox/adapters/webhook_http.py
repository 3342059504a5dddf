"""POST a signed event to a tenant's webhook URL, through the outbound guard (adapters/guarded_post.py:
the address judged at connect time, no redirect followed, a short timeout per read and a deadline for
the whole POST), and the endpoint's answer reduced to its status code (its body is read a little, to
free the connection, and never kept).

The deadline matters because a timed-out Lambda hands its whole batch back to SQS (the endpoints that
answered get the event again, the failed jobs had already queued their next attempt)."""

from __future__ import annotations

import contextlib
import http.client
from dataclasses import dataclass

from inbox.adapters.guarded_post import post
from inbox.adapters.outbound import Destinations
from inbox.domain.lookup_answers import status_error

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
    exchange = post(url, body, {"User-Agent": USER_AGENT, **headers}, destinations, timeout, deadline, _drain)
    if exchange.status is None:
        return PostResult(None, exchange.error)
    return PostResult(exchange.status, status_error(exchange.status))


def _drain(response: http.client.HTTPResponse) -> None:
    # The endpoint has answered: a body cut short by the deadline changes nothing.
    with contextlib.suppress(OSError, http.client.HTTPException):
        response.read(65_536)
