"""Mailbox sync without servers: a schedule queues the mailboxes that are due, a worker syncs one per job."""

from datetime import UTC, datetime

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.actor import acting_as
from inbox.consumers import JobProcessor, read_job
from inbox.models.jobs import SYNC_JOB
from inbox.observability import logger, metrics
from inbox.settings import needs

processor = JobProcessor()


@logger.inject_lambda_context
@metrics.log_metrics
@needs("SYNC_QUEUE_URL")
@acting_as("sync")  # its writes are this part's, for the audit trail
def schedule_handler(event: dict, context: LambdaContext) -> dict:
    """EventBridge, every minute: one job per mailbox whose sync is due, across all tenants."""
    return {"queued": wiring.sync_scheduler().queue_due(datetime.now(UTC))}


def sync_one(record: SQSRecord, lambda_context: LambdaContext) -> str:
    job = read_job(record, SYNC_JOB, "SyncQueue")
    report = wiring.mailbox_sync().sync(
        job.tenant_id, job.integration_id, seconds_left=lambda: lambda_context.get_remaining_time_in_millis() / 1000
    )
    return report.outcome


@logger.inject_lambda_context
@metrics.log_metrics
@needs()
@acting_as("sync")  # its writes are this part's, for the audit trail
def worker_handler(event: dict, context: LambdaContext) -> dict:
    """SyncQueue: a job that raises is retried by SQS and ends in the dead-letter queue."""
    return process_partial_response(event=event, record_handler=sync_one, processor=processor, context=context)
