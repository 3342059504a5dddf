"""EventBridge buses (the EventsFunction publishes every domain event to one), created in moto."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..aws import Aws
from ..template import Physical, Template
from .base import default_name, error_code, log


def event_bus(template: Template, aws: Aws, logical_id: str, props: dict[str, Any]) -> Physical:
    events = aws.client("events")
    name = str(props.get("Name") or default_name(template, logical_id))
    try:
        arn = events.describe_event_bus(Name=name)["Arn"]
    except ClientError as error:
        if "ResourceNotFound" not in error_code(error):
            raise
        arn = events.create_event_bus(Name=name)["EventBusArn"]
        log.info("created event bus %s", name)
    return Physical(name, {"Arn": arn, "Name": name})
