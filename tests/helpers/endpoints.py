"""A browser test's own endpoint on loopback, for the inbox to call: it keeps every POST (its headers,
lower-cased, and its body) and answers what the test says (the tenant's other system for webhooks, its
shop for lookups). The test then checks what was received, signatures included."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from local.loopback import LoopbackServer, quiet_handler

Received = list[tuple[dict[str, str], bytes]]
# From a request's body: the status, and the JSON to answer (None: no body).
Answer = Callable[[bytes], tuple[int, Any]]


@contextmanager
def recording_endpoint(path: str, answer: Answer) -> Iterator[tuple[str, Received]]:
    """The endpoint's URL (`path` on a free port) and the list every POST is appended to."""
    received: Received = []

    def handle(request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length", "0")))
        received.append(({k.lower(): v for k, v in request.headers.items()}, body))
        status, value = answer(body)
        request.send_response(status)
        if value is None:
            request.end_headers()
            return
        encoded = json.dumps(value).encode()
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(encoded)))
        request.end_headers()
        request.wfile.write(encoded)

    with LoopbackServer(quiet_handler(handle, methods=("POST",))) as server:
        yield f"{server.url}{path}", received
