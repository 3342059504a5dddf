"""Pytest fixtures for the real mail servers; conftest.py loads this module with `pytest_plugins`.

- `dovecot`: one private Dovecot for the whole session (it starts in a fraction of a second, but
  each test still gets its own user, so tests cannot see each other's mail).
- `mailbox`: a fresh Dovecot user for one test, with its helpers (tests/servers/dovecot.py, Mailbox).
- `smtp_server`: an aiosmtpd server for one test: STARTTLS and AUTH required, recording what it receives.
- `smtp_server_factory`: start SMTP servers in other modes (implicit TLS, no TLS, no AUTH) for one test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .dovecot import Dovecot, Mailbox
from .smtp import SmtpServer


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    with Dovecot() as server:
        yield server


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Iterator[Mailbox]:
    # A test that stopped the server and then failed must not take the next tests down with it.
    dovecot.start()
    box = dovecot.new_mailbox()
    yield box
    dovecot.remove_user(box.username)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp_server_factory() -> Iterator[Callable[..., SmtpServer]]:
    """`smtp_server_factory(tls="implicit")`: a started SmtpServer (the class's options), stopped after the test."""
    started: list[SmtpServer] = []

    def start(**options: Any) -> SmtpServer:
        server = SmtpServer(**options)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()
