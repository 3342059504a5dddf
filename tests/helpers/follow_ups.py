"""Follow-ups and snoozes in the tests (issue 13, item 6): the scheduler's group in moto, the one clock,
and a one-time schedule fired by hand (its job read back from the scheduler, ScheduledFunction invoked)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from helpers.aws_account import REGION
from helpers.aws_account import SCHEDULE_GROUP as GROUP
from helpers.events import LambdaContext, api_request
from inbox import wiring
from inbox.clock import Clock

PERSON = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample events' admin
OTHER_TENANT = {"custom:tenant_id": "tenant-other"}


@pytest.fixture
def scheduler(aws):
    """moto's EventBridge Scheduler, where the aws fixture made the template's group (helpers.aws_account)."""
    return boto3.client("scheduler", region_name=REGION)


@pytest.fixture
def clock(scheduler, monkeypatch) -> Clock:
    """The clock every fire reads, set to now: tests advance it rather than sleep. Patched in, so that a
    fixture resetting the wiring after this one (the fake Vonage's) keeps it."""
    moved = Clock(datetime.now(UTC))
    monkeypatch.setattr(wiring, "clock", lambda: moved)
    wiring.follow_ups.cache_clear()
    return moved


def schedule(scheduler, name: str) -> dict[str, Any] | None:
    try:
        return scheduler.get_schedule(Name=name, GroupName=GROUP)
    except scheduler.exceptions.ResourceNotFoundException:
        return None


def fire(scheduler, name: str) -> dict[str, Any]:
    """What the scheduler does at the schedule's time: invoke ScheduledFunction with its job."""
    from functions.scheduled import app

    found = schedule(scheduler, name)
    assert found is not None, f"no schedule {name}"
    return app.lambda_handler(json.loads(found["Target"]["Input"]), LambdaContext())


def later(clock: Clock, **delta: float) -> str:
    return (clock.now() + timedelta(**delta)).isoformat()


def follow_up(api, conversation_id: str, body: dict[str, Any], **claims: str) -> tuple[int, Any]:
    return api(api_request("POST", f"/conversations/{conversation_id}/follow-ups", body, **claims))


def follow_ups(api, conversation_id: str) -> list[dict[str, Any]]:
    status, listed = api(api_request("GET", f"/conversations/{conversation_id}/follow-ups"))
    assert status == 200, listed
    return listed["items"]


def notifications(tenant_id: str, user_id: str = PERSON) -> list[Any]:
    return wiring.notifications().page(tenant_id, user_id, 50).items


def listed_ids(api, query: str = "") -> list[str]:
    status, page = api(api_request("GET", f"/conversations{query}"))
    assert status == 200, page
    return [c["id"] for c in page["items"]]
