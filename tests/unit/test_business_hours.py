"""Business hours in time (issue 13, item 6): opening, the next opening, durations counted while
open, across DST changes in Europe/Paris and America/New_York, overnight intervals, closed days."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from inbox.domain.business_hours import add_business_hours, is_open, next_open
from inbox.models.business_hours import BusinessHours, Opening, Week

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = [Opening(start="09:00", end="18:00")]
WEEKDAYS_OPEN = Week(monday=OFFICE, tuesday=OFFICE, wednesday=OFFICE, thursday=OFFICE, friday=OFFICE)


def hours(zone: str = "Europe/Paris", week: Week = WEEKDAYS_OPEN, holidays=()) -> BusinessHours:
    return BusinessHours(time_zone=zone, week=week, holidays=list(holidays))


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_moment_within_the_hours_is_its_own_next_opening():
    at = local(PARIS, 2026, 12, 1, 10, 30)
    assert next_open(hours(), at) == at
    assert is_open(hours(), at)


def test_closing_time_is_outside_and_the_next_opening_is_the_next_morning():
    assert not is_open(hours(), local(PARIS, 2026, 12, 1, 18, 0))
    assert is_open(hours(), local(PARIS, 2026, 12, 1, 17, 59))
    assert next_open(hours(), local(PARIS, 2026, 12, 1, 18, 0)) == local(PARIS, 2026, 12, 2, 9, 0)


def test_the_weekend_is_closed():
    saturday = local(PARIS, 2026, 12, 5, 11, 0)
    assert next_open(hours(), saturday) == local(PARIS, 2026, 12, 7, 9, 0)


def test_paris_spring_forward_moves_the_monday_opening_an_hour_earlier_in_utc():
    # Clocks go forward on Sunday 29 March 2026: 09:00 is 08:00 UTC on Friday, 07:00 UTC on Monday.
    assert next_open(hours(), local(PARIS, 2026, 3, 27, 7, 0)) == utc(2026, 3, 27, 8, 0)
    assert next_open(hours(), local(PARIS, 2026, 3, 27, 18, 30)) == utc(2026, 3, 30, 7, 0)


def test_paris_business_hours_added_across_the_spring_weekend():
    friday_five = local(PARIS, 2026, 3, 27, 17, 0)
    assert add_business_hours(hours(), friday_five, timedelta(hours=2)) == local(PARIS, 2026, 3, 30, 10, 0)
    assert add_business_hours(hours(), friday_five, timedelta(hours=2)) == utc(2026, 3, 30, 8, 0)


def test_paris_autumn_back_moves_the_monday_opening_an_hour_later_in_utc():
    # Clocks go back on Sunday 25 October 2026.
    assert next_open(hours(), local(PARIS, 2026, 10, 23, 18, 0)) == utc(2026, 10, 26, 8, 0)
    friday = local(PARIS, 2026, 10, 23, 17, 30)
    assert add_business_hours(hours(), friday, timedelta(hours=1)) == utc(2026, 10, 26, 8, 30)


def test_a_night_shift_on_the_spring_forward_night_lasts_seven_hours():
    night = Week(saturday=[Opening(start="22:00", end="06:00")])
    shift = hours(week=night)
    opens = local(PARIS, 2026, 3, 28, 22, 0)  # 21:00 UTC; closes Sunday 06:00 CEST, 04:00 UTC
    assert is_open(shift, local(PARIS, 2026, 3, 29, 5, 59))
    assert not is_open(shift, local(PARIS, 2026, 3, 29, 6, 0))
    assert add_business_hours(shift, opens, timedelta(hours=6, minutes=59)) == utc(2026, 3, 29, 3, 59)
    # Seven hours use the whole shift: the next moment open is the next Saturday's 22:00.
    assert add_business_hours(shift, opens, timedelta(hours=7)) == local(PARIS, 2026, 4, 4, 22, 0)


def test_a_night_shift_on_the_autumn_back_night_lasts_nine_hours():
    shift = hours(week=Week(saturday=[Opening(start="22:00", end="06:00")]))
    opens = local(PARIS, 2026, 10, 24, 22, 0)
    assert add_business_hours(shift, opens, timedelta(hours=8, minutes=30)) == utc(2026, 10, 25, 4, 30)
    assert is_open(shift, utc(2026, 10, 25, 4, 59))
    assert not is_open(shift, utc(2026, 10, 25, 5, 0))


def test_new_york_spring_forward():
    # Clocks go forward on Sunday 8 March 2026: 09:00 is 14:00 UTC before, 13:00 UTC after.
    new_york = hours("America/New_York")
    assert next_open(new_york, local(NEW_YORK, 2026, 3, 6, 8, 0)) == utc(2026, 3, 6, 14, 0)
    friday_four = local(NEW_YORK, 2026, 3, 6, 16, 0)
    # Two hours end on Friday's closing, so the next moment open is Monday's 09:00 EDT; three, 10:00.
    assert add_business_hours(new_york, friday_four, timedelta(hours=2)) == utc(2026, 3, 9, 13, 0)
    assert add_business_hours(new_york, friday_four, timedelta(hours=3)) == utc(2026, 3, 9, 14, 0)


def test_new_york_autumn_back():
    new_york = hours("America/New_York")
    # Clocks go back on Sunday 1 November 2026.
    assert next_open(new_york, local(NEW_YORK, 2026, 10, 30, 19, 0)) == utc(2026, 11, 2, 14, 0)


def test_an_overnight_interval_of_the_day_before_is_open_after_midnight():
    late = hours(week=Week(monday=[Opening(start="22:00", end="06:00")]))
    assert is_open(late, local(PARIS, 2026, 12, 8, 3, 0))  # Tuesday 03:00: Monday's shift
    assert not is_open(late, local(PARIS, 2026, 12, 8, 7, 0))


def test_touching_intervals_count_as_one():
    week = Week(monday=[Opening(start="20:00", end="24:00")], tuesday=[Opening(start="00:00", end="08:00")])
    shift = hours(week=week)
    monday_eight_pm = local(PARIS, 2026, 12, 7, 20, 0)
    assert add_business_hours(shift, monday_eight_pm, timedelta(hours=11)) == local(PARIS, 2026, 12, 8, 7, 0)


def test_two_intervals_a_day_leave_lunch_closed():
    split = Week(tuesday=[Opening(start="14:00", end="18:00"), Opening(start="09:00", end="12:30")])
    shift = hours(week=split)
    assert shift.week.tuesday[0].start == "09:00"  # kept in order
    assert next_open(shift, local(PARIS, 2026, 12, 1, 13, 0)) == local(PARIS, 2026, 12, 1, 14, 0)
    assert add_business_hours(shift, local(PARIS, 2026, 12, 1, 12, 0), timedelta(hours=1)) == local(
        PARIS, 2026, 12, 1, 14, 30
    )


def test_a_holiday_is_closed_whatever_the_week_says():
    christmas = hours(holidays=[date(2026, 12, 25)])  # a Friday
    assert next_open(christmas, local(PARIS, 2026, 12, 24, 18, 0)) == local(PARIS, 2026, 12, 28, 9, 0)
    assert add_business_hours(christmas, local(PARIS, 2026, 12, 24, 17, 0), timedelta(hours=2)) == local(
        PARIS, 2026, 12, 28, 10, 0
    )


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        next_open(hours(), datetime(2026, 12, 1, 10, 0))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"time_zone": "Europe/Pariss"}, "time_zone"),
        ({"time_zone": "CET+1"}, "time_zone"),
        ({"week": {}}, "week"),
        ({"week": {"monday": [{"start": "09:00", "end": "09:00"}]}}, "week.monday.0"),
        ({"week": {"monday": [{"start": "9h", "end": "18:00"}]}}, "week.monday.0.start"),
        ({"week": {"monday": [{"start": "24:00", "end": "18:00"}]}}, "week.monday.0.start"),
        (
            {"week": {"monday": [{"start": "09:00", "end": "13:00"}, {"start": "12:00", "end": "18:00"}]}},
            "week.monday",
        ),
        ({"holidays": ["2026-02-30"]}, "holidays.0"),
    ],
)
def test_bad_settings_name_their_field(data, field):
    with pytest.raises(ValidationError) as raised:
        BusinessHours.model_validate(data)
    assert ".".join(str(part) for part in raised.value.errors()[0]["loc"]) == field


def test_defaults_are_weekdays_nine_to_six_in_paris():
    default = BusinessHours()
    assert default.time_zone == "Europe/Paris"
    assert default.week.friday == OFFICE
    assert default.week.saturday == []
