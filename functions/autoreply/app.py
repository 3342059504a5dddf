"""AutoReplyQueue: each customer message of a folder that answers by itself gets one outcome, a
reply sent, a draft for a person, or the reason there is none, however often its job comes."""

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.actor import acting_as
from inbox.consumers import JobProcessor, read_job
from inbox.models.jobs import AUTO_REPLY_JOB
from inbox.observability import logger, metrics
from inbox.services.autoreply import QUEUE_TRIES
from inbox.settings import needs

processor = JobProcessor()


def auto_reply(record: SQSRecord) -> str:
    last_try = int(record.attributes.approximate_receive_count) >= QUEUE_TRIES
    return wiring.auto_replies().handle(read_job(record, AUTO_REPLY_JOB, "AutoReplyQueue"), last_try=last_try)


@logger.inject_lambda_context
@metrics.log_metrics
@needs()
@acting_as("autoreply")  # its writes are this part's, for the audit trail
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """A job that raises (the model down, slow or answering garbage) gives its draft back and is
    retried by SQS, then kept in the dead-letter queue."""
    return process_partial_response(event=event, record_handler=auto_reply, processor=processor, context=context)
