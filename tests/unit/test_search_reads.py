"""The search reader's cost per request (issue 14 review, search item 7): a filter that drops most
of what matched reads at most MAX_READS conversations, and the cursor goes on where it stopped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from inbox.domain.search_manifest import SearchManifest, SegmentRef
from inbox.models import ConversationFilter, Principal, Role
from inbox.services.search import MAX_READS, Search
from samples import sample_conversation

AT = datetime(2026, 12, 1, tzinfo=UTC)
WHO = Principal(user_id="u1", tenant_id="t", role=Role.ADMIN)
MINE = ConversationFilter(assignee_id="u1")


@dataclass(frozen=True)
class Found:
    score: float
    conversation_id: str
    message_id: str | None
    at: datetime


class Index:
    def get_search_manifest(self, tenant_id):
        return SearchManifest(tenant_id, 1, (SegmentRef("t/search/seg-1.db", 1000, 1),))

    def candidates(self, tenant_id, segments, match, now, limit):
        return [Found(1000 - n, f"c{n}", None, AT) for n in range(1000)]

    def snippet(self, tenant_id, candidate, match):
        return [("bonjour", True)]


class Conversations:
    """Every conversation someone else's but the last one: a filter on Mine drops them."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def conversations_by_id(self, tenant_id, conversation_ids):
        self.read += conversation_ids
        return {i: sample_conversation(id=i, assignee_id="u1" if i == "c999" else "u2") for i in conversation_ids}


def test_a_filtered_search_reads_at_most_its_cap_and_goes_on_from_where_it_stopped():
    conversations = Conversations()
    search = Search(Index(), Index(), conversations, lambda: AT)
    hits, cursor = search.search(WHO, "bonjour", 25, None, MINE)
    assert (hits, len(conversations.read)) == ([], MAX_READS)  # a short page, not 1,000 reads
    assert cursor is not None
    pages = 1
    while cursor:
        hits, cursor = search.search(WHO, "bonjour", 25, cursor, MINE)
        pages += 1
    assert [hit.conversation_id for hit in hits] == ["c999"]
    assert len(conversations.read) == 1000  # each read once, over the pages
    assert pages == 1000 // MAX_READS
