"""Every error leaves as `{"error": {"code", "message"}}` with the status that says what happened."""

from __future__ import annotations

import json

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from inbox import errors
from inbox.observability import logger

JSON_ONLY = "body: send it as application/json"
_STATUS = [
    (errors.SignatureError, 401, "bad_signature"),
    (errors.UnauthorizedError, 401, "unauthorized"),
    (errors.ForbiddenError, 403, "forbidden"),
    (errors.NotFoundError, 404, "not_found"),
    (errors.ConflictError, 409, "conflict"),
    # The AI cannot answer until an admin sets it up: the tenant's state, not the request, so a 409.
    (errors.AiNotConfiguredError, 409, "ai_not_configured"),
    (errors.CompanyPromptMissingError, 409, "company_prompt_missing"),
    (errors.PayloadTooLargeError, 413, "payload_too_large"),
    (errors.UnsupportedMediaTypeError, 415, "unsupported_media_type"),
    (errors.UnreadableRequestError, 400, "bad_request"),
    (errors.InvalidInputError, 422, "invalid_field"),
    (errors.TransientError, 503, "unavailable"),
]


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> Response:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        headers=headers,
        body=json.dumps({"error": {"code": code, "message": message}}),
    )


def register(app: APIGatewayHttpResolver) -> None:
    for error_type, status, code in _STATUS:
        app.exception_handler(error_type)(_handler(status, code))

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response:
        # the API's alone: webhooks never load the schemas
        from inbox.http.schemas.folders import RULE_TAGS
        from inbox.http.schemas.integrations import UNION_TAGS

        first = error.errors()[0]
        location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
        in_body = tuple(first.get("loc", ()))[:1] == ("body",)
        if location and location[0] in UNION_TAGS and in_body and _chosen_kind(app) == location[0]:
            location = location[1:]  # the kind pydantic chose, not a field (an update's `vonage` is one)
        location = [part for part in location if part not in RULE_TAGS]
        if first.get("type") in ("union_tag_invalid", "union_tag_not_found"):
            location.append(str(first.get("ctx", {}).get("discriminator", "kind")).strip("'"))
        field = ".".join(location) or "body"
        message = "is not valid JSON" if first.get("type") == "json_invalid" else first.get("msg", "is invalid")
        message = message.removeprefix("Value error, ")
        return error_response(422, "invalid_field", f"{field}: {message}")

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(_: RequestUnsupportedContentType) -> Response:
        return error_response(415, "unsupported_media_type", JSON_ONLY)

    @app.not_found
    def _not_found(_: Exception) -> Response:
        return error_response(404, "not_found", "no such route")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        # Our bug, not the caller's: logged (through the masking formatter) and answered in JSON.
        logger.exception("unexpected error", error_type=type(error).__name__)
        return error_response(500, "internal", "something went wrong on our side")


def _chosen_kind(app: APIGatewayHttpResolver) -> str | None:
    """The `kind` of the body being validated, which a discriminated union puts in its errors' location."""
    body = app.current_event.json_body  # parsed already: this is an error about one of its fields
    return body.get("kind") if isinstance(body, dict) else None


def _handler(status: int, code: str):
    def handle(error: errors.InboxError) -> Response:
        if status >= 500:
            logger.warning("temporary failure", error_type=type(error).__name__)
        return error_response(status, code, str(error) or code, {"Retry-After": "5"} if status == 503 else None)

    return handle
