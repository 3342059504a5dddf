"""One-time schedules on EventBridge Scheduler: at a time, ScheduledFunction is invoked with a job.

Each schedule is `at(yyyy-mm-ddThh:mm:ss)` in UTC, with no flexible window, in the template's
schedule group, and deletes itself once it has fired (ActionAfterCompletion DELETE). Its target is
ScheduledFunction, invoked with the job's JSON (a model of `inbox.models.jobs.ScheduledJob`) by a
role the scheduler assumes. A schedule is named by what it is about (`domain.schedule_names`), so
moving it is putting it again under the same name, and cancelling it needs nothing but that name.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError
from pydantic import BaseModel

from inbox.errors import TransientError

# A fire that fails (a throttled function) is retried for an hour, then dropped and logged by AWS.
RETRY_POLICY = {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 10}


def at_expression(at: datetime) -> str:
    """`at(...)` in UTC to the second, rounded up: a schedule never fires before its time."""
    if at.tzinfo is None:
        raise ValueError("a schedule's time must be timezone-aware")
    utc = at.astimezone(UTC)
    if utc.microsecond:
        utc = utc.replace(microsecond=0) + timedelta(seconds=1)
    return f"at({utc:%Y-%m-%dT%H:%M:%S})"


class OneTimeSchedules:
    """`client`: boto3's `scheduler`; `group`, `target_arn` and `role_arn` come from the template
    (SCHEDULE_GROUP, SCHEDULE_TARGET_ARN, SCHEDULE_ROLE_ARN)."""

    def __init__(self, client: Any, group: str, target_arn: str, role_arn: str):
        self._client = client
        self._group = group
        self._target_arn = target_arn
        self._role_arn = role_arn

    def put(self, name: str, at: datetime, job: BaseModel) -> None:
        """Create the schedule, or replace its time and job if one of that name exists."""
        arguments = {
            "Name": name,
            "GroupName": self._group,
            "ScheduleExpression": at_expression(at),
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "ActionAfterCompletion": "DELETE",
            "State": "ENABLED",
            "Target": {
                "Arn": self._target_arn,
                "RoleArn": self._role_arn,
                "Input": json.dumps(job.model_dump(mode="json"), separators=(",", ":")),
                "RetryPolicy": RETRY_POLICY,
            },
        }
        try:
            self._client.create_schedule(**arguments)
            return
        except ClientError as error:
            if _code(error) != "ConflictException":
                raise TransientError(f"Scheduler create_schedule: {_code(error)}") from error
        try:
            self._client.update_schedule(**arguments)
        except ClientError as error:
            if _code(error) != "ResourceNotFoundException":
                raise TransientError(f"Scheduler update_schedule: {_code(error)}") from error
            # It fired and deleted itself between the two calls: create it again.
            self._client.create_schedule(**arguments)

    def cancel(self, name: str) -> None:
        """Delete the schedule; one already fired (and so deleted) or never made is fine."""
        try:
            self._client.delete_schedule(Name=name, GroupName=self._group)
        except ClientError as error:
            if _code(error) != "ResourceNotFoundException":
                raise TransientError(f"Scheduler delete_schedule: {_code(error)}") from error


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
