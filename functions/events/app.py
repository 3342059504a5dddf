"""Events for other systems (issue 13, item 8): the table's stream published as typed domain events to
the EventBridge bus (and queued for the tenant's outbound webhooks), and the webhooks' delivery worker."""

from dataclasses import asdict

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter

from inbox import wiring
from inbox.adapters.dynamodb.stream_events import item_writes
from inbox.consumers import JobProcessor, read_job
from inbox.models.outbound_webhook import WebhookDeliveryJob
from inbox.observability import logger
from inbox.settings import needs

processor = JobProcessor()
DELIVERY_JOB = TypeAdapter(WebhookDeliveryJob)


@logger.inject_lambda_context
@needs("EVENT_BUS_NAME", "WEBHOOK_DELIVERY_QUEUE_URL")
def publish_handler(event: dict, context: LambdaContext) -> None:
    """The table's stream (conversations, messages, tasks and follow-ups, by the event source's filter).
    A failure fails the batch: Lambda reads it again (the events' ids are stable)."""
    published = wiring.event_publisher().publish(item_writes(event.get("Records") or []))
    if published.events:
        logger.info("events published", extra=asdict(published))


def deliver(record: SQSRecord) -> str:
    return wiring.outbound_webhooks().deliver(read_job(record, DELIVERY_JOB, "WebhookDeliveryQueue"))


@logger.inject_lambda_context
@needs("WEBHOOK_DELIVERY_QUEUE_URL")
def deliver_handler(event: dict, context: LambdaContext) -> dict:
    """WebhookDeliveryQueue: one attempt per job; a failed attempt is queued again with a delay by the
    service, an error of ours fails the job (SQS retries it, then the dead-letter queue)."""
    return process_partial_response(event=event, record_handler=deliver, processor=processor, context=context)
