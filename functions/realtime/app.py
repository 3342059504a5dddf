"""Live updates: the WebSocket API's routes ($connect, $disconnect, $default), and the fan-out of the
table's stream to every open app of the tenant whose conversations or folder counters changed."""

import json
from dataclasses import asdict

from aws_lambda_powertools.utilities.typing import LambdaContext

from inbox import wiring
from inbox.actor import acting_as
from inbox.adapters.dynamodb.connections import table_changes
from inbox.errors import ForbiddenError, UnauthorizedError
from inbox.observability import logger
from inbox.settings import needs

PONG = json.dumps({"type": "pong"})


@logger.inject_lambda_context
@needs("TOKEN_ISSUER", "TOKEN_AUDIENCE")
@acting_as("live")  # its writes are this part's, for the audit trail
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    """$connect checks the ID token of `?token=` (a browser cannot set headers on a WebSocket): any
    status but 200 refuses the connection. $default answers `{"action": "ping"}` with a pong, which
    keeps an idle socket open (API Gateway closes one after 10 minutes of silence)."""
    request = event["requestContext"]
    route, connection_id = request["routeKey"], request["connectionId"]
    connections = wiring.websocket_connections()
    if route == "$connect":
        try:
            connection = connections.connect(connection_id, (event.get("queryStringParameters") or {}).get("token"))
        except (UnauthorizedError, ForbiddenError) as error:
            logger.info("WebSocket refused: %s", error)
            return {"statusCode": 403 if isinstance(error, ForbiddenError) else 401}
        logger.info("WebSocket connected", extra={"tenant_id": connection.tenant_id, "user_id": connection.user_id})
        return {"statusCode": 200}
    if route == "$disconnect":
        connections.disconnect(connection_id)
        return {"statusCode": 200}
    if _action(event.get("body")) == "ping":
        return {"statusCode": 200, "body": PONG}
    return {"statusCode": 400, "body": json.dumps({"type": "error", "message": 'send {"action": "ping"} only'})}


@logger.inject_lambda_context
@needs("WEBSOCKET_ENDPOINT")
@acting_as("live")  # its writes are this part's, for the audit trail
def fan_out_handler(event: dict, context: LambdaContext) -> None:
    """The table's stream (conversation and counter items only, by the event source's filter)."""
    result = wiring.live_updates().publish(table_changes(event.get("Records") or []))
    if result.posted or result.gone or result.failed:
        logger.info("live updates sent", extra=asdict(result))
    return None


def _action(body: str | None) -> str | None:
    try:
        message = json.loads(body or "")
    except ValueError:
        return None
    return message.get("action") if isinstance(message, dict) else None
