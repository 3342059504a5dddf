"""The periods statistics are counted in (issue 14, item 2): days, ISO weeks (from Monday) and months of
the tenant's local calendar. Pure: dates in, dates out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# The longest range a page may span: by day, what one Query page of day items holds (a page reads each
# partition once: its requests are constant); longer ranges are read by week or month.
MAX_DAYS = {"day": 92, "week": 5 * 366, "month": 10 * 366}
EARLIEST = date(2000, 1, 1)  # the dates a page may ask for: from here to a year after today
LATEST_AHEAD = timedelta(days=366)


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_start(day: date, granularity: Granularity | str) -> date:
    """The first day of the period holding `day`: itself, its ISO week's Monday, its month's first."""
    if granularity == Granularity.DAY:
        return day
    if granularity == Granularity.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, granularity: Granularity | str) -> date:
    if granularity == Granularity.DAY:
        return start + timedelta(days=1)
    if granularity == Granularity.WEEK:
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_starts(first: date, last: date, granularity: Granularity | str) -> list[date]:
    """Every period meeting [first, last], in order (the first may start before `first`)."""
    starts, start = [], period_start(first, granularity)
    while start <= last:
        starts.append(start)
        start = next_period(start, granularity)
    return starts


def local_day(at: datetime, zone: ZoneInfo) -> date:
    """The tenant's calendar day of an instant."""
    return at.astimezone(zone).date()


@dataclass(frozen=True)
class StatsQuery:
    """What a statistics page asks for; dates are the tenant's local days, both included."""

    first: date
    last: date
    granularity: Granularity
    dimension: str = "all"  # all, channel:<c>, folder:<id|none>, assignee:<user|none>
    business_hours: bool = False


def cover(first: date, last: date, granularity: Granularity | str) -> list[tuple[Granularity, date, date]]:
    """Exactly [first, last] as the fewest ranges of day periods and of `granularity`'s: the whole
    periods in it as one range, and the days before and after them (`(granularity, first period start,
    last period start)`). A total over a page (its key figures, the people's, the AI's) reads these:
    the days it asked for, not the whole weeks or months its periods reach, in at most three Queries
    a partition whatever its length."""
    granularity = Granularity(granularity)
    if granularity is Granularity.DAY:
        return [(Granularity.DAY, first, last)]
    head = period_start(first, granularity)
    start = first if head == first else next_period(head, granularity)  # the first whole period
    end = period_start(last + timedelta(days=1), granularity)  # the first period not whole in it
    if start >= end:
        return [(Granularity.DAY, first, last)]
    ranges = []
    if first < start:
        ranges.append((Granularity.DAY, first, start - timedelta(days=1)))
    ranges.append((granularity, start, period_start(end - timedelta(days=1), granularity)))
    if end <= last:
        ranges.append((Granularity.DAY, end, last))
    return ranges


def month_cover(first: date, last: date) -> list[tuple[Granularity, date, date]]:
    """[first, last] as its whole months and the days around them (see `cover`)."""
    return cover(first, last, Granularity.MONTH)


def range_problem(first: date, last: date, granularity: Granularity | str, today: date) -> tuple[str, str] | None:
    """Why [first, last] cannot be asked for at this granularity: (the query field to name, why), or None.
    Dates far out are refused before any arithmetic on them overflows (9999-12-31 has no next day)."""
    latest = today + LATEST_AHEAD
    for field, day in (("from", first), ("to", last)):
        if not EARLIEST <= day <= latest:
            return field, f"must be between {EARLIEST.isoformat()} and {latest.isoformat()}"
    if last < first:
        return "to", "is before from"
    limit = MAX_DAYS[Granularity(granularity).value]
    if (last - first).days + 1 > limit:
        if granularity == Granularity.MONTH:
            return "from", f"a page spans at most {limit} days by month"
        coarser = "week or month" if granularity == Granularity.DAY else "month"
        return "granularity", f"a page spans at most {limit} days by {Granularity(granularity).value}: ask by {coarser}"
    return None
