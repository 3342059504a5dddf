"""Search in the local stack (issue 14, item 1): a message posted to the custom webhook goes through the
table's stream, EventsFunction's feed, SearchQueue (FIFO) and IndexerFunction as on AWS, and is found
by GET /inbox/search within 10 seconds; a deleted conversation is no longer found."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from helpers.local_stack import LocalStack, free_port, id_token, post_webhook

pytestmark = pytest.mark.e2e

WITHIN = 10.0  # seconds: the "new messages searchable within 10 seconds"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("local-search")
    local = LocalStack(root / "state", free_port(), root / "stack.log")
    try:
        yield local, local.start()
    finally:
        local.stop()


def search(info: dict[str, Any], token: str, query: str) -> list[dict[str, Any]]:
    response = requests.get(
        info["api_url"] + "/search", params={"q": query}, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()["items"]


def found_within(info: dict[str, Any], token: str, query: str, wanted: bool, seconds: float) -> float:
    """How long it took until `query` finds something (or nothing, `wanted` False)."""
    start = time.monotonic()
    while True:
        items = search(info, token, query)
        if bool(items) == wanted:
            return time.monotonic() - start
        if time.monotonic() - start > seconds:
            pytest.fail(f"{query!r} {'not found' if wanted else 'still found'} after {seconds} s")
        time.sleep(0.25)


def test_local_search_finds_a_new_message_within_ten_seconds_and_forgets_a_deleted_conversation(stack):
    local, info = stack
    token = id_token(info)
    word = f"zephyrin{time.time_ns() % 1_000_000}"
    posted = post_webhook(
        info,
        {
            "external_id": f"search-{word}",
            "from": {"name": "Noémie", "email": "noemie@example.com"},
            "subject": "Problème de livraison",
            "text": f"Ma commande {word} n'est jamais arrivée.",
        },
    )
    assert posted.status_code == 202, posted.text
    conversation_id = posted.json()["conversation_id"]

    took = found_within(info, token, word, True, WITHIN)
    print(f"found {took:.1f} s after the webhook's answer")  # shown with -s: the README's figure
    assert took < WITHIN, local.run_output()
    [hit] = search(info, token, word)
    assert hit["id"] == conversation_id
    assert [p["text"] for p in hit["match"]["snippet"] if p["match"]] == [word]

    deleted = requests.delete(
        f"{info['api_url']}/conversations/{conversation_id}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert deleted.status_code in (200, 202, 204), deleted.text
    found_within(info, token, word, False, WITHIN)
