"""The REST API of the web app and the signed custom webhooks (HTTP API payload 2.0)."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import snapstart
from inbox.http.api import create_app
from inbox.observability import logger, metrics
from inbox.settings import needs

app = create_app()
# SnapStart: nothing made at init outlives a restore; the first click's services load before the snapshot.
snapstart.register_hooks("inbox.services.conversations", "inbox.services.folders", "inbox.services.users")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
@needs("SYNC_QUEUE_URL", "PURGE_QUEUE_URL", "USER_POOL_ID")
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
