"""Search in a real browser (issue 14, item 1): the local stack indexes what arrives (its stream reader,
SearchQueue and indexer), and the web app finds it as a person types, with the passage marked."""

from __future__ import annotations

import secrets
import time
from typing import Any

import pytest

from helpers.local_stack import post_webhook, sign_in
from helpers.web import api_get, run_browser

pytestmark = pytest.mark.e2e


def searchable(info: dict[str, Any], token: str, query: str, conversation_id: str, timeout: float = 30) -> None:
    """Wait until the index finds the conversation (the issue asks within 10 seconds; a busy machine is slower)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if conversation_id in [c["id"] for c in api_get(info, token, f"/search?q={query}")["items"]]:
            return
        time.sleep(0.5)
    pytest.fail(f"{query!r} did not find {conversation_id} within {timeout} s")


def test_a_word_typed_without_its_accent_finds_its_conversation_with_the_passage_marked(own_tenant):
    tag = secrets.token_hex(3)
    message = {
        "external_id": secrets.token_hex(8),
        "from": {"name": "Second Customer", "email": "second@example.net"},
        "subject": f"Livraison {tag}",
        "text": "Bonjour, ma commande n'est toujours pas arrivée. Merci de vérifier.",
    }
    assert post_webhook(own_tenant, message).status_code == 202
    admin = own_tenant["admin"]
    token = sign_in(own_tenant, admin["username"], admin["password"])
    listed = api_get(own_tenant, token, "/conversations?limit=100")["items"]
    [found] = [c for c in listed if c["subject"] == message["subject"]]
    started = time.monotonic()
    searchable(own_tenant, token, "arrivee", found["id"])
    indexed_after = time.monotonic() - started

    nothing = f"zq{tag}"
    seen = run_browser(
        "search.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "QUERY": "arrivee",
            "FOUND_ID": found["id"],
            "NOTHING": nothing,
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert indexed_after < 30
    assert (seen["slashFocused"], seen["valueAfterSlash"]) == (True, "")
    assert seen["foundIds"] == [found["id"]]
    assert seen["marked"] == ["arrivée"]
    assert "commande n'est toujours pas arrivée" in seen["passage"]
    assert seen["markupInPassage"] == 0
    assert seen["inMine"] == []
    assert (seen["valueAfterEscape"], seen["stillFocused"]) == ("", True)
    assert seen["listedAfterEscape"] == seen["listedBefore"]
    assert found["id"] in seen["listedBefore"]
    assert len(seen["listedBefore"]) >= 2
    assert seen["leftAfterSecondEscape"] is True
    assert seen["french"] == {
        "placeholder": "Rechercher : mots, téléphone, « une phrase »",
        "empty": f"Aucune conversation ne correspond à « {nothing} » ici.",
    }
    assert seen["axeResults"] == []
    assert seen["axeFrenchEmpty"] == []
    # What the browser showed is what the API answers.
    assert [c["id"] for c in api_get(own_tenant, token, "/conversations?q=arrivee")["items"]] == [found["id"]]
