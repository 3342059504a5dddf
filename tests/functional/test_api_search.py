"""Search through the API (issue 14, item 1): `GET /search` and `q` on `GET /conversations`, over an
index built for real under moto (ingest -> the table's stream -> the feed -> SearchQueue -> the
indexer). What a person sees: the conversations found, best first, with the passage and its words
marked, within the list's filters; never another tenant's; a query that cannot be read is a 422 on `q`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from helpers.events import api_request, load_event
from helpers.search import SearchChain
from inbox import wiring
from inbox.models import Channel, InboundMessage, Party
from samples import TENANT

INTRUDER = {"custom:tenant_id": "intruder"}
AGENT = {"sub": "u-agent", "cognito:username": "u-agent", "cognito:groups": "[agent]", "email": "agent@example.com"}


def ingest(chain: SearchChain, external_id: str, tenant_id: str = TENANT, **changes: Any) -> str:
    """A customer's message ingested and indexed as on AWS: its conversation's id."""
    fields = dict(
        tenant_id=tenant_id,
        integration_id="i1",
        channel=Channel.CUSTOM,
        external_id=external_id,
        sender=Party(name="Élodie Martin", email=f"{external_id}@example.fr"),
        subject="Problème de livraison",
        text="Bonjour, ma commande 1042 n'est jamais arrivée.",
        thread_key=external_id,
    )
    message = InboundMessage(**(fields | changes))
    return chain.after(lambda: wiring.ingestor().ingest(message)).conversation_id


def get(api, path: str, claims: dict[str, str] | None = None, **query: Any) -> tuple[int, Any]:
    return api(api_request("GET", f"{path}?{urlencode(query)}" if query else path, **(claims or {})))


def ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def every_page(api, path: str, **query: Any) -> list[str]:
    seen, cursor = [], None
    while True:
        status, page = get(api, path, **(query | ({"cursor": cursor} if cursor else {})))
        assert status == 200, page
        assert len(page["items"]) <= query["limit"]
        seen += ids(page)
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def test_search_finds_words_without_their_accents_and_shows_the_passage_marked(api, chain):
    found = ingest(chain, "m1")
    ingest(chain, "m2", subject="Facture", text="Merci pour la facture de novembre.")

    status, page = get(api, "/search", q="arrivee")
    assert status == 200, page
    assert ids(page) == [found]
    [item] = page["items"]
    assert item["subject"] == "Problème de livraison"  # the conversation as the list shows it
    assert item["match"]["message_id"] is not None
    snippet = item["match"]["snippet"]
    assert [part["text"] for part in snippet if part["match"]] == ["arrivée"]
    assert "ma commande 1042 n'est jamais arrivée" in "".join(part["text"] for part in snippet)
    # The same through the list, as the web app asks it; without q the list has no match.
    status, listed = get(api, "/conversations", q="PROBLEME")
    assert (status, ids(listed)) == (200, [found])
    assert listed["items"][0]["match"]["snippet"]
    assert all(item["match"] is None for item in get(api, "/conversations")[1]["items"])


def test_q_on_the_list_is_combined_with_its_folder_filter_and_ignores_the_sort(api, chain):
    moved = ingest(chain, "m1")
    stayed = ingest(chain, "m2", text="Une autre commande, arrivée celle-ci.")
    ingest(chain, "m3", subject="Bonjour", text="Rien à voir.")
    status, folder = api(load_event("api/create_folder.json"))
    assert status == 201, folder
    patch = api_request("PATCH", f"/conversations/{moved}", {"folder_id": folder["id"]})
    assert chain.after(lambda: api(patch))[0] == 200

    assert sorted(ids(get(api, "/conversations", q="commande")[1])) == sorted([moved, stayed])
    assert ids(get(api, "/conversations", q="commande", folder=folder["id"])[1]) == [moved]
    assert ids(get(api, "/conversations", q="commande", folder="inbox")[1]) == [stayed]
    assert ids(get(api, "/conversations", q="commande", folder="inbox", sort="activity")[1]) == [stayed]
    assert ids(get(api, "/conversations", q="rien", folder=folder["id"])[1]) == []


def test_another_tenants_conversation_is_never_returned(api, chain):
    ours = ingest(chain, "m1")
    theirs = ingest(chain, "m2", tenant_id="intruder")

    assert ids(get(api, "/search", q="commande")[1]) == [ours]
    assert ids(get(api, "/conversations", q="commande")[1]) == [ours]
    assert ids(get(api, "/search", INTRUDER, q="commande")[1]) == [theirs]
    assert ids(get(api, "/conversations", INTRUDER, q="livraison", folder="inbox")[1]) == [theirs]
    # An agent of the tenant finds what an admin finds (every person of a tenant sees its conversations).
    assert ids(get(api, "/search", AGENT, q="commande")[1]) == [ours]


@pytest.mark.parametrize("path", ["/search", "/conversations"])
@pytest.mark.parametrize("q", ["", "x" * 201, "   ", '"" - * ( ) : ^', " ".join(f"mot{n}" for n in range(17))])
def test_a_query_that_cannot_be_searched_is_a_422_naming_q(api, chain, path, q):
    status, body = get(api, path, q=q)
    assert status == 422, body
    assert body["error"]["code"] == "invalid_field"
    assert body["error"]["message"].startswith("q"), body


def test_search_needs_a_query(api, chain):
    status, body = get(api, "/search")
    assert (status, body["error"]["message"].split(":")[0]) == (422, "q")


def test_a_query_of_200_characters_is_read(api, chain):
    found = ingest(chain, "m1")
    assert get(api, "/search", q=("commande " * 23)[:200])[0] == 200
    assert ids(get(api, "/search", q="commande " + "z" * 191)[1]) in ([], [found])


@pytest.mark.parametrize("path", ["/search", "/conversations"])
def test_the_cursor_pages_through_every_result_once(api, chain, path):
    wanted = {ingest(chain, f"m{n}", text=f"Commande numéro {n} en retard.") for n in range(7)}
    ingest(chain, "other", subject="Bonjour", text="Rien à voir.")

    seen = every_page(api, path, q="retard", limit=3)
    assert sorted(seen) == sorted(wanted)
    assert len(seen) == len(set(seen))


def test_the_sample_events_find_what_they_say(api, chain):
    found = ingest(chain, "m1")
    status, page = api(load_event("api/search.json"))
    assert (status, ids(page)) == (200, [found])
    assert any(part["match"] for part in page["items"][0]["match"]["snippet"])
    status, page = api(load_event("api/search_conversations.json"))
    assert (status, ids(page)) == (200, [found])
