"""The API function's resolver: routers per area under `/inbox`, errors, OpenAPI and Swagger UI."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.models import (
    APIKey,
    APIKeyIn,
    HTTPBearer,
    RequestBody,
    Schema,
)

from inbox.http import conversations, errors, folders, integrations, me, settings, stats, webhooks
from inbox.services.webhooks import CustomWebhookMessage

PREFIX = "/inbox"
DOCUMENT = {
    "title": "Inbox API",
    "version": "1.0.0",
    "description": "Conversations from every channel in one inbox. Authenticated routes take a Cognito "
    "ID token as a bearer token; webhooks are signed instead.",
    "security_schemes": {
        "CognitoJwt": HTTPBearer(bearerFormat="JWT", description="Cognito ID token"),
        "InboxSignature": APIKey(name="X-Inbox-Signature", **{"in": APIKeyIn.header}),
    },
    "security": [{"CognitoJwt": []}],
}


class InboxResolver(APIGatewayHttpResolver):
    """Documents what the resolver cannot see: the body of the webhook that verifies raw bytes."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any):
        for name, value in DOCUMENT.items():
            if kwargs.get(name) in (None, "Powertools for AWS Lambda (Python) API", "1.0.0"):
                kwargs[name] = value
        schema = super().get_openapi_schema(*args, **kwargs)
        operation = schema.paths[f"{PREFIX}/webhooks/custom/{{integration_id}}"].post
        body = CustomWebhookMessage.model_json_schema(ref_template="#/components/schemas/{model}")
        definitions = body.pop("$defs", {})
        definitions["CustomWebhookMessage"] = body
        schema.components.schemas = {
            **(schema.components.schemas or {}),
            **{name: Schema.model_validate(value) for name, value in definitions.items()},
        }
        operation.requestBody = RequestBody.model_validate(
            {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CustomWebhookMessage"}}},
            }
        )
        return schema


def create_app() -> APIGatewayHttpResolver:
    # A response that breaks its own schema is our bug: 500, never a 422 blamed on the caller.
    app = InboxResolver(enable_validation=True, response_validation_error_http_code=500)
    for router in (
        me.router,
        conversations.router,
        folders.router,
        integrations.router,
        settings.router,
        stats.router,
        webhooks.router,
    ):
        app.include_router(router, prefix=PREFIX)
    errors.register(app)
    app.enable_swagger(path=f"{PREFIX}/docs", **DOCUMENT)

    @app.get(f"{PREFIX}/openapi.json", include_in_schema=False, enable_validation=False)
    def openapi_document() -> Response[str]:
        return Response(
            status_code=200, content_type=content_types.APPLICATION_JSON, body=app.get_openapi_json_schema(**DOCUMENT)
        )

    return app
