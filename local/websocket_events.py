"""The template's WebSocket API as the local stack serves it, and the events API Gateway hands to its
routes' functions ($connect, $disconnect, messages), built the way API Gateway builds them.

Pure: the server is local/websocket_api.py."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qsl

from .template import Template


@dataclass
class WebSocketRoute:
    key: str  # $connect, $disconnect, $default, or a value of the route selection expression
    function: str  # logical id of the integrated function
    two_way: bool = False  # a route response exists: the function's `body` goes back to the socket


@dataclass
class WebSocketApiSpec:
    logical_id: str
    stage: str
    selection_expression: str
    routes: dict[str, WebSocketRoute] = field(default_factory=dict)

    def route_for(self, body: str) -> WebSocketRoute | None:
        """The route a message takes: the selection expression's value (`$request.body.<path>`), else $default."""
        path = self.selection_expression.removeprefix("$request.body.")
        value: Any = None
        if path != self.selection_expression:
            try:
                value = json.loads(body)
                for part in path.split("."):
                    value = value.get(part) if isinstance(value, dict) else None
            except ValueError:
                value = None
        if isinstance(value, str) and value in self.routes and not value.startswith("$"):
            return self.routes[value]
        return self.routes.get("$default")


def websocket_apis(template: Template) -> list[WebSocketApiSpec]:
    """Every `AWS::ApiGatewayV2::Api` of protocol WEBSOCKET, with its first stage and its Lambda routes."""
    apis = []
    for api_id in template.of_type("AWS::ApiGatewayV2::Api"):
        props = template.resources[api_id].get("Properties") or {}
        if str(props.get("ProtocolType", "")).upper() != "WEBSOCKET":
            continue
        stages = [s for s in template.of_type("AWS::ApiGatewayV2::Stage") if _api_of(template, s) == api_id]
        stage = template.resolve((template.resources[stages[0]].get("Properties") or {})["StageName"]) if stages else ""
        spec = WebSocketApiSpec(api_id, str(stage), str(props.get("RouteSelectionExpression", "")))
        for route_id in template.of_type("AWS::ApiGatewayV2::Route"):
            if _api_of(template, route_id) != api_id:
                continue
            route = template.resources[route_id].get("Properties") or {}
            function = _integrated_function(template, route_id)
            if function is not None:
                key = str(route["RouteKey"])
                spec.routes[key] = WebSocketRoute(
                    key, function, two_way=bool(route.get("RouteResponseSelectionExpression"))
                )
        apis.append(spec)
    return apis


def _api_of(template: Template, logical_id: str) -> str | None:
    api = (template.resources[logical_id].get("Properties") or {}).get("ApiId")
    return api.get("Ref") if isinstance(api, dict) else None


def _integrated_function(template: Template, route_id: str) -> str | None:
    """The function behind a route's `integrations/<id>` target (an AWS_PROXY integration's URI names it)."""
    for integration in template.dependencies(route_id):
        if template.resources[integration].get("Type") != "AWS::ApiGatewayV2::Integration":
            continue
        for name in template.dependencies(integration):
            if template.resources[name].get("Type") in ("AWS::Serverless::Function", "AWS::Lambda::Function"):
                return name
    return None


# ---------------------------------------------------------------------- events
@dataclass
class Client:
    """What API Gateway knows of a connection."""

    connection_id: str
    source_ip: str
    user_agent: str
    connected_at_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    last_active_ms: int = field(default_factory=lambda: int(time.time() * 1000))


def _context(
    route_key: str, event_type: str, client: Client, stage: str, domain_name: str, api_id: str
) -> dict[str, Any]:
    now = time.time()
    return {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": uuid.uuid4().hex[:16],
        "requestTime": formatdate(now, usegmt=True),
        "messageDirection": "IN",
        "stage": stage,
        "connectedAt": client.connected_at_ms,
        "requestTimeEpoch": int(now * 1000),
        "identity": {"sourceIp": client.source_ip, "userAgent": client.user_agent},
        "requestId": uuid.uuid4().hex[:16],
        "domainName": domain_name,
        "connectionId": client.connection_id,
        "apiId": api_id,
    }


def connect_event(
    client: Client, headers: list[tuple[str, str]], raw_query: str, *, stage: str, domain_name: str, api_id: str
) -> dict[str, Any]:
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    multi_query: dict[str, list[str]] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        multi_query.setdefault(name, []).append(value)
    event: dict[str, Any] = {
        "headers": {name: values[-1] for name, values in multi_headers.items()},
        "multiValueHeaders": multi_headers,
        "requestContext": _context("$connect", "CONNECT", client, stage, domain_name, api_id),
        "isBase64Encoded": False,
    }
    if multi_query:  # API Gateway leaves both out when the URL has no query
        event["queryStringParameters"] = {name: values[-1] for name, values in multi_query.items()}
        event["multiValueQueryStringParameters"] = multi_query
    return event


def disconnect_event(
    client: Client, status_code: int, reason: str, *, stage: str, domain_name: str, api_id: str
) -> dict[str, Any]:
    context = _context("$disconnect", "DISCONNECT", client, stage, domain_name, api_id)
    context |= {"disconnectStatusCode": status_code, "disconnectReason": reason}
    return {"headers": {"Host": domain_name}, "requestContext": context, "isBase64Encoded": False}


def message_event(
    client: Client, route_key: str, body: str, *, stage: str, domain_name: str, api_id: str
) -> dict[str, Any]:
    context = _context(route_key, "MESSAGE", client, stage, domain_name, api_id)
    context["messageId"] = uuid.uuid4().hex[:16]
    return {"requestContext": context, "body": body, "isBase64Encoded": False}
