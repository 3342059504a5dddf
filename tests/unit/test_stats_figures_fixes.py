"""The statistics page's figures (issue 14 review, statistics items 4, 5, 6, 13): what a user reads."""

from __future__ import annotations

from inbox.domain.stats_figures import ai_figures


def test_the_ai_section_counts_the_ais_classifications_not_the_rules():
    counters = {"classified:rule:orders": 7, "corrected:rule:orders": 3, "classified:ai:billing": 4}
    counters |= {"corrected:ai:billing": 1}
    ai = ai_figures(counters)
    assert (ai["classified"], ai["classification_kept"]) == (4, 3)
