"""ClassifyQueue: each message filed by the folders' rules, or by the AI filter where no rule decides."""

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.actor import acting_as
from inbox.consumers import JobProcessor, read_job
from inbox.models.jobs import CLASSIFY_JOB
from inbox.observability import logger, metrics
from inbox.settings import needs

processor = JobProcessor()


def classify(record: SQSRecord) -> str:
    return wiring.classifier().handle(read_job(record, CLASSIFY_JOB, "ClassifyQueue"))


@logger.inject_lambda_context
@metrics.log_metrics
@needs()  # AUTOREPLY_QUEUE_URL is optional: without it, no message is queued for auto-reply
@acting_as("classify")  # its writes are this part's, for the audit trail
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """A job that raises (the model down, say) is retried by SQS, then kept in the dead-letter queue."""
    return process_partial_response(event=event, record_handler=classify, processor=processor, context=context)
