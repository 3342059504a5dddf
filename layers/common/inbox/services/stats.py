"""How the inbox is doing (issue 14, item 2): the statistics page from the counters the stream
recorder and the AI's callers keep, and the AI accuracy from the day counters. A page is a fixed
number of reads whatever its length: the tenant's settings, one Query of the dimension's periods,
and the people's and the AI's totals (by day: their whole months read as months, the days around
them as days; by week or month: one Query each)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Protocol

from inbox.domain.stats import Accuracy, classification_accuracy
from inbox.domain.stats_figures import merged, report
from inbox.domain.stats_periods import Granularity, StatsQuery, month_cover, period_starts
from inbox.models.business_hours import BusinessHours


class Store(Protocol):
    def stats_between(self, tenant_id: str, first_day: str, last_day: str) -> dict[str, dict[str, int]]: ...
    def counters_between(
        self, tenant_id: str, granularity: str, dimension: str, first: str, last: str
    ) -> dict[str, dict[str, int]]: ...
    def people_between(
        self, tenant_id: str, granularity: str, first: str, last: str
    ) -> dict[tuple[str, str], dict[str, int]]: ...


Calendar = Callable[[str], tuple[BusinessHours, str]]  # tenant -> its business hours, the zone counted in


class Statistics:
    def __init__(self, store: Store, calendar: Calendar | None = None):
        self._store = store
        self._calendar = calendar

    def classification_accuracy(self, tenant_id: str, days: int, today: date) -> list[Accuracy]:
        """Per day, decider and folder, how often people kept what was decided: the `days` up to `today`."""
        first_day = today - timedelta(days=days - 1)
        return classification_accuracy(self._store.stats_between(tenant_id, first_day.isoformat(), today.isoformat()))

    def report(self, tenant_id: str, query: StatsQuery) -> dict:
        """The page's figures, shaped as the API's `StatsOut`."""
        _, zone = self._calendar(tenant_id) if self._calendar else (None, "UTC")
        granularity = query.granularity.value
        starts = period_starts(query.first, query.last, query.granularity)
        first, last = starts[0].isoformat(), starts[-1].isoformat()
        counted = self._store.counters_between(tenant_id, granularity, query.dimension, first, last)
        # Totals over the range: by day, its whole months are read as months (a year: 12 items a person)
        ranges = (
            month_cover(starts[0], starts[-1])
            if query.granularity is Granularity.DAY
            else [(query.granularity, starts[0], starts[-1])]
        )
        people: dict[str, list[dict[str, int]]] = {}
        ai_parts: list[dict[str, int]] = []
        for kind, start, end in ranges:
            read = (tenant_id, kind.value, start.isoformat(), end.isoformat())
            for (_, person), counters in self._store.people_between(*read).items():
                people.setdefault(person, []).append(counters)
            ai_parts += self._store.counters_between(tenant_id, kind.value, "ai", *read[2:]).values()
        ai = merged(ai_parts)
        return report(
            query,
            zone,
            {start: counted.get(start.isoformat(), {}) for start in starts},
            {person: merged(items) for person, items in people.items()},
            ai,
        )

    def csv(self, page: dict) -> str:
        """The same figures as CSV: a header row, one row per period (durations in seconds)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for period in page["periods"]:
            writer.writerow([_cell(period, column) for column in CSV_COLUMNS])
        return out.getvalue()


CSV_COLUMNS = (
    "start",
    "messages_in",
    "messages_out",
    "conversations_created",
    "resolved",
    "reopened",
    "resolution_rate",
    "resolution_time.count",
    "resolution_time.mean_seconds",
    "resolution_time.median_seconds",
    "resolution_time.p90_seconds",
    *(
        f"{kind}.{who}.{part}"
        for kind in ("first_response", "reply_time")
        for who in ("all", "person", "auto")
        for part in ("count", "mean_seconds", "median_seconds", "p90_seconds")
    ),
)


def _cell(figures: dict, column: str) -> str:
    value: object = figures
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) else str(value)
