"""The statistics page's figures (issue 14 review, statistics items 4, 5, 6, 13): what a user reads."""

from __future__ import annotations

from inbox.domain.stats_figures import ai_figures


def test_the_ai_section_counts_the_ais_classifications_not_the_rules():
    counters = {"classified:rule:orders": 7, "corrected:rule:orders": 3, "classified:ai:billing": 4}
    counters |= {"corrected:ai:billing": 1}
    ai = ai_figures(counters)
    assert (ai["classified"], ai["classification_kept"]) == (4, 3)


def test_the_resolution_rate_is_not_capped_at_one():
    from inbox.domain.stats_figures import figures

    # two conversations created before the period resolved in it, one created: 2 resolutions for 1
    assert figures({"created": 1, "resolved": 2}, False)["resolution_rate"] == 2.0
    assert figures({"created": 4, "resolved": 1}, False)["resolution_rate"] == 0.25
    assert figures({"resolved": 1}, False)["resolution_rate"] is None


def test_a_creation_moved_out_of_a_period_that_never_counted_it_shows_zero_not_minus_one():
    from inbox.domain.stats_figures import figures, shown_breakdown

    # a conversation from before the counters existed, moved: -1 where it was never counted
    counters = {"created": -1, "created:folder:orders": -1, "created:folder:billing": 2, "resolved": 1}
    page = figures(counters, False)
    assert (page["conversations_created"], page["resolution_rate"]) == (0, None)
    assert shown_breakdown(counters)["folder"] == {"billing": 2}


def test_a_single_duration_reads_as_itself():
    from inbox.domain.stats_histogram import durations, increments

    read = durations(increments("frt.person", 1000), "frt.person")
    assert read == {"count": 1, "mean_seconds": 1000.0, "median_seconds": 1000.0, "p90_seconds": 1000.0}
