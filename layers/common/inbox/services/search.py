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
- Only `who.tenant_id`'s index is read: the key prefix of every segment and of the manifest is built
  from it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from inbox.errors import InvalidInputError

if TYPE_CHECKING:
    from inbox.models import Conversation, ConversationFilter, Principal

MAX_LIMIT = 100


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


class Search:
    """The reader: one GetItem (the manifest), then the tenant's segments from the /tmp cache."""

    def __init__(self, manifests, segments, conversations, clock) -> None:
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
        return [], None  # filled in next (issue 14, item 1): the interface comes first for the API
