"""EventBridge Scheduler's schedule groups: the one-time schedules the functions create go in one."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..aws import Aws
from ..template import Physical, Template
from .base import default_name, error_code, log


def schedule_group(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    scheduler = aws.client("scheduler")
    name = str(props.get("Name") or default_name(template, logical_id))
    try:
        arn = scheduler.get_schedule_group(Name=name)["Arn"]
    except ClientError as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        arn = scheduler.create_schedule_group(Name=name)["ScheduleGroupArn"]
        log.info("created schedule group %s", name)
    # Ref is the group's name, as CloudFormation gives it.
    return Physical(name, {"Arn": arn})
