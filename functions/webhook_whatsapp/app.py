"""Vonage's Messages API webhooks (WhatsApp and SMS inbound, delivery statuses), and the queue
worker that fetches the files those messages point at, after the webhook has answered."""

from datetime import datetime

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.http.vonage import messages_app
from inbox.observability import logger, metrics, tracer

app = messages_app()
processor = BatchProcessor(event_type=EventType.SQS)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)


def fetch_media(record: SQSRecord) -> int:
    job = record.json_body
    return wiring.media_fetcher().fetch(
        job["tenant_id"], job["conversation_id"], job["message_id"], datetime.fromisoformat(job["received_at"])
    )


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def media_handler(event: dict, context: LambdaContext) -> dict:
    """MediaQueue: a download Vonage fails is retried by SQS and ends in the dead-letter queue."""
    return process_partial_response(event=event, record_handler=fetch_media, processor=processor, context=context)
