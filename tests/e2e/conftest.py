"""The web app's browser tests (test_web_*.py) share one local stack for the whole session: each
stack is a subprocess with its own moto, workers and WebSocket, slow to start on a small machine.
They change its data (replies, moves, a bulk resolve, a deletion), so they run in a set order."""

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


# The web modules run in the order their tests had in one module: the main view's test opens the newest
# inbox conversation and answers it, which must be one of the seed's (a custom webhook's emails posted by
# the later tests cannot be answered).
WEB_MODULES = (
    "test_web_inbox",
    "test_web_accounts",
    "test_web_composers",
    "test_web_settings",
    "test_web_live",
    "test_web_list",
    "test_web_deploy",
)


def pytest_collection_modifyitems(items):
    places = [n for n, item in enumerate(items) if item.module.__name__ in WEB_MODULES]
    ordered = sorted((items[n] for n in places), key=lambda item: WEB_MODULES.index(item.module.__name__))
    for n, item in zip(places, ordered, strict=True):
        items[n] = item
