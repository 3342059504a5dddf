"""adapters/webhook_http.py against loopback endpoints: a deadline for the whole POST (issue 13 review)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from inbox.adapters.outbound import Destinations
from inbox.adapters.webhook_http import post_event

LOOPBACK = Destinations(allow_loopback=True)


@pytest.fixture
def trickler():
    """An endpoint that reads the request, then sends its answer's status line and headers one byte every
    0.2 s for up to 6 s: never a 5 s silence, so a per-read timeout alone never ends the POST."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65_536)
            answer = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 1000
            started = time.monotonic()
            for byte in answer:
                if stop.is_set() or time.monotonic() - started > 6:
                    break
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    break
                time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hook"
    stop.set()
    thread.join(timeout=10)
    server.close()


def test_a_trickling_endpoint_is_a_failed_attempt_by_the_deadline(trickler):
    started = time.monotonic()
    result = post_event(trickler, b"{}", {}, LOOPBACK, timeout=5.0, deadline=1.0)
    elapsed = time.monotonic() - started
    assert not result.ok
    assert result.status is None
    assert result.error == "no complete answer within 1 s"
    assert elapsed < 2.5


def test_a_connect_that_cannot_start_before_the_deadline_fails_at_once():
    from inbox.adapters.outbound import connect

    with pytest.raises(TimeoutError):
        connect("127.0.0.1", 9, 5.0, LOOPBACK, deadline=time.monotonic() - 1)
