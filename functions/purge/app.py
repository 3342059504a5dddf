"""PurgeQueue: what a deleted conversation held (items, pointers, files, the one-time schedules of its
tasks, follow-ups, snooze and nudge), and copies nothing refers to, removed in the background. The
only function allowed to delete from the bucket."""

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.actor import acting_as
from inbox.consumers import JobProcessor, read_job
from inbox.models.jobs import PURGE_JOB, PurgeBlobsJob
from inbox.observability import logger, metrics
from inbox.settings import needs

processor = JobProcessor()


def purge(record: SQSRecord, lambda_context: LambdaContext) -> str:
    job = read_job(record, PURGE_JOB, "PurgeQueue")
    if isinstance(job, PurgeBlobsJob):
        return wiring.conversation_deletion().purge_blobs(job)
    return wiring.conversation_deletion().purge(job, lambda_context.get_remaining_time_in_millis)


@logger.inject_lambda_context
@metrics.log_metrics
@needs("PURGE_QUEUE_URL", "SCHEDULE_GROUP", "SCHEDULE_TARGET_ARN", "SCHEDULE_ROLE_ARN")
@acting_as("purge")  # its writes are this part's, for the audit trail
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """A purge that fails (a throttled table, S3 down) is retried by SQS, then kept in the dead-letter queue."""
    return process_partial_response(event=event, record_handler=purge, processor=processor, context=context)
