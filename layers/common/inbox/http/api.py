"""The API function's resolver: routers per area under `/inbox`, errors, OpenAPI and Swagger UI."""

from __future__ import annotations

import base64
import binascii
from functools import cached_property
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import OpenAPIRequestValidationMiddleware
from aws_lambda_powertools.event_handler.openapi.models import (
    APIKey,
    APIKeyIn,
    HTTPBearer,
    RequestBody,
    Schema,
)
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from inbox.actor import Actor, acting_as
from inbox.domain.json_text import read_json
from inbox.errors import UnreadableRequestError, UnsupportedMediaTypeError
from inbox.http import (
    ai_lookups,
    ai_try,
    attachments,
    audit,
    business_hours,
    contacts,
    conversations,
    custom_webhooks,
    drafts,
    errors,
    folders,
    follow_ups,
    integrations,
    knowledge,
    me,
    notifications,
    outbound_webhooks,
    projects,
    saved_replies,
    search,
    settings,
    stats,
    tasks,
    users,
    whatsapp_templates,
)
from inbox.http.errors import JSON_ONLY
from inbox.services.custom_webhooks import CustomWebhookMessage

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


class ApiRequest(APIGatewayProxyEventV2):
    """A request as the API reads it: a body that is not UTF-8 text is the caller's mistake."""

    @cached_property
    def decoded_body(self) -> str | None:
        body = self.body
        if not (self.is_base64_encoded and body):
            return body
        try:
            return base64.b64decode(body, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as error:
            raise UnreadableRequestError("body", "is not UTF-8 text") from error


class JsonBodyValidation(OpenAPIRequestValidationMiddleware):
    """Every body the API takes is JSON: one declared as anything else is a 415 before Powertools
    tries to read it as a form or as multipart (which, without a boundary, it cannot)."""

    def _get_body(self, app) -> Any:
        media_type = app.current_event.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type and media_type != content_types.APPLICATION_JSON:
            raise UnsupportedMediaTypeError(JSON_ONLY)
        return super()._get_body(app)


class InboxResolver(APIGatewayHttpResolver):
    """Reads bodies within bounds (`ApiRequest`, `read_json`), and documents what it cannot see:
    the body of the webhook that verifies raw bytes."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self._request_validation_middleware = JsonBodyValidation()

    def _to_proxy_event(self, event: dict) -> ApiRequest:
        return ApiRequest(event, self._json_body_deserializer)

    def resolve(self, event: dict, context: Any) -> dict[str, Any]:
        """Each request's writes are the signed-in person's (the audit trail's `changed_by`); a signed
        webhook's, which no person makes, the `webhook` part's. The authorizer verified the claims."""
        with acting_as(acting_party(event)):
            return super().resolve(event, context)

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


def acting_party(event: dict) -> Actor:
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("jwt", {}).get("claims") or {}
    return Actor.person(str(claims["sub"])) if claims.get("sub") else Actor.system("webhook")


def create_app() -> APIGatewayHttpResolver:
    # A response that breaks its own schema is our bug: 500, never a 422 blamed on the caller.
    # JSON bodies are read by `read_json`: nesting bounded before parsing, every refusal a 422 naming the body.
    app = InboxResolver(
        enable_validation=True, response_validation_error_http_code=500, json_body_deserializer=read_json
    )
    for router in (
        me.router,
        conversations.router,
        search.router,
        attachments.router,
        drafts.router,
        follow_ups.router,
        folders.router,
        integrations.router,
        settings.router,
        ai_try.router,
        business_hours.router,
        stats.router,
        audit.router,
        users.router,
        contacts.router,
        knowledge.router,
        ai_lookups.router,
        projects.router,
        saved_replies.router,
        tasks.router,
        notifications.router,
        custom_webhooks.router,
        outbound_webhooks.router,  # after custom_webhooks: /webhooks/custom/<id> is matched first
        whatsapp_templates.router,
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
