"""Schedules (`Type: Schedule` and `Type: ScheduleV2` events) for the local functions.

Expressions understood:
- `rate(N unit)`: unit minute/minutes, hour/hours, day/days; the singular only for 1, as
  EventBridge insists. The first run is one period after the stack starts.
- `cron(minutes hours day-of-month month day-of-week year)`: `*`, `?`, lists, ranges, steps
  (`*/5`, `10-40/10`, `5/15`), month names JAN-DEC, day names SUN-SAT (1 = Sunday), `L` (last day
  of the month) in day-of-month. Exactly one of the day fields must be `?`. Not supported (an
  error at startup): `W`, `#`, `L` in day-of-week.
- `at(yyyy-mm-ddThh:mm:ss)` (ScheduleV2): once, if still in the future.
Times are UTC, or ScheduleExpressionTimezone for ScheduleV2. The function receives the
EventBridge scheduled event (or the event's `Input`), asynchronously: failures are logged, not
retried. Missed runs while the stack was stopped are not caught up.
"""

from __future__ import annotations

import calendar
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .function_specs import ScheduleSource
from .runtime import InvocationError

log = logging.getLogger("local")

_UNITS = {"minute": 60, "hour": 3600, "day": 86400}
_MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
_DAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)}


class ScheduleError(ValueError):
    """An expression EventBridge would reject, or that the local runner does not support."""


@dataclass(frozen=True)
class Rate:
    seconds: int

    def next_after(self, after: datetime, anchor: datetime) -> datetime:
        """The first run strictly after `after`, counting whole periods from `anchor`."""
        periods = int((after - anchor).total_seconds() // self.seconds) + 1
        return anchor + timedelta(seconds=max(1, periods) * self.seconds)


@dataclass(frozen=True)
class At:
    when: datetime

    def next_after(self, after: datetime, anchor: datetime) -> datetime | None:
        return self.when if self.when > after else None


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int] | None  # None: `?`
    last_day_of_month: bool
    months: frozenset[int]
    days_of_week: frozenset[int] | None  # None: `?`; 1 = Sunday
    years: frozenset[int]
    timezone: str = "UTC"

    def _day_matches(self, day: date) -> bool:
        if day.month not in self.months or day.year not in self.years:
            return False
        if self.days_of_week is not None:
            return (day.weekday() + 1) % 7 + 1 in self.days_of_week
        last = calendar.monthrange(day.year, day.month)[1]
        return (self.last_day_of_month and day.day == last) or day.day in (self.days_of_month or ())

    def next_after(self, after: datetime, anchor: datetime | None = None) -> datetime | None:
        """The first minute strictly after `after` that the expression selects (None within 5 years)."""
        zone = ZoneInfo(self.timezone)
        start = (after.astimezone(zone) + timedelta(minutes=1)).replace(second=0, microsecond=0)
        day = start.date()
        for _ in range(366 * 5):
            if self._day_matches(day):
                for hour in sorted(self.hours):
                    for minute in sorted(self.minutes):
                        candidate = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                        if candidate >= start:
                            return candidate.astimezone(UTC)
            day += timedelta(days=1)
        return None


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    def number(text: str) -> int:
        text = text.upper()
        if names and text in names:
            return names[text]
        if not text.isdigit():
            raise ScheduleError(f"unsupported cron value {text!r}")
        return int(text)

    if field in ("*", "?"):
        return frozenset(range(low, high + 1))
    values: set[int] = set()
    for part in field.split(","):
        base, slash, step_text = part.partition("/")
        step = int(step_text) if slash and step_text.isdigit() else 1
        if slash and (not step_text.isdigit() or step < 1):
            raise ScheduleError(f"bad cron step in {part!r}")
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first, last = (number(v) for v in base.split("-", 1))
        else:
            first = number(base)
            last = high if slash else first
        if not low <= first <= last <= high:
            raise ScheduleError(f"cron value out of range in {part!r} ({low}-{high})")
        values.update(range(first, last + 1, step))
    return frozenset(values)


def parse_cron(body: str, timezone: str = "UTC") -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise ScheduleError("cron() needs 6 fields: minutes hours day-of-month month day-of-week year")
    minutes, hours, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ScheduleError("cron(): exactly one of day-of-month and day-of-week must be '?'")
    if any(c in dom + dow for c in "W#") or "L" in dow.upper():
        raise ScheduleError("cron(): W, # and L in day-of-week are not supported locally")
    last_day = "L" in dom.upper().split(",")
    dom_rest = ",".join(p for p in dom.split(",") if p.upper() != "L")
    return Cron(
        minutes=_values(minutes, 0, 59),
        hours=_values(hours, 0, 23),
        days_of_month=None if dom == "?" else (_values(dom_rest, 1, 31) if dom_rest else frozenset()),
        last_day_of_month=last_day,
        months=_values(month, 1, 12, _MONTHS),
        days_of_week=None if dow == "?" else _values(dow, 1, 7, _DAYS),
        years=_values(year, 1970, 2199),
        timezone=timezone,
    )


def parse_rate(body: str) -> Rate:
    match = re.fullmatch(r"\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*", body)
    if not match:
        raise ScheduleError(f"rate({body}): expected rate(N minute[s]|hour[s]|day[s])")
    value, unit = int(match.group(1)), match.group(2)
    if value < 1:
        raise ScheduleError("rate(): the value must be a positive integer")
    if (value == 1) == unit.endswith("s"):
        raise ScheduleError(f"rate({body}): use the singular unit for 1 and the plural otherwise")
    return Rate(value * _UNITS[unit.rstrip("s")])


def parse_expression(expression: str, timezone: str = "UTC") -> Rate | Cron | At:
    match = re.fullmatch(r"\s*(rate|cron|at)\((.*)\)\s*", expression)
    if not match:
        raise ScheduleError(f"unsupported schedule expression {expression!r}")
    kind, body = match.groups()
    if kind == "rate":
        return parse_rate(body)
    if kind == "cron":
        return parse_cron(body, timezone)
    try:
        when = datetime.fromisoformat(body).replace(tzinfo=ZoneInfo(timezone))
    except ValueError:
        raise ScheduleError(f"at({body}): expected at(yyyy-mm-ddThh:mm:ss)") from None
    return At(when.astimezone(UTC))


def scheduled_event(source: ScheduleSource, when: datetime, *, region: str, account_id: str) -> Any:
    """What EventBridge delivers to the function (or the schedule's own Input)."""
    if source.input is not None:
        return source.input
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account_id,
        "time": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account_id}:rule/{source.name}"],
        "detail": {},
    }


Invoke = Callable[[str, dict[str, Any]], Any]


class Scheduler:
    """One thread that fires every schedule at its times. `clock` and `sleep` are injectable so a
    test can run an hour of schedules in a moment; `sleep(seconds)` returns True to stop."""

    def __init__(
        self,
        sources: list[ScheduleSource],
        invoke: Invoke,
        *,
        region: str,
        account_id: str,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], bool] | None = None,
    ):
        self.sources = sources
        self.expressions = [parse_expression(s.expression, s.timezone) for s in sources]  # fail at startup
        self.invoke = invoke
        self.region = region
        self.account_id = account_id
        self.clock = clock
        self._stop = threading.Event()
        self.sleep = sleep or self._stop.wait
        self._thread: threading.Thread | None = None
        self._firing: list[threading.Thread] = []

    def start(self) -> None:
        if self.sources:
            self._thread = threading.Thread(target=self._run, name="schedules", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        for thread in self._firing:
            thread.join(timeout=30)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

    def _run(self) -> None:
        anchor = self._now()
        due = [e.next_after(anchor, anchor) for e in self.expressions]
        while not self._stop.is_set():
            pending = [d for d in due if d is not None]
            if not pending:
                return
            now = self._now()
            soonest = min(pending)
            if soonest > now:
                # Wake at least every 30 s, so a suspended laptop or a changed clock is noticed.
                if self.sleep(min((soonest - now).total_seconds(), 30.0)):
                    return
                continue
            for index, when in enumerate(due):
                if when is not None and when <= now:
                    self._fire(self.sources[index], when)
                    due[index] = self.expressions[index].next_after(max(when, now), anchor)

    def _fire(self, source: ScheduleSource, when: datetime) -> None:
        event = scheduled_event(source, when, region=self.region, account_id=self.account_id)
        log.info("schedule %s -> %s", source.name, source.function)

        def run() -> None:
            try:
                self.invoke(source.function, event)
            except InvocationError as error:
                log.error("scheduled run of %s failed: %s", source.function, error)

        thread = threading.Thread(target=run, name=f"schedule:{source.name}", daemon=True)
        self._firing = [t for t in self._firing if t.is_alive()] + [thread]
        thread.start()
