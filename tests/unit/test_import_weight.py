"""What each function loads at its start (issue 15, item 2): the modules of features it does not serve
stay out of its import, so its cold start is not paid for them (benchmarks/cold_start.py times it; this
test only reads `sys.modules` of a fresh interpreter, so it holds on any machine)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Loaded by no function at its start: the model client, the whole email parser (the sync worker's, by
# its first message) and the cipher's cryptography (by the first secret opened).
NEVER_AT_START = ("openai", "inbox.adapters.ai", "inbox.domain.email", "inbox.services.sync_mailbox", "cryptography")
# The AI's draft and summary models: the API's drafts routes and the auto-reply worker's, nobody else's
# (every store has their methods, which load them on first use).
AI_MODELS = ("inbox.models.draft", "inbox.models.ai_reply")
# Vonage's webhooks answer within seconds: nothing of the API (routes, schemas, its services), of
# custom webhooks, of conversations' edits, of the stream or of search.
NOT_IN_WEBHOOKS = (
    *NEVER_AT_START,
    *AI_MODELS,
    "inbox.http.api",
    "inbox.http.schemas",
    "inbox.services.conversations",
    "inbox.services.custom_webhooks",
    "inbox.domain.events",
    "inbox.models.events",
    "inbox.adapters.search_index",
    "inbox.services.search",
)


def loaded_by(module: str) -> set[str]:
    """The modules a fresh interpreter holds once `module` is imported, as Lambda's init imports it."""
    env = {**os.environ, "PYTHONPATH": f"{REPO / 'layers' / 'common'}{os.pathsep}{REPO}"}
    env.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    probe = f"import json, sys; import {module}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=REPO, capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout))


def found(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The given packages (or modules) that were loaded, any of their submodules counting."""
    return sorted({p for p in packages for m in modules if m == p or m.startswith(f"{p}.")})


@pytest.mark.parametrize("function", ["webhook_sms", "webhook_whatsapp"])
def test_a_vonage_webhook_loads_nothing_of_the_api_the_stream_or_the_ai(function):
    # WHEN the webhook function's module is imported
    modules = loaded_by(f"functions.{function}.app")

    # THEN nothing of the API, the stream, search or the AI is loaded, only what an inbound message needs
    assert found(modules, NOT_IN_WEBHOOKS) == []
    assert "inbox.services.vonage_webhooks" in modules


def test_the_api_loads_no_worker_nor_the_email_parser_nor_the_model_client():
    # WHEN the API function's module is imported
    modules = loaded_by("functions.api.app")

    # THEN its routes are there, but not the email parser (a draft's schema names refusal reasons only)
    assert "inbox.http.drafts" in modules
    assert found(modules, NEVER_AT_START) == []


@pytest.mark.parametrize(
    "function",
    ["classify", "autoreply", "purge", "scheduled", "search_indexer", "sync_email", "vonage_worker", "realtime"],
)
def test_a_worker_loads_neither_the_api_nor_the_model_client(function):
    # WHEN a worker's module is imported
    modules = loaded_by(f"functions.{function}.app")

    # THEN no API route, no model client, no cryptography: each comes with its first use
    assert found(modules, ("inbox.http.api", "inbox.http.schemas", *NEVER_AT_START)) == []
    if function != "autoreply":  # the one worker that writes drafts
        assert found(modules, AI_MODELS) == []
