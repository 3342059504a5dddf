"""POST a lookup's arguments to the business's endpoint (issue 16, item 1), through the outbound guard
(adapters/guarded_post.py), and read its answer: at most MAX_ANSWER_BYTES of it, within a short
deadline, since a customer's reply waits on it."""

from __future__ import annotations

import http.client
from dataclasses import dataclass

from inbox.adapters.guarded_post import post
from inbox.adapters.outbound import Destinations

TIMEOUT_SECONDS = 3.0  # per connect and per socket read
DEADLINE_SECONDS = 5.0  # the whole POST and the answer's body
MAX_ANSWER_BYTES = 16_384
USER_AGENT = "Inbox-Lookups/1.0"


@dataclass(frozen=True)
class LookupAnswer:
    status: int | None  # the endpoint's HTTP status; None when it never answered
    body: bytes  # the answer's body, at most MAX_ANSWER_BYTES (empty without an answer)
    too_large: bool  # the body went past MAX_ANSWER_BYTES (`body` holds its start)
    error: str | None  # why there is no answer, in our words


def post_lookup(
    url: str,
    body: bytes,
    headers: dict[str, str],
    destinations: Destinations,
    timeout: float = TIMEOUT_SECONDS,
    deadline: float = DEADLINE_SECONDS,
    max_bytes: int = MAX_ANSWER_BYTES,
) -> LookupAnswer:
    def read(response: http.client.HTTPResponse) -> bytes:
        return response.read(max_bytes + 1)  # one byte past the limit says there was more

    sent = {"User-Agent": USER_AGENT, "Accept": "application/json", **headers}
    exchange = post(url, body, sent, destinations, timeout, deadline, read)
    if exchange.status is None:
        return LookupAnswer(None, b"", False, exchange.error)
    if exchange.cut_short:  # a JSON object cut short could still parse, as another one
        return LookupAnswer(None, b"", False, f"no complete answer within {deadline:g} s")
    content: bytes = exchange.content
    return LookupAnswer(exchange.status, content[:max_bytes], len(content) > max_bytes, None)
