"""How much a person changed an AI draft before sending it: the AI reply accuracy, pure."""

from __future__ import annotations

from difflib import SequenceMatcher

from inbox.models.draft import DraftOutcome

# Past this many characters in both texts, difflib's exact ratio (quadratic: about 1 s at 8,000 on
# our machines) gives way to its linear upper bound, so an edit that rewrote a long draft is
# measured in time (a little under what it changed).
EXACT_UP_TO = 6_000


def edit_ratio(drafted: str, sent: str) -> float:
    """The share of characters changed, 0 (as drafted) to 1 (all rewritten), from difflib's
    similarity of the two texts; spaces at either end do not count."""
    drafted, sent = drafted.strip(), sent.strip()
    if drafted == sent:
        return 0.0
    # autojunk off: a long reply's frequent characters (spaces, e) must still be matched
    matcher = SequenceMatcher(None, drafted, sent, autojunk=False)
    similarity = matcher.ratio() if len(drafted) + len(sent) <= EXACT_UP_TO else matcher.quick_ratio()
    return round(1.0 - similarity, 3)


def sent_outcome(drafted: str, sent: str) -> tuple[DraftOutcome, float]:
    ratio = edit_ratio(drafted, sent)
    return (DraftOutcome.SENT_UNCHANGED if ratio == 0 else DraftOutcome.SENT_EDITED), ratio


def outcome_counters(outcome: DraftOutcome, ratio: float | None = None) -> dict[str, int]:
    """The day counters a person's decision adds: one per outcome, and the edits' ratios summed in
    thousandths (their mean is the sum over `ai_reply:sent_edited`)."""
    counters = {f"ai_reply:{outcome}": 1}
    if outcome is DraftOutcome.SENT_EDITED and ratio is not None:
        counters["ai_reply:edit_permille"] = round(ratio * 1000)
    return counters
