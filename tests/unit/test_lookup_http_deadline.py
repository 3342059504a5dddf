"""A lookup's POST ends by its deadline whatever is slow (issue 16 review, lookups #4, #11): the name's
resolution (a slow authoritative server), and headers that trickle a byte at a time."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from inbox.adapters import outbound
from inbox.adapters.lookup_http import post_lookup
from inbox.adapters.outbound import Destinations

LOOPBACK = Destinations(allow_loopback=True)


def test_a_name_that_resolves_slowly_is_no_answer_by_the_deadline(monkeypatch):
    def slow(host, port, *args, **kwargs):
        time.sleep(3)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", slow)
    started = time.monotonic()
    answered = post_lookup("https://shop.example.com/lookup", b"{}", {}, Destinations(), timeout=0.5, deadline=1.0)
    assert time.monotonic() - started < 1.5
    assert (answered.status, answered.error) == (None, "no complete answer within 1 s")


def test_a_name_resolved_in_time_is_still_judged(monkeypatch):
    def private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", private)
    answered = post_lookup("https://shop.example.com/lookup", b"{}", {}, Destinations(), timeout=0.5, deadline=1.0)
    assert answered.error == (
        "refused: shop.example.com is a private address, which this deployment does not connect to"
    )


def test_an_unknown_name_is_said_so_within_the_deadline(monkeypatch):
    def unknown(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(outbound.socket, "getaddrinfo", unknown)
    answered = post_lookup("https://shop.example.com/lookup", b"{}", {}, Destinations(), timeout=0.5, deadline=1.0)
    assert answered.error == "the host name does not resolve"


@pytest.fixture
def trickling_headers() -> Iterator[str]:
    """An endpoint that sends its status line and headers a byte every 0.05 s, never done in time."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    answer = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"x" * 200 + b"\r\nContent-Length: 2\r\n\r\n{}"

    def serve() -> None:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.recv(65_536)
            for byte in answer:
                time.sleep(0.05)
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/lookup"
    server.close()
    thread.join(timeout=15)


def test_headers_that_trickle_past_the_deadline_are_no_answer(trickling_headers):
    started = time.monotonic()
    answered = post_lookup(trickling_headers, b"{}", {}, LOOPBACK, timeout=0.5, deadline=1.0)
    assert time.monotonic() - started < 2.0
    assert (answered.status, answered.error) == (None, "no complete answer within 1 s")
