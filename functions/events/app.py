"""Events for other systems (issue 13, item 8): the table's stream published as typed domain events to
the EventBridge bus (and queued for the tenant's outbound webhooks), and the webhooks' delivery worker."""

from dataclasses import asdict

from aws_lambda_powertools.utilities.batch import process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter

from inbox import wiring
from inbox.actor import acting_as
from inbox.adapters.dynamodb.stream_events import item_writes
from inbox.consumers import JobProcessor, read_job
from inbox.models.outbound_webhook import WebhookDeliveryJob
from inbox.observability import logger
from inbox.settings import needs

processor = JobProcessor()
DELIVERY_JOB = TypeAdapter(WebhookDeliveryJob)


@logger.inject_lambda_context
@needs("EVENT_BUS_NAME", "WEBHOOK_DELIVERY_QUEUE_URL", "SEARCH_QUEUE_URL")
@acting_as("events")  # its writes are this part's, for the audit trail
def publish_handler(event: dict, context: LambdaContext) -> None:
    """The table's stream (the kinds of items the event source's filter lets through), read once and
    handed to each reader of the changes: domain events, then search, statistics and audit (issue 14).
    A failure fails the batch: Lambda reads it again, and each reader takes a batch read twice once
    (the events' ids are stable; index jobs, counters and audit entries are keyed by the record).
    One reader's failure never keeps the batch from the readers after it: each runs, then the first
    failure fails the batch (issue 14 review, search item 2: a refused search job lost the audit)."""
    writes = item_writes(event.get("Records") or [])
    failures: list[Exception] = []
    for reader, read in (
        ("events", lambda: _publish(writes)),
        ("search", lambda: wiring.search_feed().take(writes)),
        ("statistics", lambda: wiring.statistics_recorder().take(writes)),
        ("audit", lambda: wiring.audit_trail().take(writes)),
    ):
        try:
            read()
        except Exception as error:
            logger.exception("a stream reader failed: the batch is read again", extra={"reader": reader})
            failures.append(error)
    if failures:
        raise failures[0]


def _publish(writes: list) -> None:
    published = wiring.event_publisher().publish(writes)
    if published.events:
        logger.info("events published", extra=asdict(published))


def deliver(record: SQSRecord) -> str:
    return wiring.outbound_webhooks().deliver(read_job(record, DELIVERY_JOB, "WebhookDeliveryQueue"))


@logger.inject_lambda_context
@needs("WEBHOOK_DELIVERY_QUEUE_URL")
@acting_as("webhooks")  # its writes are this part's, for the audit trail
def deliver_handler(event: dict, context: LambdaContext) -> dict:
    """WebhookDeliveryQueue: one attempt per job; a failed attempt is queued again with a delay by the
    service, an error of ours fails the job (SQS retries it, then the dead-letter queue)."""
    return process_partial_response(event=event, record_handler=deliver, processor=processor, context=context)
