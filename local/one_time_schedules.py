"""One-time schedules created through the Scheduler API (moto's backend), fired as AWS would.

The functions create `at(...)` schedules with boto3's `scheduler` client (`inbox.adapters.schedules`);
moto stores them and never fires them. `OneTimeFirer` polls the API, and each schedule whose time has
come invokes the local function its target's ARN names, with the target's `Input` as the event,
asynchronously; then the schedule is deleted (ActionAfterCompletion DELETE) or disabled (NONE). A
schedule missed while the stack was stopped fires at the next start, late, as on AWS after an outage.
Recurring (`rate`/`cron`) schedules made through the API are not fired locally: the template's
schedules are `local/schedules.py`'s.

The clock is injectable (`clock`, `sleep`), and `fire_due()` fires what is due once, so a test moves
the clock on instead of sleeping.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from .runtime import InvocationError
from .schedules import At, ScheduleError, parse_expression
from .template import Template

log = logging.getLogger("local")

Invoke = Callable[[str, dict[str, Any]], Any]


def functions_by_arn(template: Template) -> dict[str, str]:
    """Each local function's ARN (and bare name) -> its logical id: what a schedule's target names."""
    found: dict[str, str] = {}
    for logical_id in template.of_type("AWS::Serverless::Function"):
        physical = template.physical.get(logical_id)
        if physical is not None:
            found[str(physical.attrs.get("Arn"))] = logical_id
            found[physical.ref] = logical_id
    return found


def _function_of(target_arn: str, functions: dict[str, str]) -> str | None:
    """The logical id a target's ARN names, qualified (`:alias`, `:3`) or not."""
    if target_arn in functions:
        return functions[target_arn]
    parts = target_arn.split(":")
    if len(parts) >= 7 and parts[2] == "lambda" and parts[5] == "function":
        return functions.get(":".join(parts[:7])) or functions.get(parts[6])
    return None


class OneTimeFirer:
    """Fires the Scheduler API's one-time schedules at their time, from one polling thread."""

    def __init__(
        self,
        scheduler: Any,
        functions: dict[str, str],
        invoke: Invoke,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], bool] | None = None,
        poll_seconds: float = 1.0,
        background: bool = True,
    ):
        """`background`: each run in a thread of its own, as Lambda's asynchronous invocation; False runs
        it in the caller's thread, its errors raised (a test's)."""
        self.scheduler = scheduler
        self.functions = functions
        self.invoke = invoke
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.background = background
        self._stop = threading.Event()
        self.sleep = sleep or self._stop.wait
        self._thread: threading.Thread | None = None
        self._firing: list[threading.Thread] = []
        self._skipped: set[str] = set()  # recurring or unreadable schedules, logged once

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="one-time-schedules", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.wait()

    def wait(self, timeout: float = 30) -> None:
        """Until the invocations started so far have returned."""
        for thread in self._firing:
            thread.join(timeout=timeout)
        self._firing = [t for t in self._firing if t.is_alive()]

    def _run(self) -> None:
        while not self._stop.is_set():
            pause = self.poll_seconds
            try:
                self.fire_due()
            except (ClientError, BotoCoreError) as error:
                log.warning("one-time schedules could not be read (tried again in 30 s): %s", error)
                pause = 30.0
            if self.sleep(pause):
                return

    def fire_due(self) -> list[str]:
        """Fire every schedule whose time has come (by the clock); the names of those fired."""
        now = datetime.fromtimestamp(self.clock(), UTC)
        fired = []
        for summary in self._schedules():
            group, name = summary["GroupName"], summary["Name"]
            if summary.get("State") == "DISABLED" or f"{group}/{name}" in self._skipped:
                continue
            try:
                schedule = self.scheduler.get_schedule(GroupName=group, Name=name)
            except ClientError:
                continue  # deleted meanwhile
            when = self._when(schedule)
            if when is not None and when <= now:
                self._fire(schedule)
                fired.append(name)
        return fired

    def _schedules(self) -> list[dict[str, Any]]:
        found, token = [], None
        while True:
            page = self.scheduler.list_schedules(**({"NextToken": token} if token else {}))
            found += page.get("Schedules", [])
            token = page.get("NextToken")
            if not token:
                return found

    def _when(self, schedule: dict[str, Any]) -> datetime | None:
        key = f"{schedule['GroupName']}/{schedule['Name']}"
        try:
            expression = parse_expression(
                schedule["ScheduleExpression"], schedule.get("ScheduleExpressionTimezone") or "UTC"
            )
        except ScheduleError as error:
            expression = None
            log.error("schedule %s is not fired locally: %s", key, error)
        if not isinstance(expression, At):
            if expression is not None:
                log.warning("schedule %s is recurring: only one-time schedules made through the API fire", key)
            self._skipped.add(key)
            return None
        return expression.when

    def _fire(self, schedule: dict[str, Any]) -> None:
        group, name, target = schedule["GroupName"], schedule["Name"], schedule.get("Target") or {}
        function = _function_of(str(target.get("Arn", "")), self.functions)
        # Gone before it runs, as on AWS: the next poll must not fire it again.
        if schedule.get("ActionAfterCompletion") == "DELETE":
            self._forget(group, name)
        else:
            self._disable(schedule)
        if function is None:
            log.error("schedule %s targets %s: no such local function", name, target.get("Arn"))
            return
        try:
            event = json.loads(target["Input"]) if target.get("Input") else {}
        except ValueError:
            event = target["Input"]  # not JSON: the function gets the text, as Lambda would
        log.info("one-time schedule %s -> %s", name, function)

        def run() -> None:
            try:
                self.invoke(function, event)
            except InvocationError as error:
                log.error("the run of schedule %s (%s) failed: %s", name, function, error)

        if not self.background:
            self.invoke(function, event)
            return
        thread = threading.Thread(target=run, name=f"one-time:{name}", daemon=True)
        self._firing = [t for t in self._firing if t.is_alive()] + [thread]
        thread.start()

    def _forget(self, group: str, name: str) -> None:
        try:
            self.scheduler.delete_schedule(GroupName=group, Name=name)
        except ClientError as error:
            log.debug("schedule %s already gone: %s", name, error)

    def _disable(self, schedule: dict[str, Any]) -> None:
        keep = ("ScheduleExpression", "ScheduleExpressionTimezone", "FlexibleTimeWindow", "Target", "Description")
        arguments = {k: schedule[k] for k in keep if schedule.get(k) is not None}
        try:
            self.scheduler.update_schedule(
                Name=schedule["Name"], GroupName=schedule["GroupName"], State="DISABLED", **arguments
            )
        except ClientError as error:
            log.warning("schedule %s could not be disabled after firing: %s", schedule["Name"], error)
            self._skipped.add(f"{schedule['GroupName']}/{schedule['Name']}")
