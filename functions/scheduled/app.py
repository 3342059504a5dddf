"""ScheduledFunction: what EventBridge Scheduler's one-time schedules invoke, with a job as the event.

The event is a `ScheduledJob` (`inbox.models.jobs`), dispatched on its kind. A job that fires for
something changed or gone meanwhile (a task done, a follow-up cancelled) does nothing, logged.

A malformed event is logged at error level and dropped, not raised: the scheduler invokes the
function asynchronously, and Lambda's retries of the same event could never mend it. An error while
doing the work (a throttled table) is raised, so Lambda retries the invocation.
"""

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from inbox import wiring
from inbox.actor import acting_as
from inbox.models.jobs import SCHEDULED_JOB, FollowUpDueJob, NudgeDueJob, ScheduledJob, SnoozeEndsJob, TaskDueJob
from inbox.observability import logger, metrics
from inbox.settings import needs


def fire(job: ScheduledJob) -> str:
    """Do what the job is due for; what came of it, in a word, for the log."""
    match job:
        case TaskDueJob():
            return wiring.tasks().remind_due(job)
        case FollowUpDueJob():
            return wiring.follow_ups().fire(job)
        case SnoozeEndsJob():
            return wiring.follow_ups().wake(job)
        case NudgeDueJob():
            return wiring.nudges().fire(job)
    logger.error("no handler for this kind of scheduled job", job=job.job)
    return "unhandled"


def read(event: Any) -> ScheduledJob | None:
    """The job the event carries, or None (logged, naming the wrong fields, not their values)."""
    try:
        return SCHEDULED_JOB.validate_python(event)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or 'job'}: {problem['msg']}"
            for problem in error.errors(include_url=False, include_input=False)
        )
        logger.error("not a scheduled job: dropped", problems=problems)
        metrics.add_metric(name="MalformedScheduledJob", unit=MetricUnit.Count, value=1)
        return None


@logger.inject_lambda_context
@metrics.log_metrics
@needs("SCHEDULE_GROUP", "SCHEDULE_TARGET_ARN", "SCHEDULE_ROLE_ARN")
@acting_as("scheduled")  # its writes are this part's, for the audit trail
def lambda_handler(event: Any, context: LambdaContext) -> dict:
    job = read(event)
    if job is None:
        return {"outcome": "malformed"}
    outcome = fire(job)
    logger.info("scheduled job fired", job=job.job, tenant_id=job.tenant_id, outcome=outcome)
    return {"outcome": outcome}
