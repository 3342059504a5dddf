"""Search (issue 14, item 1): what found a conversation, as the list shows it beside the conversation."""

from __future__ import annotations

from pydantic import BaseModel, Field

MAX_QUERY = 200  # characters of `q` (the contract's bound, checked before the query is read)


class SnippetPartOut(BaseModel):
    """A piece of the passage: plain text, never HTML; `match` marks the words the query found."""

    text: str
    match: bool


class SearchMatch(BaseModel):
    message_id: str | None = Field(
        None, description="The message the passage is from; null when the subject or the contact matched."
    )
    snippet: list[SnippetPartOut] = Field(description="The passage in order; join the texts to read it.")

    @classmethod
    def of(cls, hit) -> SearchMatch:
        """From the reader's `SearchHit` (services/search.py)."""
        return cls(
            message_id=hit.message_id,
            snippet=[SnippetPartOut(text=part.text, match=part.match) for part in hit.snippet],
        )
