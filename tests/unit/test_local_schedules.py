"""rate() and cron() expressions fire when EventBridge would fire them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from local.function_specs import ScheduleSource
from local.schedules import At, Rate, ScheduleError, parse_expression, scheduled_event


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "seconds"),
    [
        ("rate(1 minute)", 60),
        ("rate(5 minutes)", 300),
        ("rate(1 hour)", 3600),
        ("rate(2 hours)", 7200),
        ("rate(1 day)", 86400),
        ("rate(7 days)", 604800),
    ],
)
def test_rate_parsing(expression, seconds):
    assert parse_expression(expression) == Rate(seconds)


@pytest.mark.parametrize(
    "expression",
    [
        "rate(1 minutes)",
        "rate(5 minute)",
        "rate(0 minutes)",
        "rate(30 seconds)",
        "rate(five minutes)",
        "every 5m",
    ],
)
def test_rate_rejects_what_eventbridge_rejects(expression):
    with pytest.raises(ScheduleError):
        parse_expression(expression)


def test_rate_runs_one_period_after_start_then_every_period():
    rate, start = Rate(300), utc(2030, 1, 1, 10, 0, 30)
    first = rate.next_after(start, start)
    assert first == start + timedelta(minutes=5)
    assert rate.next_after(first, start) == start + timedelta(minutes=10)
    assert rate.next_after(first + timedelta(seconds=1), start) == start + timedelta(minutes=10)


def runs(expression: str, after: datetime, count: int, timezone: str = "UTC") -> list[datetime]:
    cron, found = parse_expression(expression, timezone), []
    for _ in range(count):
        after = cron.next_after(after)
        found.append(after)
    return found


def test_cron_minute_steps_and_ranges():
    assert runs("cron(0/15 * * * ? *)", utc(2030, 1, 1, 10, 7), 3) == [
        utc(2030, 1, 1, 10, 15),
        utc(2030, 1, 1, 10, 30),
        utc(2030, 1, 1, 10, 45),
    ]
    assert runs("cron(5,10-12 8 * * ? *)", utc(2030, 1, 1, 8, 6), 4) == [
        utc(2030, 1, 1, 8, 10),
        utc(2030, 1, 1, 8, 11),
        utc(2030, 1, 1, 8, 12),
        utc(2030, 1, 2, 8, 5),
    ]
    assert runs("cron(* * * * ? *)", utc(2030, 1, 1, 23, 59, 30), 1) == [utc(2030, 1, 2, 0, 0)]


def test_cron_day_of_week_uses_eventbridge_numbering_and_names():
    # 2030-01-04 is a Friday. MON-FRI at 09:00: the next run after Friday 10:00 is Monday.
    assert runs("cron(0 9 ? * MON-FRI *)", utc(2030, 1, 4, 10, 0), 2) == [
        utc(2030, 1, 7, 9, 0),
        utc(2030, 1, 8, 9, 0),
    ]
    # 1 = Sunday in EventBridge.
    assert runs("cron(0 12 ? * 1 *)", utc(2030, 1, 1), 1) == [utc(2030, 1, 6, 12, 0)]


def test_cron_months_years_and_last_day_of_month():
    assert runs("cron(0 12 L * ? *)", utc(2028, 2, 1), 2) == [
        utc(2028, 2, 29, 12, 0),
        utc(2028, 3, 31, 12, 0),
    ]
    assert runs("cron(30 6 1 JAN,JUL ? 2031-2032)", utc(2030, 6, 1), 3) == [
        utc(2031, 1, 1, 6, 30),
        utc(2031, 7, 1, 6, 30),
        utc(2032, 1, 1, 6, 30),
    ]
    assert parse_expression("cron(0 0 1 1 ? 2020)").next_after(utc(2030, 1, 1)) is None


def test_cron_honours_the_schedule_timezone():
    # 02:00 in Paris is 01:00 UTC in winter and 00:00 UTC in summer.
    assert runs("cron(0 2 * * ? *)", utc(2030, 1, 10), 1, "Europe/Paris") == [utc(2030, 1, 10, 1, 0)]
    assert runs("cron(0 2 * * ? *)", utc(2030, 7, 9, 12), 1, "Europe/Paris") == [utc(2030, 7, 10, 0, 0)]


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 12 * * * *)",  # both day fields set
        "cron(0 12 ? * ? *)",  # neither
        "cron(0 12 ? * 6#3 *)",  # nth weekday: not supported locally
        "cron(0 12 15W * ? *)",
        "cron(0 12 * *)",
        "cron(61 * * * ? *)",
        "cron(0 12 ? * FUNDAY *)",
    ],
)
def test_cron_rejects_invalid_or_unsupported_expressions(expression):
    with pytest.raises(ScheduleError):
        parse_expression(expression)


def test_at_fires_once():
    at = parse_expression("at(2030-05-01T08:30:00)")
    assert at == At(utc(2030, 5, 1, 8, 30))
    assert at.next_after(utc(2030, 1, 1), utc(2030, 1, 1)) == utc(2030, 5, 1, 8, 30)
    assert at.next_after(utc(2030, 5, 1, 8, 30), utc(2030, 1, 1)) is None


def test_scheduled_event_has_the_eventbridge_shape_unless_input_is_given():
    source = ScheduleSource(function="Sync", name="inbox-Sync-Tick", expression="rate(1 minute)")
    event = scheduled_event(source, utc(2030, 1, 1, 10, 5), region="eu-west-3", account_id="123456789012")
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["time"] == "2030-01-01T10:05:00Z"
    assert event["resources"] == ["arn:aws:events:eu-west-3:123456789012:rule/inbox-Sync-Tick"]
    assert event["detail"] == {}
    assert (event["version"], event["region"], event["account"]) == ("0", "eu-west-3", "123456789012")
    assert event["id"]
    with_input = ScheduleSource(function="Sync", name="n", expression="rate(1 minute)", input={"job": 1})
    assert scheduled_event(with_input, utc(2030, 1, 1), region="eu-west-3", account_id="1") == {"job": 1}
