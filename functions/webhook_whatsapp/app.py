"""Vonage's Messages API webhooks: inbound WhatsApp (and SMS) and the delivery statuses of replies."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import snapstart
from inbox.actor import acting_as
from inbox.http.vonage import messages_app
from inbox.observability import logger, metrics
from inbox.settings import needs

app = messages_app()
# SnapStart: nothing made at init outlives a restore; the first request's modules load before the snapshot.
snapstart.register_hooks(*snapstart.VONAGE_WEBHOOK_MODULES)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@needs("VONAGE_QUEUE_URL", "PURGE_QUEUE_URL")
@acting_as("whatsapp_webhook")  # its writes are this part's, for the audit trail
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
