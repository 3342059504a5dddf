"""The statistics' periods (issue 14, item 2): days, ISO weeks from Monday, months; and AI prices."""

from __future__ import annotations

from datetime import date

import pytest

from inbox.domain.ai_prices import estimated_cost, price_of
from inbox.domain.stats_periods import Granularity, period_starts


def test_a_range_is_cut_in_the_periods_that_meet_it():
    first, last = date(2026, 11, 1), date(2026, 12, 2)
    assert period_starts(first, last, Granularity.MONTH) == [date(2026, 11, 1), date(2026, 12, 1)]
    weeks = period_starts(first, last, Granularity.WEEK)
    assert weeks[0] == date(2026, 10, 26)  # Sunday 1 November is in the week of Monday 26 October
    assert weeks[-1] == date(2026, 11, 30)
    assert len(period_starts(first, last, Granularity.DAY)) == 32
    assert period_starts(date(2026, 12, 15), date(2027, 1, 5), Granularity.MONTH) == [
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]


def test_a_models_price_is_its_longest_listed_prefix_and_cached_tokens_are_cheaper():
    assert price_of("gpt-4o-mini-2024-07-18") == price_of("gpt-4o-mini")
    assert price_of("gpt-4o-2024-08-06") != price_of("gpt-4o-mini")
    full = estimated_cost("gpt-4o-mini", 1_000_000, 0, 0)
    cached = estimated_cost("gpt-4o-mini", 1_000_000, 1_000_000, 0)
    assert full == pytest.approx(0.15)
    assert cached == pytest.approx(0.075)


def test_a_range_of_days_is_covered_by_its_whole_months_and_the_days_around_them():
    from inbox.domain.stats_periods import month_cover

    day, month = Granularity.DAY, Granularity.MONTH
    assert month_cover(date(2026, 11, 3), date(2026, 11, 20)) == [(day, date(2026, 11, 3), date(2026, 11, 20))]
    assert month_cover(date(2026, 11, 1), date(2026, 11, 30)) == [(month, date(2026, 11, 1), date(2026, 11, 1))]
    assert month_cover(date(2025, 12, 3), date(2026, 12, 2)) == [
        (day, date(2025, 12, 3), date(2025, 12, 31)),
        (month, date(2026, 1, 1), date(2026, 11, 1)),
        (day, date(2026, 12, 1), date(2026, 12, 2)),
    ]
    assert month_cover(date(2026, 10, 15), date(2026, 11, 14)) == [(day, date(2026, 10, 15), date(2026, 11, 14))]
