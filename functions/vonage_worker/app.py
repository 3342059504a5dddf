"""What Vonage's webhooks leave for later, off their clock: the files WhatsApp messages link to,
and the long SMS whose last parts never came."""

from datetime import datetime

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.consumers import JobProcessor
from inbox.observability import logger, metrics

processor = JobProcessor()


def run(record: SQSRecord) -> str:
    job = record.json_body
    if job.get("job") == "sms_parts":
        return (
            wiring.vonage_webhooks()
            .settle_long_sms(
                job["tenant_id"], job["integration_id"], job["sender"], job["to"], job["ref"], int(job["total"])
            )
            .result
        )
    fetched = wiring.media_fetcher().fetch(
        job["tenant_id"], job["conversation_id"], job["message_id"], datetime.fromisoformat(job["received_at"])
    )
    return f"{fetched} file(s)"


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """VonageQueue: a job that fails (Vonage down, say) is retried by SQS and ends in the dead-letter queue."""
    return process_partial_response(event=event, record_handler=run, processor=processor, context=context)
