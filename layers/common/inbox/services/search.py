"""Search (issue 14, item 1): the reader the API asks, over a tenant's index.

The index is per tenant, immutable SQLite FTS5 segments in the blob bucket, listed by one commit point
(the manifest item). See adapters/search_index.py (the segments) and services/search_indexer.py (the
feed from the table's stream and the indexer that writes segments).

The reader's public interface, used by the HTTP routes:

    hits, next_cursor = wiring.search().search(who, "probleme commande", limit=25, cursor=None, where=None)

- `query`: the person's words (see domain/search_text.py): each word accent- and case-insensitive and a
  prefix ("commande" finds "commandes"), "quoted phrases", a phone number's digits with or without
  spaces. Nothing searchable in it, or more than 200 characters: InvalidInputError("q", ...).
- `where`: the conversation list's filters (None: every conversation of the tenant); applied to the
  conversations as they are now, exactly as the list applies them.
- The hits: one per conversation, best first (relevance, then recency), each with the passage that
  matched (`snippet`: plain text parts, the matched words marked; never HTML) and the conversation as
  read now (so a list needs no second read). At most `limit` (1..100); `next_cursor` is None at the end.
  A filtered search reads at most MAX_READS conversations per request: its page may be short (even
  empty) with a `next_cursor` that goes on from there.
- Only `who.tenant_id`'s index is read: the key prefix of every segment and of the manifest is built
  from it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from inbox.adapters.dynamodb.table import decode_cursor, encode
from inbox.domain.search_filter import in_list
from inbox.domain.search_manifest import SearchManifest, SegmentRef
from inbox.domain.search_text import match_expression
from inbox.errors import InvalidInputError
from inbox.models import Conversation, ConversationFilter, Principal

MAX_LIMIT = 100
CANDIDATES = 1_000  # best documents read per segment: a search's results go as deep as this
MAX_READS = 200  # conversations read (BatchGetItem) per request: a filter that drops most gives a
# short page and the cursor where it stopped, not thousands of reads (issue 14 review, search item 7)


@dataclass(frozen=True)
class SnippetPart:
    """A piece of the passage shown: `match` is True for a word the query found."""

    text: str
    match: bool


@dataclass(frozen=True)
class SearchHit:
    """One conversation found. `message_id`: the message that matched best (None: its subject or
    contact matched, no message did). `score`: higher is better (relevance weighed by recency)."""

    conversation_id: str
    message_id: str | None
    score: float
    at: datetime
    snippet: list[SnippetPart]
    conversation: Conversation


class Manifests(Protocol):
    def get_search_manifest(self, tenant_id: str) -> SearchManifest: ...


class Conversations(Protocol):
    def conversations_by_id(self, tenant_id: str, conversation_ids: list[str]) -> dict[str, Conversation]: ...


class Candidate(Protocol):
    score: float
    conversation_id: str
    message_id: str | None
    at: datetime


class Segments(Protocol):
    def candidates(
        self, tenant_id: str, segments: Sequence[SegmentRef], match: str, now: datetime, limit: int
    ) -> Sequence[Candidate]: ...
    def snippet(self, tenant_id: str, candidate: Candidate, match: str) -> list[tuple[str, bool]]: ...


class Search:
    """The reader: one GetItem (the manifest), then the tenant's segments from the /tmp cache, then
    the found conversations (BatchGetItem) to apply the list's filters and drop the deleted."""

    def __init__(
        self, manifests: Manifests, segments: Segments, conversations: Conversations, clock: Callable[[], datetime]
    ) -> None:
        self._manifests = manifests  # the commit point (adapters/dynamodb/search_manifest.py)
        self._segments = segments  # the segment files (adapters/search_index.py)
        self._conversations = conversations  # the store: the hits' conversations, read now
        self._clock = clock

    def search(
        self,
        who: Principal,
        query: str,
        limit: int = 25,
        cursor: str | None = None,
        where: ConversationFilter | None = None,
    ) -> tuple[list[SearchHit], str | None]:
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInputError("limit", f"between 1 and {MAX_LIMIT}")
        match = match_expression(query)  # a 422 on q before any read
        position = _position(cursor)
        tenant_id = who.tenant_id
        manifest = self._manifests.get_search_manifest(tenant_id)
        if not manifest.segments:
            return [], None
        now = self._clock()
        best: dict[str, Candidate] = {}  # a conversation's best document, in rank order
        for candidate in self._segments.candidates(tenant_id, manifest.segments, match, now, CANDIDATES):
            best.setdefault(candidate.conversation_id, candidate)  # a deleted one is then not found: dropped
        ranked = list(best.values())
        page: list[tuple[Candidate, Conversation]] = []
        reads = 0
        while position < len(ranked) and len(page) < limit and reads < MAX_READS:
            # Filters drop some: read ahead then; without, read just what the page shows.
            ahead = limit - len(page) if where is None else min(MAX_LIMIT, 2 * limit)
            chunk = ranked[position : position + min(ahead, MAX_READS - reads)]
            reads += len(chunk)
            found = self._conversations.conversations_by_id(tenant_id, [c.conversation_id for c in chunk])
            for candidate in chunk:
                position += 1
                conversation = found.get(candidate.conversation_id)
                if conversation and (where is None or in_list(conversation, where)):
                    page.append((candidate, conversation))
                    if len(page) == limit:
                        break
        hits = [
            SearchHit(
                conversation_id=c.conversation_id,
                message_id=c.message_id,
                score=round(c.score, 6),
                at=c.at,
                snippet=[SnippetPart(t, m) for t, m in self._segments.snippet(tenant_id, c, match)],
                conversation=conversation,
            )
            for c, conversation in page
        ]
        return hits, encode({"search": position}) if position < len(ranked) else None


def _position(cursor: str | None) -> int:
    if not cursor:
        return 0
    state = decode_cursor(cursor)
    if not (isinstance(state, dict) and isinstance(state.get("search"), int) and state["search"] >= 0):
        raise InvalidInputError("cursor", "does not continue this search")
    return state["search"]
