"""Search end to end under moto (issue 14, item 1): a message stored goes through the table's stream,
the feed, SearchQueue and the indexer, and is then found as a person types."""

from __future__ import annotations

import pytest

from helpers.search import SearchChain
from inbox import wiring
from inbox.domain.search_manifest import MAX_SEGMENTS
from inbox.errors import InvalidInputError
from inbox.models import Channel, ConversationFilter, InboundMessage, Party, Principal, Role, Status

TENANT = "t-search"
OTHER = "t-other"
ADMIN = Principal(user_id="u1", tenant_id=TENANT, role=Role.ADMIN)
OTHERS_ADMIN = Principal(user_id="u2", tenant_id=OTHER, role=Role.ADMIN)


def inbound(external_id: str, tenant_id: str = TENANT, **changes) -> InboundMessage:
    fields = dict(
        tenant_id=tenant_id,
        integration_id="i1",
        channel=Channel.CUSTOM,
        external_id=external_id,
        sender=Party(name="Élodie Martin", email="elodie@example.fr"),
        subject="Problème de livraison",
        text="Bonjour, mes commandes ne sont jamais arrivées.",
        thread_key=external_id,
    )
    return InboundMessage(**(fields | changes))


def ingest(chain: SearchChain, message: InboundMessage) -> str:
    return chain.after(lambda: wiring.ingestor().ingest(message)).conversation_id


def found(query: str, who: Principal = ADMIN, **where) -> list[str]:
    hits, _ = wiring.search().search(who, query, 25, None, ConversationFilter(**where) if where else None)
    return [hit.conversation_id for hit in hits]


def test_search_finds_words_whatever_their_accents_case_and_ending(chain):
    conversation = ingest(chain, inbound("m1"))
    ingest(chain, inbound("m2", sender=Party(name="Bob", email="bob@example.com"), subject="Facture", text="Merci"))
    for query in ("probleme", "PROBLÈME", "commande", "Commandes", "arrivee", "livr", "élodie", "MARTIN"):
        assert found(query) == [conversation], query


def test_search_shows_the_passage_with_the_words_marked(chain):
    ingest(chain, inbound("m1"))
    [hit] = wiring.search().search(ADMIN, "commande", 25)[0]
    marked = [part.text for part in hit.snippet if part.match]
    assert marked == ["commandes"]
    assert "".join(part.text for part in hit.snippet).startswith("Bonjour, mes commandes")
    assert hit.conversation.subject == "Problème de livraison"


def test_search_phrases_must_match_as_written(chain):
    conversation = ingest(chain, inbound("m1"))
    ingest(chain, inbound("m2", sender=Party(email="bob@example.com"), text="Arrivées les commandes? jamais."))
    assert found('"commandes ne sont jamais"') == [conversation]
    assert set(found("commandes jamais")) == {conversation, found("arrivées les")[0]}


def test_search_finds_a_word_only_in_an_emails_html_part(chain):
    html = "<html><body><p>Le colis est <b>endommagé</b> à l'arrivée.</p></body></html>"
    conversation = ingest(chain, inbound("m1", text="", html=html))
    assert found("endommage") == [conversation]


def test_search_finds_a_long_mail_whose_body_is_in_the_blob_store(chain):
    text = "Bonjour, " + "voici le détail de ma demande. " * 400 + "Référence zanzibar."
    conversation = ingest(chain, inbound("m1", text=text))
    assert found("zanzibar") == [conversation]


def test_search_finds_a_phone_number_with_or_without_spaces(chain):
    conversation = ingest(chain, inbound("m1", sender=Party(name="Paul", phone="+33612345678"), text="Rappelez-moi"))
    in_text = ingest(chain, inbound("m2", sender=Party(email="x@example.com"), text="Mon fixe: 01 23 45 67 89"))
    for query in ("0612345678", "06 12 34 56 78", "+33 6 12 34 56 78", "+33612345678", "612345"):
        assert found(query) == [conversation], query
    for query in ("0123456789", "01 23 45 67 89"):
        assert found(query) == [in_text], query


def test_search_never_finds_another_tenants_messages(chain):
    ingest(chain, inbound("m1", tenant_id=OTHER))
    assert found("commande") == []
    assert found("commande", OTHERS_ADMIN) != []


def test_search_forgets_a_deleted_conversation(chain):
    conversation = ingest(chain, inbound("m1"))
    kept = ingest(chain, inbound("m2", sender=Party(email="bob@example.com"), text="une commande de plus"))
    chain.after(lambda: wiring.conversation_deletion().delete(ADMIN, conversation))
    assert found("commande") == [kept]
    assert wiring.store().search_tombstones(TENANT) == {conversation}
    manifest = wiring.store().get_search_manifest(TENANT)  # what every search reads: no ids (review item 8)
    assert (manifest.tombstones, manifest.tombstone_count) == (frozenset(), 1)


def test_a_tombstone_goes_with_the_merge_that_dropped_its_conversations_documents(chain):
    gone = ingest(chain, inbound("m0"))
    chain.after(lambda: wiring.conversation_deletion().delete(ADMIN, gone))
    for n in range(1, MAX_SEGMENTS + 1):  # one segment each: the last batch merges them all
        ingest(chain, inbound(f"m{n}", sender=Party(email=f"c{n}@example.com")))
    manifest = wiring.store().get_search_manifest(TENANT)
    assert len(manifest.segments) == 1
    assert (manifest.tombstone_count, wiring.store().search_tombstones(TENANT)) == (0, frozenset())
    assert len(found("commande")) == MAX_SEGMENTS


def test_search_combines_with_the_lists_filters(chain):
    conversation = ingest(chain, inbound("m1"))
    resolved = ingest(chain, inbound("m2", sender=Party(email="bob@example.com")))
    wiring.conversations().change(ADMIN, resolved, {"status": Status.RESOLVED})
    assert set(found("commande")) == {conversation, resolved}
    assert found("commande", status=Status.RESOLVED) == [resolved]


def test_search_finds_a_conversation_by_its_subject_and_a_changed_message_by_its_new_words(chain):
    conversation = ingest(chain, inbound("m1", subject="Remboursement", text="rien"))
    assert found("rembours") == [conversation]


def test_search_pages_with_a_cursor(chain):
    ids = {ingest(chain, inbound(f"m{n}", sender=Party(email=f"c{n}@example.com"))) for n in range(5)}
    first, cursor = wiring.search().search(ADMIN, "commande", 2)
    second, cursor2 = wiring.search().search(ADMIN, "commande", 2, cursor)
    third, end = wiring.search().search(ADMIN, "commande", 2, cursor2)
    assert end is None
    assert {h.conversation_id for h in first + second + third} == ids


def test_search_of_nothing_searchable_is_refused_on_q(chain):
    with pytest.raises(InvalidInputError) as refused:
        wiring.search().search(ADMIN, '"" ()*', 25)
    assert refused.value.field == "q"
    with pytest.raises(InvalidInputError):
        wiring.search().search(ADMIN, "a" * 201, 25)
