"""How the inbox is doing (issue 14, item 2): the statistics page from the counters the stream
recorder and the AI's callers keep, and the AI accuracy from the day counters. A page is a fixed
number of reads whatever its length: the tenant's settings, one Query of the dimension's periods
and, for the totals over exactly the range asked, the people's and the AI's (by day: one Query each,
a page spans at most 92 days; by week or month: the whole periods inside and the days at either end,
at most three Queries each, two for the dimension)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Protocol

from inbox.domain.stats import Accuracy, classification_accuracy
from inbox.domain.stats_figures import merged, report
from inbox.domain.stats_periods import StatsQuery, cover, period_starts
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
        """The page's figures, shaped as the API's `StatsOut`. The periods are whole (a week from its
        Monday, a month from its first); the totals, breakdown, people and AI cover exactly `from`..`to`:
        the whole periods inside, and the days at either end from the day counters."""
        _, zone = self._calendar(tenant_id) if self._calendar else (None, "UTC")
        starts = period_starts(query.first, query.last, query.granularity)
        counted = self._store.counters_between(
            tenant_id, query.granularity.value, query.dimension, starts[0].isoformat(), starts[-1].isoformat()
        )
        totals: list[dict[str, int]] = []
        people: dict[str, list[dict[str, int]]] = {}
        ai: list[dict[str, int]] = []
        for kind, start, end in cover(query.first, query.last, query.granularity):
            first, last = start.isoformat(), end.isoformat()
            if kind is query.granularity:  # the page's own periods: already read
                totals += [counters for at, counters in counted.items() if first <= at <= last]
            else:
                totals += self._store.counters_between(tenant_id, kind.value, query.dimension, first, last).values()
            for (_, person), counters in self._store.people_between(tenant_id, kind.value, first, last).items():
                people.setdefault(person, []).append(counters)
            ai += self._store.counters_between(tenant_id, kind.value, "ai", first, last).values()
        return report(
            query,
            zone,
            {start: counted.get(start.isoformat(), {}) for start in starts},
            merged(totals),
            {person: merged(items) for person, items in people.items()},
            merged(ai),
        )

    def csv(self, page: dict) -> str:
        """The same figures as CSV. First a table, a header row and one row per period, then a `total`
        row (over exactly from..to); after an empty line, the rest in long form (`section,period,name,
        value`): the page's query, each period's and the total's volumes by channel, the breakdown, the
        people and the AI. Durations in seconds; fractions (rates, shares) with up to 6 decimals."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for period in page["periods"]:
            writer.writerow([_cell(period, column) for column in CSV_COLUMNS])
        writer.writerow([TOTAL, *(_cell(page["totals"], column) for column in CSV_COLUMNS[1:])])
        writer.writerow([])
        writer.writerow(("section", "period", "name", "value"))
        for row in _long_rows(page):
            writer.writerow([*row[:3], _number(row[3])])
        return out.getvalue()


TOTAL = "total"  # the `start` of the totals' row, and the `period` of figures over the whole range


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
    return _number(value)


def _number(value: object) -> str:
    """A cell: floats with up to 6 decimals (a 4 % rate is 0.04, not 0.0), never an exponent."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") or "0"
    return str(value)


def _flat(prefix: str, value: object) -> Iterator[tuple[str, object]]:
    """Nested figures as dotted names (`first_response.median_seconds`)."""
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from _flat(f"{prefix}.{name}" if prefix else str(name), inner)
    else:
        yield prefix, value


def _long_rows(page: dict) -> Iterator[tuple[str, str, str, object]]:
    for name in ("from", "to", "granularity", "time_zone", "business_hours"):
        yield "query", TOTAL, name, str(page[name]).lower() if isinstance(page[name], bool) else page[name]
    for name, value in page["filter"].items():
        yield "query", TOTAL, f"filter.{name}", value
    for start, figures in [*((p["start"], p) for p in page["periods"]), (TOTAL, page["totals"])]:
        for name, value in _flat("", figures["by_channel"]):
            yield "by_channel", start, name, value
    for name, value in _flat("", page["breakdown"]):
        yield "breakdown", TOTAL, name, value
    for person in page["people"]:
        figures = {k: v for k, v in person.items() if k != "person_id"}
        for name, value in _flat("", figures):
            yield "people", TOTAL, f"{person['person_id']}.{name}", value
    for name, value in _flat("", page["ai"]):
        yield "ai", TOTAL, name, value
