"""The periods statistics are counted in (issue 14, item 2): days, ISO weeks (from Monday) and months of
the tenant's local calendar. Pure: dates in, dates out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

MAX_DAYS = {"day": 366, "week": 5 * 366, "month": 10 * 366}  # periods a page may span: a year of days


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
