"""What a tenant's business hours mean in time: whether a moment is within them, the first moment
at or after another that is, and a duration counted in business hours only.

Every interval is turned into UTC from its local date and wall times, so a DST change is counted
as it happens: 22:00-06:00 on the night clocks go forward lasts seven hours. A wall time that does
not exist that day (the spring gap) is read as the same time after the jump (02:30 -> 03:30 in
Paris), one that happens twice (the autumn overlap) as its first occurrence, as RFC 5545 reads
them. Intervals are half-open: a moment at closing time is outside.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from inbox.models.business_hours import BusinessHours

MAX_DAYS = 3700  # about ten years: a duration of business hours never looks further


def periods(hours: BusinessHours, from_day: date) -> Iterator[tuple[datetime, datetime]]:
    """The opening periods (UTC) from the local date `from_day` on, in order, touching or
    overlapping ones merged (a night shift running into the next morning's opening)."""
    zone = hours.zone
    holidays = set(hours.holidays)
    current: tuple[datetime, datetime] | None = None
    for offset in range(MAX_DAYS):
        day = from_day + timedelta(days=offset)
        if day in holidays:
            continue
        midnight = datetime(day.year, day.month, day.day)
        for opening in hours.week.of(day):
            start_minutes, end_minutes = opening.minutes
            start = (midnight + timedelta(minutes=start_minutes)).replace(tzinfo=zone).astimezone(UTC)
            end = (midnight + timedelta(minutes=end_minutes)).replace(tzinfo=zone).astimezone(UTC)
            if end <= start:  # an interval that the spring gap swallowed whole
                continue
            if current is not None and start <= current[1]:
                current = (current[0], max(current[1], end))
                continue
            if current is not None:
                yield current
            current = (start, end)
    if current is not None:
        yield current


def _from(hours: BusinessHours, at: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The periods that end after `at` (the day before `at`'s local date first: its night shift)."""
    local_day = at.astimezone(hours.zone).date()
    for start, end in periods(hours, local_day - timedelta(days=1)):
        if end > at:
            yield start, end


def is_open(hours: BusinessHours, at: datetime) -> bool:
    return next_open(hours, at) == at


def next_open(hours: BusinessHours, at: datetime) -> datetime:
    """The first moment at or after `at` that is within business hours (UTC)."""
    _aware(at)
    for start, _ in _from(hours, at):
        return max(start, at.astimezone(UTC))
    raise ValueError("no business hours in the next ten years")


def add_business_hours(hours: BusinessHours, at: datetime, amount: timedelta) -> datetime:
    """`at` plus `amount` counted only while open: Friday 17:00 plus 2 hours, open 09:00-18:00 on
    weekdays, is Monday 10:00. Landing exactly on a closing time gives the next opening."""
    _aware(at)
    if amount < timedelta(0):
        raise ValueError("a duration of business hours is not negative")
    remaining = amount
    for start, end in _from(hours, at):
        start = max(start, at.astimezone(UTC))
        if remaining < end - start:
            return start + remaining
        remaining -= end - start
    raise ValueError("no business hours in the next ten years")


def _aware(at: datetime) -> None:
    if at.tzinfo is None:
        raise ValueError("a moment must be timezone-aware")
