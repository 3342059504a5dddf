"""How a person's changes to an AI draft are measured (issue 12, item 5): the AI reply accuracy."""

from __future__ import annotations

from difflib import SequenceMatcher

from inbox.domain.drafts import edit_ratio, outcome_counters, sent_outcome
from inbox.models.draft import DraftOutcome

DRAFTED = "Bonjour, votre commande #12345 part demain. Bonne journée !"


def test_a_draft_sent_as_written_is_unchanged_whatever_the_spaces_at_its_ends():
    assert sent_outcome(DRAFTED, f"  {DRAFTED}\n") == (DraftOutcome.SENT_UNCHANGED, 0.0)


def test_a_small_edit_is_a_small_ratio_and_a_rewrite_a_large_one():
    small = edit_ratio(DRAFTED, DRAFTED.replace("demain", "lundi"))
    rewrite = edit_ratio(DRAFTED, "Nous vous rappelons dans l'heure.")
    assert 0 < small < 0.15
    assert rewrite > 0.5
    assert sent_outcome(DRAFTED, "x")[0] is DraftOutcome.SENT_EDITED


def test_everything_replaced_is_a_ratio_of_one():
    assert edit_ratio("aaaa", "zzzz") == 1.0


def test_the_counters_of_a_decision():
    assert outcome_counters(DraftOutcome.DISCARDED) == {"ai_reply:discarded": 1}
    assert outcome_counters(DraftOutcome.SENT_EDITED, 0.1234) == {
        "ai_reply:sent_edited": 1,
        "ai_reply:edit_permille": 123,
    }
    assert outcome_counters(DraftOutcome.SENT_UNCHANGED, 0.0) == {"ai_reply:sent_unchanged": 1}


def test_a_long_rewrite_is_measured_by_difflibs_linear_bound_under_the_exact_ratio():
    # A person pasted a long text over a short draft: the exact ratio would take the API past its timeout.
    drafted = "Bonjour, votre commande #12345 part demain. " * 90  # about 4,000 characters
    pasted = "Voici nos conditions générales de vente, article par article. " * 1600  # about 100,000
    ratio = edit_ratio(drafted, pasted)
    assert 0.9 < ratio <= 1.0
    shorter = pasted[:4000]  # still over the exact threshold with the draft: a bound, never above the change
    exact = 1 - SequenceMatcher(None, drafted, shorter, autojunk=False).ratio()
    assert edit_ratio(drafted, shorter) <= round(exact, 3)
