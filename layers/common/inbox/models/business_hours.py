"""A tenant's business hours: its time zone, its opening intervals per weekday, its holidays.

Times are wall-clock times in the tenant's time zone ("HH:MM"); an interval whose end is at or
before its start runs past midnight into the next day (a night shift, 22:00-06:00), and "24:00"
ends a day at midnight. The week must open at least once. What these mean in time is
`inbox.domain.business_hours`'s.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from itertools import pairwise
from typing import Self
from zoneinfo import ZoneInfo, available_timezones

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")  # date.weekday()'s order
MAX_OPENINGS_PER_DAY = 6
MAX_HOLIDAYS = 366
_START = r"^([01]\d|2[0-3]):[0-5]\d$"
_END = r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"


@cache
def time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class Opening(BaseModel):
    """One opening interval of a day, in wall-clock time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: str = Field(pattern=_START, examples=["09:00"])
    end: str = Field(
        pattern=_END, examples=["18:00"], description='"24:00" is midnight; at or before start: overnight.'
    )

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.start == self.end:
            raise ValueError("start and end are the same time: an interval opens for some time")
        return self

    @property
    def minutes(self) -> tuple[int, int]:
        """Start and end in minutes from the day's midnight; an overnight end counts past 24 h."""
        start = _minutes(self.start)
        end = _minutes(self.end)
        return start, end if end > start else end + 24 * 60


class Week(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    monday: list[Opening] = Field(default_factory=list, max_length=MAX_OPENINGS_PER_DAY)
    tuesday: list[Opening] = Field(default_factory=list, max_length=MAX_OPENINGS_PER_DAY)
    wednesday: list[Opening] = Field(default_factory=list, max_length=MAX_OPENINGS_PER_DAY)
    thursday: list[Opening] = Field(default_factory=list, max_length=MAX_OPENINGS_PER_DAY)
    friday: list[Opening] = Field(default_factory=list, max_length=MAX_OPENINGS_PER_DAY)
    saturday: list[Opening] = Field(default_factory=list, max_length=MAX_OPENINGS_PER_DAY)
    sunday: list[Opening] = Field(default_factory=list, max_length=MAX_OPENINGS_PER_DAY)

    @field_validator(*WEEKDAYS)
    @classmethod
    def _no_overlap(cls, openings: list[Opening]) -> list[Opening]:
        ordered = sorted(openings, key=lambda o: o.minutes)
        for earlier, later in pairwise(ordered):
            if later.minutes[0] < earlier.minutes[1]:
                raise ValueError(f"{later.start}-{later.end} overlaps {earlier.start}-{earlier.end}")
        return ordered

    def of(self, day: date) -> list[Opening]:
        return getattr(self, WEEKDAYS[day.weekday()])


def _default_week() -> Week:
    office = [Opening(start="09:00", end="18:00")]
    return Week(monday=office, tuesday=office, wednesday=office, thursday=office, friday=office)


class BusinessHours(BaseModel):
    """Until an admin sets them: Monday to Friday, 09:00-18:00, Europe/Paris."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_zone: str = Field("Europe/Paris", max_length=64, description="An IANA time zone, e.g. Europe/Paris.")
    week: Week = Field(default_factory=_default_week)
    holidays: list[date] = Field(
        default_factory=list, max_length=MAX_HOLIDAYS, description="Closed days (local dates), whatever the week says."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        if name not in time_zones():
            raise ValueError("is not an IANA time zone (such as Europe/Paris)")
        return name

    @field_validator("week")
    @classmethod
    def _opens(cls, week: Week) -> Week:
        if not any(getattr(week, day) for day in WEEKDAYS):
            raise ValueError("opens on no day: give at least one opening interval")
        return week

    @field_validator("holidays")
    @classmethod
    def _sorted(cls, holidays: list[date]) -> list[date]:
        return sorted(set(holidays))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class StoredBusinessHours(BusinessHours):
    updated_at: datetime | None = None


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)
