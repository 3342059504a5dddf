"""The web app's browser tests (test_web_*.py) share one local stack for the whole session: each
stack is a subprocess with its own moto, workers and WebSocket, slow to start on a small machine.
The tests that change data (a bulk resolve, a move, a deletion) act on conversations of their own,
or compare with what the API says at the time, so their order does not matter."""

from __future__ import annotations

import pytest

from helpers.local_stack import LocalStack, free_port
from helpers.web import MISSING


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory):
    if MISSING:  # `make test` provides all of it; a test never skips itself
        pytest.fail("; ".join(MISSING))
    root = tmp_path_factory.mktemp("web-stack")
    local = LocalStack(root / "state", free_port(), root / "stack.log")
    try:
        yield local.start()
    finally:
        local.stop()
