"""The web app's browser tests (test_web_*.py) share one local stack for the whole session: each
stack is a subprocess with its own moto, workers and WebSocket, slow to start on a small machine.
They change its data (replies, moves, a bulk resolve, a deletion), so they run in a set order."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import requests

from helpers.local_stack import LocalStack, create_user, free_port, id_token, post_webhook, sign_in
from helpers.web import MISSING, api_get, demo_answered, settled_counters
from local.seed import generate_password


@pytest.fixture(scope="session")
def web_stack(tmp_path_factory):
    if MISSING:  # `make test` provides all of it; a test never skips itself
        pytest.fail("; ".join(MISSING))
    root = tmp_path_factory.mktemp("web-stack")
    local = LocalStack(root / "state", free_port(), root / "stack.log")
    try:
        info = local.start()
        demo_answered(info, id_token(info))  # the seed's last asynchronous move of the demo's list
        yield info
    finally:
        local.stop()


@pytest.fixture
def own_tenant(web_stack) -> dict[str, Any]:
    """The web stack's info for a tenant of the test's own: its admin, its custom webhook and one customer
    message, its counters settled. Counters and lists nobody else's test moves, however the modules are
    ordered and whatever their asynchronous work (classification, syncs) still does to the demo tenant."""
    tenant_id = f"test-{secrets.token_hex(4)}"
    admin = {"username": f"admin@{tenant_id}.example.com", "password": generate_password()}
    create_user(web_stack, admin["username"], tenant_id=tenant_id, group="admin", password=admin["password"])
    token = sign_in(web_stack, admin["username"], admin["password"])
    secret = secrets.token_urlsafe(32)
    created = requests.post(
        f"{web_stack['api_url']}/integrations",
        json={"kind": "custom", "name": "Contact form", "secret": secret},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    info = web_stack | {
        "tenant_id": tenant_id,
        "admin": admin,
        "custom_webhook": {"integration_id": created.json()["id"], "secret": secret},
    }
    first = {
        "external_id": secrets.token_hex(8),
        "from": {"name": "First Customer", "email": "first@example.net"},
        "subject": "Bonjour",
        "text": "Vous êtes ouverts samedi ?",
    }
    assert post_webhook(info, first).status_code == 202
    settled_counters(info, token)
    assert api_get(info, token, "/conversations")["items"], "the tenant's first message is not listed"
    return info


# The web modules run in the order their tests had in one module: the main view's test opens the newest
# inbox conversation and answers it, which must be one of the seed's (a custom webhook's emails posted by
# the later tests cannot be answered).
WEB_MODULES = (
    "test_web_inbox",
    "test_web_accounts",
    "test_web_composers",
    "test_web_settings",
    "test_web_team",
    "test_web_live",
    "test_web_list",
    "test_web_drafts",
    "test_web_projects",
    "test_web_contacts",
    "test_web_nudges",
    "test_web_tasks",
    "test_web_webhooks",
    "test_web_files",
    "test_web_followups",
    "test_web_deploy",
    "test_web_search",
    "test_web_audit",
    "test_web_stats",
    "test_web_saved_replies",
    "test_web_templates",
    "test_web_ai_lookups",
    "test_web_ai_try",
    "test_web_lookups_demo",
    "test_web_answer_screens",
)


def pytest_collection_modifyitems(items):
    places = [n for n, item in enumerate(items) if item.module.__name__ in WEB_MODULES]
    ordered = sorted((items[n] for n in places), key=lambda item: WEB_MODULES.index(item.module.__name__))
    for n, item in zip(places, ordered, strict=True):
        items[n] = item
