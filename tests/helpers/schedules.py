"""One-time schedules in the functional tests: what the functions created in moto's Scheduler, fired by
the local stack's own firer once the test has moved `wiring.clock()` on (never a sleep)."""

from __future__ import annotations

from typing import Any

import boto3

from helpers.aws_account import REGION, SCHEDULE_GROUP, SCHEDULED_FUNCTION_ARN
from helpers.events import LambdaContext
from inbox import wiring
from local.one_time_schedules import OneTimeFirer


def scheduled(group: str = SCHEDULE_GROUP) -> dict[str, dict[str, Any]]:
    """The schedules waiting in the group, by name, each as get_schedule describes it."""
    client = boto3.client("scheduler", region_name=REGION)
    names = [s["Name"] for s in client.list_schedules(GroupName=group)["Schedules"]]
    return {name: client.get_schedule(GroupName=group, Name=name) for name in names}


def fire_due() -> list[str]:
    """Invoke ScheduledFunction (in this process) with each schedule due by `wiring.clock()`, then delete
    it, as EventBridge Scheduler would; the names fired."""
    from functions.scheduled import app

    def invoke(function: str, event: dict[str, Any]) -> Any:
        assert function == "ScheduledFunction"
        return app.lambda_handler(event, LambdaContext())

    firer = OneTimeFirer(
        boto3.client("scheduler", region_name=REGION),
        {SCHEDULED_FUNCTION_ARN: "ScheduledFunction"},
        invoke,
        clock=lambda: wiring.clock().now().timestamp(),
        background=False,
    )
    return firer.fire_due()
