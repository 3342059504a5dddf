"""The search index's segments (issue 14 review, search items 1, 3, 6, 13 and 15), over a fake bucket:
ranking across segments, the /tmp cache's budget, folding, passages."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest

from inbox.adapters.search_index import SearchIndexTooLargeError, SearchSegments
from inbox.domain.search_text import SearchDocument, match_expression

TENANT = "t1"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


class FakeBucket:
    """put_object / download_file as boto3's S3 client does them, in memory."""

    def __init__(self):
        self.objects: dict[str, bytes] = {}

    def put_object(self, Bucket, Key, Body, ContentType):
        self.objects[Key] = Body.read()

    def download_file(self, bucket, key, path):
        with open(path, "wb") as file:
            file.write(self.objects[key])


@pytest.fixture
def segments(tmp_path) -> SearchSegments:
    return SearchSegments(FakeBucket(), "bucket", cache_dir=str(tmp_path / "cache"), cache_bytes=50_000_000)


def doc(n: int, at: datetime, subject: str = "", text: str = "", **fields) -> SearchDocument:
    return SearchDocument(f"m:{n}", f"c{n}", f"{n}", at, subject=subject, text=text, **fields)


def ranked(segments: SearchSegments, refs, query: str, tenant_id: str = TENANT) -> list[str]:
    return [c.conversation_id for c in segments.candidates(tenant_id, refs, match_expression(query), NOW, 1000)]


def test_a_fresh_message_in_a_small_segment_ranks_above_old_ones_that_match_no_better(segments):
    # Issue 14 review, search item 1: bm25() of a one-document segment weighed its words 1e-6.
    old = [doc(n, NOW - timedelta(days=200), "Commande", f"commande {n}") for n in range(200)]
    old += [doc(n, NOW - timedelta(days=200), "Remboursement", f"remboursement demandé {n}") for n in range(200, 220)]
    refs = [segments.write(TENANT, old), segments.write(TENANT, [doc(999, NOW, "Remboursement", "remboursement")])]
    assert ranked(segments, refs, "remboursement")[0] == "c999"


def test_a_document_scores_the_same_whatever_segment_holds_it(segments):
    day_ago = NOW - timedelta(days=1)
    refs = [segments.write(TENANT, [doc(n, day_ago, text=f"bonjour colis{n % 10}") for n in range(50)])]
    refs.append(segments.write(TENANT, [doc(98, day_ago, text="colis1 zanzibar")]))
    found = segments.candidates(TENANT, refs, match_expression("colis1"), NOW, 100)
    scores = {c.conversation_id: c.score for c in found}
    assert scores["c98"] == pytest.approx(scores["c1"], rel=0.01)  # the same words, the same weights


def words(n: int) -> SearchDocument:
    return doc(n, NOW - timedelta(days=n), "Commande", " ".join(f"mot{n}x{k}" for k in range(300)))


def cold_reader(bucket: FakeBucket, tmp_path, name: str, cache_bytes: int) -> SearchSegments:
    """Another instance: its /tmp cache holds none of the segments."""
    return SearchSegments(bucket, "bucket", cache_dir=str(tmp_path / name), cache_bytes=cache_bytes)


def test_a_merge_whose_segments_do_not_fit_the_cache_is_a_clear_transient_error(segments, tmp_path):
    # Issue 14 review, search item 3: each download evicted the sources fetched before it, and ATTACH
    # then made an empty file: "no such table: source.docs".
    refs = [segments.write(TENANT, [words(n)]) for n in range(4)]
    merger = cold_reader(segments._client, tmp_path, "merger", cache_bytes=sum(r.size for r in refs))
    with pytest.raises(SearchIndexTooLargeError, match="merging"):
        merger.merge(TENANT, refs, [])
    roomy = cold_reader(segments._client, tmp_path, "roomy", cache_bytes=3 * sum(r.size for r in refs))
    merged = roomy.merge(TENANT, refs, [])
    assert merged.docs == 4


def test_a_merge_keeps_its_sources_while_other_files_are_evicted(segments, tmp_path):
    refs = [segments.write(TENANT, [words(n)]) for n in range(4)]
    others = [segments.write("t2", [words(n)]) for n in range(10, 16)]
    merger = cold_reader(segments._client, tmp_path, "merger", cache_bytes=2 * sum(r.size for r in refs) + 1000)
    merger.candidates("t2", others[:3], match_expression("commande"), NOW, 10)  # fills its cache
    merger.candidates("t2", others[3:], match_expression("commande"), NOW, 10)
    merged = merger.merge(TENANT, refs, [])
    assert merged.docs == 4
    assert ranked(merger, [merged], "mot2x5") == ["c2"]


def test_a_search_past_the_cache_is_a_transient_error_and_evicted_files_are_closed(segments, tmp_path):
    # Issue 14 review, search item 6: files evicted while open kept their disk space (ENOSPC, a 500).
    mine = [segments.write(TENANT, [words(n)]) for n in range(4)]
    others = [segments.write("t2", [words(n)]) for n in range(10, 13)]
    reader = cold_reader(segments._client, tmp_path, "reader", cache_bytes=sum(r.size for r in mine[:3]) + 1000)
    with pytest.raises(SearchIndexTooLargeError, match="do not fit"):
        reader.candidates(TENANT, mine, match_expression("commande"), NOW, 10)
    mine = mine[:3]
    assert ranked(reader, mine, "commande") == ["c0", "c1", "c2"]
    assert ranked(reader, others, "commande", "t2") == ["c10", "c11", "c12"]  # evicts every file of mine
    assert ranked(reader, mine[:1], "commande") == ["c0"]  # downloaded again
    assert not [path for path in open_files() if "reader" in path and path.endswith("(deleted)")]


def open_files() -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
        except FileNotFoundError:  # the listing's own
            continue
    return found


def test_indexed_text_is_folded_as_the_query_is(segments):
    # Issue 14 review, search item 13: the query's NFKD made the ligature "fi" two letters, the index did not.
    full_width = "\uff32\uff25\uff26\uff11\uff12\uff13"  # REF123
    refs = [segments.write(TENANT, [doc(1, NOW, "Le \ufb01chier joint", f"Référence {full_width}")])]
    for query in ("fichier", "\ufb01chier", "ref123", full_width):
        assert ranked(segments, refs, query) == ["c1"], query


def test_a_phone_match_shows_the_contact_and_the_number_not_its_generated_forms(segments):
    # Issue 14 review, search item 15: the passage was "33612345678 612345678 0612345678".
    forms = "33612345678 612345678 0612345678"
    refs = [segments.write(TENANT, [doc(1, NOW, "Appel", "Rappelez-moi", contact="Paul Durand", phones=forms)])]
    [found] = segments.candidates(TENANT, refs, match_expression("06 12 34 56 78"), NOW, 10)
    shown = segments.snippet(TENANT, found, match_expression("06 12 34 56 78"))
    assert shown == [("Paul Durand", False), (" ", False), ("0612345678", True)]
    [found] = segments.candidates(TENANT, refs, match_expression("rappel"), NOW, 10)
    assert segments.snippet(TENANT, found, match_expression("rappel")) == [("Rappelez", True), ("-moi", False)]
