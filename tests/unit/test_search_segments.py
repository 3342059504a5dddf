"""The search index's segments (issue 14 review, search items 1, 3, 6, 13 and 15), over a fake bucket:
ranking across segments, the /tmp cache's budget, folding, passages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inbox.adapters.search_index import SearchSegments
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


def ranked(segments: SearchSegments, refs, query: str) -> list[str]:
    return [c.conversation_id for c in segments.candidates(TENANT, refs, match_expression(query), NOW, 1000)]


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
