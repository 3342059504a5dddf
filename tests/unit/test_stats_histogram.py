"""Durations as log-bucket histograms (issue 14, item 2): the mean exact, the median and 90th
percentile within a bucket's width, whatever the spread."""

from __future__ import annotations

import random

import pytest

from inbox.domain.stats_figures import merged
from inbox.domain.stats_histogram import bucket_bounds, bucket_of, durations, increments


@pytest.mark.parametrize("seconds", [0, 1, 59, 60, 3599, 86_400, 30 * 86_400, 400 * 86_400])
def test_a_duration_falls_in_the_bucket_whose_bounds_hold_it(seconds):
    low, high = bucket_bounds(bucket_of(seconds))
    assert low <= seconds < high
    assert high - low <= 0.19 * (seconds + 1) + 1e-9


def test_mean_is_exact_and_quantiles_are_within_a_bucket_of_the_true_ones():
    rng = random.Random(14)
    values = [rng.lognormvariate(7, 1.5) for _ in range(2000)]  # from seconds to days
    counters = merged(increments("rt.person", v) for v in values)
    read = durations(counters, "rt.person")
    ordered = sorted(values)
    assert read["count"] == 2000
    assert read["mean_seconds"] == pytest.approx(sum(round(v) for v in values) / 2000)
    for name, q in (("median_seconds", 0.5), ("p90_seconds", 0.9)):
        true = ordered[int(q * len(ordered)) - 1]
        assert abs(read[name] - true) <= 0.19 * true + 1


def test_no_duration_reads_as_nulls():
    assert durations({}, "frt.auto") == {"count": 0, "mean_seconds": None, "median_seconds": None, "p90_seconds": None}


def test_two_histograms_read_together_are_their_union():
    counters = merged([increments("frt.person", 100), increments("frt.auto", 10), increments("frt.auto", 30)])
    assert durations(counters, "frt.person", "frt.auto")["count"] == 3
    assert durations(counters, "frt.person", "frt.auto")["mean_seconds"] == pytest.approx(140 / 3)
