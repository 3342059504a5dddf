"""The passage shown with a search hit (issue 14, item 1; review item 15): the best column of the
document's own words, never the phone numbers' generated forms ("33612345678 612345678 0612345678"
was shown when a phone matched)."""

from __future__ import annotations

import sqlite3

MARK_START, MARK_END = "\x02", "\x03"  # what snippet() puts around a matched word: never in a text we index
SNIPPET_TOKENS = 24
# Columns of adapters/search_index.COLUMNS shown as a passage, the text first when two match as well.
SHOWN = {"text": 1, "subject": 0, "contact": 2, "emails": 3}
PHONES = 4
CONTACT = 2
_SNIPPET = "SELECT snippet(docs, ?, ?, ?, '…', ?) FROM docs WHERE docs MATCH ? AND rowid = ?"


def passage(db: sqlite3.Connection, rowid: int, match: str) -> list[tuple[str, bool]]:
    """(text, matched) parts, in order: the shown column with the most matched words; when only the
    phone numbers matched, the contact's name and the one number form that matched."""
    best: list[tuple[str, bool]] = []
    for column in SHOWN.values():
        parts = _snippet(db, column, rowid, match)
        if _marks(parts) > _marks(best):
            best = parts
    if _marks(best):
        return best
    number = [part for part in _snippet(db, PHONES, rowid, match) if part[1]][:1]
    contact = [(text, False) for text, _ in _snippet(db, CONTACT, rowid, match)]
    shown = [*contact, (" ", False), *number] if contact and number else contact or number
    return shown or _snippet(db, SHOWN["text"], rowid, match)


def _snippet(db: sqlite3.Connection, column: int, rowid: int, match: str) -> list[tuple[str, bool]]:
    row = db.execute(_SNIPPET, (column, MARK_START, MARK_END, SNIPPET_TOKENS, match, rowid)).fetchone()
    return parts(row[0] if row else "")


def _marks(parts_: list[tuple[str, bool]]) -> int:
    return sum(1 for _, matched in parts_ if matched)


def parts(snippet: str) -> list[tuple[str, bool]]:
    """snippet()'s text with its marks -> (text, matched) parts; marks never leave the adapters."""
    first, *marked_chunks = snippet.split(MARK_START)
    found: list[tuple[str, bool]] = [(first, False)] if first else []
    for chunk in marked_chunks:
        marked, _, rest = chunk.partition(MARK_END)
        found += [(text, matched) for text, matched in ((marked, True), (rest, False)) if text]
    return found
