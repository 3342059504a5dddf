"""One-time schedules (issue 13, contract B): the adapter against moto's Scheduler, the local stack's
firer (a schedule created through boto3 fires its function at its time, by an advanced clock, then is
gone), and ScheduledFunction's reading of its event."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from helpers.aws_account import REGION, SCHEDULE_GROUP, SCHEDULED_FUNCTION_ARN, SCHEDULER_ROLE_ARN
from helpers.events import LambdaContext
from helpers.schedules import scheduled
from inbox import wiring
from inbox.adapters.schedules import at_expression
from inbox.domain.schedule_names import schedule_name
from inbox.models.jobs import SCHEDULED_JOB, FollowUpDueJob, TaskDueJob
from local.one_time_schedules import OneTimeFirer

T0 = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)


def task_job(task_id: str = "task-1", due_at: datetime = T0) -> TaskDueJob:
    return TaskDueJob(tenant_id="tenant-a", task_id=task_id, due_at=due_at)


# ---------------------------------------------------------------- names and times


def test_schedule_name_is_stable_short_and_valid_and_never_shared():
    plain = schedule_name("task", "tenant-a", "0190c0ffee0000000000000000")
    assert plain == "task.tenant-a.0190c0ffee0000000000000000"
    long_ids = schedule_name("follow_up", "t" * 40, "x" * 40)
    odd_chars = schedule_name("task", "tenant a/b", "id#1")
    for name in (plain, long_ids, odd_chars):
        assert len(name) <= 64
        assert all(c.isalnum() or c in "_.-" for c in name)
    assert long_ids == schedule_name("follow_up", "t" * 40, "x" * 40)
    assert long_ids != schedule_name("follow_up", "t" * 40, "x" * 39 + "y")
    assert schedule_name("task", "ab", "c") != schedule_name("task", "a", "bc")


def test_at_expression_is_utc_to_the_second_and_never_early():
    paris = T0.astimezone(ZoneInfo("Europe/Paris"))
    assert at_expression(paris) == "at(2030-05-06T07:08:09)"
    assert at_expression(T0 + timedelta(microseconds=1)) == "at(2030-05-06T07:08:10)"
    with pytest.raises(ValueError, match="timezone-aware"):
        at_expression(datetime(2030, 1, 1))


# ---------------------------------------------------------------- the adapter


def test_put_creates_a_one_time_schedule_that_invokes_the_scheduled_function_with_the_job(aws):
    wiring.schedules().put("task.tenant-a.task-1", T0, task_job())
    schedule = scheduled()["task.tenant-a.task-1"]
    assert schedule["ScheduleExpression"] == "at(2030-05-06T07:08:09)"
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["GroupName"] == SCHEDULE_GROUP
    target = schedule["Target"]
    assert (target["Arn"], target["RoleArn"]) == (SCHEDULED_FUNCTION_ARN, SCHEDULER_ROLE_ARN)
    assert SCHEDULED_JOB.validate_json(target["Input"]) == task_job()


def test_put_again_moves_the_schedule_and_cancel_removes_it_even_twice(aws):
    schedules = wiring.schedules()
    schedules.put("task.tenant-a.task-1", T0, task_job())
    later = T0 + timedelta(days=1)
    schedules.put("task.tenant-a.task-1", later, task_job(due_at=later))
    (schedule,) = scheduled().values()
    assert schedule["ScheduleExpression"] == "at(2030-05-07T07:08:09)"
    assert json.loads(schedule["Target"]["Input"])["due_at"] == "2030-05-07T07:08:09Z"
    schedules.cancel("task.tenant-a.task-1")
    schedules.cancel("task.tenant-a.task-1")
    schedules.cancel("never-made")
    assert scheduled() == {}


# ---------------------------------------------------------------- the local stack's firer


class Recorder:
    def __init__(self):
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, function: str, event: Any) -> None:
        self.calls.append((function, event))


def firer(invoke: Recorder, now: list[datetime]) -> OneTimeFirer:
    functions = {SCHEDULED_FUNCTION_ARN: "ScheduledFunction", "inbox-test-scheduled": "ScheduledFunction"}
    return OneTimeFirer(
        boto3.client("scheduler", region_name=REGION),
        functions,
        invoke,
        clock=lambda: now[0].timestamp(),
        background=False,
    )


def create(name: str, at: datetime, job: Any, *, after: str = "DELETE", arn: str = SCHEDULED_FUNCTION_ARN) -> None:
    """As any boto3 caller would, not through the project's adapter."""
    boto3.client("scheduler", region_name=REGION).create_schedule(
        Name=name,
        GroupName=SCHEDULE_GROUP,
        ScheduleExpression=f"at({at:%Y-%m-%dT%H:%M:%S})",
        FlexibleTimeWindow={"Mode": "OFF"},
        ActionAfterCompletion=after,
        Target={"Arn": arn, "RoleArn": SCHEDULER_ROLE_ARN, "Input": json.dumps(job)},
    )


def test_a_schedule_created_through_boto3_fires_its_function_at_its_time_then_is_deleted(aws):
    invoke, now = Recorder(), [T0 - timedelta(minutes=5)]
    create("soon", T0, {"job": "task_due", "n": 1})
    create("later", T0 + timedelta(hours=1), {"job": "task_due", "n": 2})
    runner = firer(invoke, now)
    assert runner.fire_due() == []
    assert invoke.calls == []
    now[0] = T0
    assert runner.fire_due() == ["soon"]
    assert invoke.calls == [("ScheduledFunction", {"job": "task_due", "n": 1})]
    assert set(scheduled()) == {"later"}
    assert runner.fire_due() == []  # fired once
    now[0] = T0 + timedelta(hours=2)
    assert runner.fire_due() == ["later"]
    assert [event["n"] for _, event in invoke.calls] == [1, 2]
    assert scheduled() == {}


def test_a_schedule_kept_after_completion_is_disabled_not_fired_again(aws):
    invoke, now = Recorder(), [T0]
    create("kept", T0, {"job": "x"}, after="NONE")
    runner = firer(invoke, now)
    assert runner.fire_due() == ["kept"]
    assert scheduled()["kept"]["State"] == "DISABLED"
    assert runner.fire_due() == []
    assert len(invoke.calls) == 1


def test_a_schedule_naming_no_local_function_is_logged_and_dropped(aws, caplog):
    invoke, now = Recorder(), [T0]
    create("lost", T0, {"job": "x"}, arn=f"arn:aws:lambda:{REGION}:123456789012:function:nowhere")
    create("qualified", T0, {"job": "y"}, arn=SCHEDULED_FUNCTION_ARN + ":live")
    with caplog.at_level(logging.ERROR, logger="local"):
        assert sorted(firer(invoke, now).fire_due()) == ["lost", "qualified"]
    assert "no such local function" in caplog.text
    assert invoke.calls == [("ScheduledFunction", {"job": "y"})]
    assert scheduled() == {}


def test_the_firer_thread_fires_by_its_injected_clock_without_sleeping(aws):
    """The stack's polling thread: its sleep returns at once, the clock says the time has come."""
    invoke, now, naps = Recorder(), [T0], []

    def sleep(seconds: float) -> bool:
        naps.append(seconds)
        return len(naps) >= 2  # two polls, then stop

    create("due", T0, {"job": "x"})
    runner = OneTimeFirer(
        boto3.client("scheduler", region_name=REGION),
        {SCHEDULED_FUNCTION_ARN: "ScheduledFunction"},
        invoke,
        clock=lambda: now[0].timestamp(),
        sleep=sleep,
    )
    runner.start()
    runner.stop()
    assert invoke.calls == [("ScheduledFunction", {"job": "x"})]


# ---------------------------------------------------------------- ScheduledFunction's event


def test_scheduled_function_drops_a_malformed_event_with_an_error_naming_the_field(aws, caplog):
    from functions.scheduled import app

    with caplog.at_level(logging.ERROR):
        assert app.lambda_handler({"job": "task_due", "tenant_id": "t"}, LambdaContext()) == {"outcome": "malformed"}
        assert app.lambda_handler({"job": "nothing_known"}, LambdaContext()) == {"outcome": "malformed"}
    errors = [r for r in caplog.records if r.getMessage() == "not a scheduled job: dropped"]
    assert len(errors) == 2
    assert "task_due.task_id: Field required" in errors[0].problems


def test_every_scheduled_job_survives_the_schedule_input_round_trip():
    jobs = [task_job(), FollowUpDueJob(tenant_id="t", conversation_id="c", follow_up_id="f")]
    for job in jobs:
        assert SCHEDULED_JOB.validate_json(json.dumps(job.model_dump(mode="json"))) == job
