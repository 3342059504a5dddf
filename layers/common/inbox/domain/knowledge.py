"""The knowledge base as the AI reads it, pure: documents cut into passages, words folded and lightly
stemmed, and the passages chosen for a prompt (the whole base when it fits, else BM25's best).

Folding and stemming are deliberately light, the same for French and English (a customer writes
either, often without accents): "Problème", "probleme" and "problèmes" are one word, as are
"commande" and "commandes", "order", "orders" and "ordered". A real stemmer would merge more words,
and sometimes the wrong ones; these few rules only merge the forms a search would be blamed for missing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from inbox.models.knowledge import KnowledgeSelection, Passage

MAX_PASSAGE_CHARS = 1_500  # a passage quotes well and a few dozen fit a prompt beside the conversation
CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb for English; French runs a little lower: the budget keeps a margin
PASSAGE_OVERHEAD_TOKENS = 12  # what a prompt adds around each passage: its id, its title's label, separators

# Letters folding leaves whole (NFKD keeps them): the ligatures and the few letters French and English text meets.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "ł": "l"})
_WORD = re.compile(r"[a-z0-9]+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")

# The words that say nothing about what a passage is about, folded; kept short on purpose (a
# customer's "pas" or "not" matters less than the noun beside it, but costs little to keep out).
_STOPWORD_TEXT = """
    a au aux avec ce ces cet cette dans de des du elle en est et etre il ils je la le les leur lui ma mais me
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses si son sur ta te tes toi ton tu un une
    vos votre vous y c d j l m n s t bonjour merci cordialement
    an and are as at be been but by can could do does for from had has have he her his hi hello i if in into is
    it its me my no not of on or our please she so that the their them there these they this to was we were what
    when which who will with would you your thanks thank regards
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# ------------------------------------------------------------------ words


def fold(text: str) -> str:
    """Lower case without accents: "Problème" -> "probleme", "Œuvre" -> "oeuvre"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def stem(word: str) -> str:
    """A folded word's light stem: plurals, French mute endings, English -ing/-ed/-ies."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("s", "x")) and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    while word.endswith("e") and len(word) > 4:  # commande/command, livree/livre/livr
        word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The stems of a text's words, stop words left out, in order (repeats kept: BM25 counts them)."""
    return [stem(word) for word in _WORD.findall(fold(text)) if word not in _STOPWORDS]


# ------------------------------------------------------------------ passages


def split_passages(text: str, max_chars: int = MAX_PASSAGE_CHARS) -> list[str]:
    """A document's text cut into passages of at most `max_chars`, on its own boundaries: a heading
    starts a passage, paragraphs are gathered until the next would not fit, and only a paragraph
    longer than a passage is cut, between sentences and, failing that, between words."""
    passages: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            passages.append("\n\n".join(current))
            current.clear()

    for block in _blocks(text):
        if _HEADING.match(block):
            flush()
        for piece in _pieces(block, max_chars):
            if current and len("\n\n".join([*current, piece])) > max_chars:
                flush()
            current.append(piece)
    flush()
    return passages


def _blocks(text: str) -> list[str]:
    """Paragraphs (blank-line separated), a heading line always its own block."""
    blocks: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines: list[str] = []
        for line in paragraph.split("\n"):
            if _HEADING.match(line):
                blocks += ["\n".join(lines)] if lines else []
                blocks.append(line)
                lines = []
            else:
                lines.append(line)
        blocks += ["\n".join(lines)] if lines else []
    return [block.strip() for block in blocks if block.strip()]


def _pieces(block: str, max_chars: int) -> list[str]:
    if len(block) <= max_chars:
        return [block]
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(block):
        for part in _hard_cut(sentence, max_chars):
            if pieces and len(pieces[-1]) + 1 + len(part) <= max_chars:
                pieces[-1] += " " + part
            else:
                pieces.append(part)
    return pieces


def _hard_cut(text: str, max_chars: int) -> list[str]:
    """A sentence longer than a passage, between words (or anywhere, for a word that long)."""
    parts: list[str] = []
    while len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars + 1)
        cut = cut if cut > 0 else max_chars
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text] if text else parts


def passages_of(document_id: str, title: str, text: str) -> list[Passage]:
    return [
        Passage(document_id=document_id, passage_id=f"{document_id}:{number}", title=title, text=piece)
        for number, piece in enumerate(split_passages(text), start=1)
    ]


# ------------------------------------------------------------------ the budget


def estimate_tokens(text: str) -> int:
    """Characters / 4, rounded up: no tokenizer in the function (tiktoken's tables weigh megabytes and
    the model may be any OpenAI-compatible server's); the budget is meant to be spent with a margin."""
    return -(-len(text) // CHARS_PER_TOKEN)


def passage_tokens(passage: Passage) -> int:
    return estimate_tokens(passage.title) + estimate_tokens(passage.text) + PASSAGE_OVERHEAD_TOKENS


# ------------------------------------------------------------------ ranking


@dataclass
class Bm25Index:
    """Okapi BM25 over a base's passages (title words count as the passage's own)."""

    passages: Sequence[Passage]
    k1: float = 1.2
    b: float = 0.75
    _terms: list[Counter[str]] = field(init=False)
    _lengths: list[int] = field(init=False)
    _document_frequency: Counter[str] = field(init=False)

    def __post_init__(self) -> None:
        self._terms = [Counter(tokens(f"{p.title}\n{p.text}")) for p in self.passages]
        self._lengths = [sum(terms.values()) for terms in self._terms]
        self._document_frequency = Counter(term for terms in self._terms for term in terms)

    def scores(self, query: str) -> list[float]:
        """Each passage's score for `query`, in the base's order (0 when it shares no word)."""
        count = len(self.passages)
        if not count:
            return []
        average = sum(self._lengths) / count or 1.0
        wanted = set(tokens(query))
        idf = {
            term: math.log(1 + (count - df + 0.5) / (df + 0.5))
            for term in wanted
            if (df := self._document_frequency.get(term, 0))
        }
        results = []
        for terms, length in zip(self._terms, self._lengths, strict=True):
            norm = self.k1 * (1 - self.b + self.b * length / average)
            results.append(sum(w * terms[t] * (self.k1 + 1) / (terms[t] + norm) for t, w in idf.items() if t in terms))
        return results


def select(
    base: Sequence[Passage], conversation_text: str, budget_tokens: int, index: Bm25Index | None = None
) -> KnowledgeSelection:
    """What of the base goes in a prompt: all of it, in its order, when it fits `budget_tokens`;
    else the passages that score best for the conversation, as many as fit (a passage too long for
    what is left is passed over for the next that fits), given back in the base's order so that a
    section cut into passages reads on. Passages that share no word with the conversation are left
    out: an unrelated passage is noise, not grounding."""
    sizes = [passage_tokens(p) for p in base]
    if sum(sizes) <= budget_tokens:
        return KnowledgeSelection(passages=list(base), whole=True)
    scores = (index or Bm25Index(base)).scores(conversation_text)
    ranked = sorted((i for i in range(len(base)) if scores[i] > 0), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    left = budget_tokens
    for i in ranked:
        if sizes[i] <= left:
            chosen.append(i)
            left -= sizes[i]
    return KnowledgeSelection(passages=[base[i] for i in sorted(chosen)], whole=False)


def cited(selection: KnowledgeSelection, passage_ids: Iterable[str]) -> list[Passage]:
    """The passages of a selection a reply says it used, unknown ids left out (a model may invent one)."""
    by_id = {p.passage_id: p for p in selection.passages}
    return [by_id[i] for i in dict.fromkeys(passage_ids) if i in by_id]
