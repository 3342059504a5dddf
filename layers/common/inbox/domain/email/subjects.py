"""Subjects as a thread keeps them, whatever replies, forwards and mail gateways did to them."""

from __future__ import annotations

import re
import unicodedata

# Reply and forward markers that mail programs put in front of a subject, casefolded, in one place.
_SUBJECT_PREFIXES = (
    *("re", "fw", "fwd"),  # English, and most programs whatever their language
    *("aw", "wg"),  # German: Antwort, Weitergeleitet
    *("tr", "réf", "ref"),  # French: transféré, référence
    *("sv", "vs", "vb", "vl"),  # Nordic: svar, vastaus, videresendt, vidarebefordrat, välitetty
    *("rv", "res", "enc"),  # Spanish and Portuguese: reenviado, resposta, encaminhado
    *("rif",),  # Italian: riferimento
    *("antw", "doorst"),  # Dutch: antwoord, doorgestuurd
    *("odp", "pd"),  # Polish and Czech: odpowiedź, przekazanie dalej
    *("ynt", "ilt", "i\u0307lt"),  # Turkish: YNT, İLT (casefolded with its dot)
    *("vá", "továbbítás"),  # Hungarian
    *("απ", "σχετ", "πρθ"),  # Greek
    *("השב", "הועבר"),  # Hebrew
    *("回复", "答复", "回覆", "转发", "轉寄", "轉發"),  # Chinese
    *("返信", "転送"),  # Japanese
    *("회신", "전달"),  # Korean
)
# Labels that mail gateways, not people, put in front of a subject.
_GATEWAY_TAGS = ("external", "ext", "externe", "extern", "externo", "esterno", "spam", "suspected spam", "caution")
_PREFIX = re.compile(
    r"^\s*(?:"
    r"(?:" + "|".join(sorted(map(re.escape, _SUBJECT_PREFIXES), key=len, reverse=True)) + r")"
    r"\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*:"  # Re: RE : Re[2]: Re(3): Re^2:
    r"|\[(?:" + "|".join(map(re.escape, _GATEWAY_TAGS)) + r")\]"  # [EXTERNAL]
    r"|\*+(?:" + "|".join(map(re.escape, _GATEWAY_TAGS)) + r")\*+"  # *EXTERNAL* ***SPAM***
    r")\s*"
)


def normalize_subject(subject: str | None) -> str:
    """The subject a thread keeps whatever replies and forwards did to it; the threading key of last resort.

    Compatibility-normalised (full-width colons and letters become plain ones), casefolded, reply and
    forward markers and gateway labels stripped however many and however nested, whitespace folded.
    """
    if not subject:
        return ""
    text = " ".join(unicodedata.normalize("NFKC", subject).casefold().split())
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            return text.strip()
        text = stripped
