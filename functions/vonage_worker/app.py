"""What Vonage's webhooks leave for later, off their clock: the files WhatsApp messages link to,
and the long SMS whose last parts never came."""

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.actor import acting_as
from inbox.consumers import JobProcessor, read_job
from inbox.models.jobs import VONAGE_JOB, SettleLongSmsJob
from inbox.observability import logger, metrics
from inbox.settings import needs

processor = JobProcessor()


def run(record: SQSRecord) -> str:
    job = read_job(record, VONAGE_JOB, "VonageQueue")
    if isinstance(job, SettleLongSmsJob):
        settled = wiring.vonage_webhooks().settle_long_sms(
            job.tenant_id, job.integration_id, job.sender, job.to, job.ref, job.total
        )
        return settled.result
    fetched = wiring.media_fetcher().fetch(job.tenant_id, job.conversation_id, job.message_id, job.received_at)
    return f"{fetched} file(s)"


@logger.inject_lambda_context
@metrics.log_metrics
@needs("VONAGE_QUEUE_URL", "PURGE_QUEUE_URL")
@acting_as("vonage")  # its writes are this part's, for the audit trail
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """VonageQueue: a job that fails (Vonage down, say) is retried by SQS and ends in the dead-letter queue."""
    return process_partial_response(event=event, record_handler=run, processor=processor, context=context)
