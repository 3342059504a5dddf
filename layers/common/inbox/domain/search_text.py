"""Search text (issue 14, item 1), pure: what a person types -> a safe FTS5 MATCH expression, and what
of a conversation or a message is searchable (its document).

The index's tokenizer is FTS5's `unicode61 remove_diacritics 2`: words are runs of letters and digits,
lower-cased, accents dropped ("Problème" is "probleme"); `fold` and `tokens` read text the same way.

The query language, and nothing more: every word is a prefix ("commande" finds "commandes"); a word
with inner punctuation (an address, "l'équipe") is a phrase of its parts, its last part a prefix;
"quoted words" are a phrase; digits typed with spaces, dots or dashes ("06 12 34 56 78", "+33 6 12")
are one number as well as the words they are. Every part goes into the expression as a quoted FTS5
string made of letters, digits and spaces only, so nothing a person types is FTS5 syntax (no
operator, column filter or unbalanced quote can come through)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from inbox.errors import InvalidInputError

MAX_QUERY = 200  # characters of a query
MAX_TERMS = 16  # parts of a query (each costs a lookup in every segment)
MIN_PREFIX = 2  # a one-letter word is a word, not a prefix (it would match most of the index)
MIN_NUMBER_DIGITS = 6  # digits typed in groups read as one number from this length (a phone's)
MIN_NATIONAL_DIGITS = 9  # a national number typed with its country code: the forms the query also looks for
MAX_INDEXED_TEXT = 50_000  # characters of a message's text that are indexed (the start of a long mail)

_WORD = re.compile(r"\w+")  # letters, digits (and "_", which unicode61 separates: see tokens)
_NUMBERISH = re.compile(r"^\+?[\d.\-()/]*\d[\d.\-()/]*$")
_PHRASE = re.compile(r'"[^"]*"(?: \*)?')  # a phrase of match_expression's, with its prefix star
_NUMBER_IN_TEXT = re.compile(r"(?<![\w+])\+?\d[\d .\-]{6,18}\d(?!\w)")


def fold(text: str) -> str:
    """Lower case, accents dropped: as the index reads text ("Problème" -> "probleme")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def indexed_form(text: str) -> str:
    """Text as the index stores it: compatibility forms made plain (a ligature "fi" -> two letters,
    full-width letters and digits -> ASCII), as `fold` makes them in a query; case and accents stay
    for the passage shown (the tokenizer drops them)."""
    return unicodedata.normalize("NFKC", text)


def tokens(text: str) -> list[str]:
    """The index's words of `text`, folded."""
    return [t for t in _WORD.findall(fold(text).replace("_", " ")) if t]


# ------------------------------------------------------------------ the query


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression of a person's query: every part must match (AND).

    InvalidInputError on `q` when it is too long or holds nothing searchable (only punctuation)."""
    if len(query) > MAX_QUERY:
        raise InvalidInputError("q", f"at most {MAX_QUERY} characters")
    pieces = query.split('"')
    open_phrase = len(pieces) % 2 == 0  # an odd number of quotes: the last phrase is still being typed
    parts: list[str] = []
    for position, piece in enumerate(pieces):
        if position % 2:  # between quotes
            words = tokens(piece)
            last = position == len(pieces) - 1
            if words:
                parts.append(_phrase(words, prefix=open_phrase and last))
        else:
            parts += _loose_words(piece)
    parts = list(dict.fromkeys(parts))
    if len(parts) > MAX_TERMS:  # never silently dropped (issue 14 review, search item 14)
        raise InvalidInputError("q", f"at most {MAX_TERMS} words, numbers or phrases")
    if not parts:
        raise InvalidInputError("q", "nothing to search for: type a word or a number")
    return " AND ".join(parts)


def match_phrases(match: str) -> list[str]:
    """The phrases of a MATCH expression made by match_expression, each a MATCH expression of its own
    (BM25 weighs each by its own rarity)."""
    return list(dict.fromkeys(_PHRASE.findall(match)))


def _loose_words(text: str) -> list[str]:
    """Words outside quotes; a run of number-like words is also read as the one number they make."""
    parts: list[str] = []
    run: list[str] = []
    for word in [*text.split(), ""]:  # "" ends the last run
        if word and _NUMBERISH.match(word):
            run.append(word)
            continue
        if run:
            parts.append(_number(run))
            run = []
        words = tokens(word)
        if words:
            parts.append(_phrase(words, prefix=len(words) > 1 or len(words[0]) >= MIN_PREFIX))
    return parts


def _number(run: list[str]) -> str:
    """Digits typed in groups: the number they make (and, typed with a +, its national forms), or the
    groups as words (an order number in a text)."""
    groups = [token for word in run for token in tokens(word)]
    digits = "".join(groups)
    as_words = _phrase(groups, prefix=len(groups) > 1 or len(groups[0]) >= MIN_PREFIX)
    international = run[0].startswith("+")
    if len(digits) < MIN_NUMBER_DIGITS or (len(groups) == 1 and not international):
        return as_words
    forms = [digits]
    if international:  # its national forms, for a national number long enough not to be another's start
        nationals = [digits[code:] for code in (1, 2, 3) if len(digits) - code >= MIN_NATIONAL_DIGITS]
        forms += [form for national in nationals for form in (national, "0" + national)]
    alternatives = dict.fromkeys([*(_phrase([form], prefix=True) for form in forms), as_words])
    return "(" + " OR ".join(alternatives) + ")"


def _phrase(words: list[str], prefix: bool) -> str:
    # Only letters, digits and spaces are ever inside the quotes: tokens() guarantees it.
    return f'"{" ".join(words)}"' + (" *" if prefix else "")


# ------------------------------------------------------------------ numbers as people type them


def phone_forms(phone: str | None) -> list[str]:
    """A phone number in the forms a person types, as words: "+33612345678" -> 33612345678,
    612345678, 0612345678 (and the same without one, two or three digits of country code, as the
    code's length is not known here)."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if len(digits) < MIN_NUMBER_DIGITS:
        return [digits] if digits else []
    forms = [digits]
    if (phone or "").lstrip().startswith("+"):
        for code in (1, 2, 3):
            national = digits[code:]
            if len(national) >= MIN_NUMBER_DIGITS:
                forms += [national, "0" + national]
    return list(dict.fromkeys(forms))


def numbers_in(text: str) -> list[str]:
    """Phone-like numbers written in a text with spaces, dots or dashes ("06 12 34 56 78"), joined,
    so that the number typed without spaces finds them too."""
    found = []
    for match in _NUMBER_IN_TEXT.finditer(text[:MAX_INDEXED_TEXT]):
        written = match.group(0)
        if any(c in written for c in " .-"):
            found += phone_forms(written)
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------ documents


@dataclass(frozen=True)
class SearchDocument:
    """What the index holds of a message (`doc_id` "m:<id>") or of a conversation's subject and
    contact ("c:<id>"). A newer document with the same `doc_id` replaces the older one."""

    doc_id: str
    conversation_id: str
    message_id: str | None
    at: datetime
    subject: str = ""
    text: str = ""
    contact: str = ""  # names
    emails: str = ""
    phones: str = ""  # every form of every number, words separated by spaces


def message_doc_id(message_id: str) -> str:
    return f"m:{message_id}"


def conversation_doc_id(conversation_id: str) -> str:
    return f"c:{conversation_id}"
