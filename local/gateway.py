"""An HTTP server that behaves like API Gateway HTTP API in front of the template's functions.

It matches a request against the `Type: HttpApi` routes (most specific first, like API Gateway),
checks the route's JWT authorizer exactly as the managed authorizer does, builds a payload format
2.0 event, invokes the function's worker and turns its result into the HTTP response. It also
answers CORS preflights from the API's CorsConfiguration, serves the SPA from `web/` for paths no
route claims, and rejects bodies over API Gateway's 10 MB.

Differences from AWS worth knowing: every HttpApi of the template is served on one host and port;
Lambda authorizers and IAM auth are not evaluated (such routes answer 401); a handler exception
answers 500 like AWS, a crashed or timed-out worker answers 502.

Its parts: routing.py picks the route, http_events.py builds the event and reads the result,
jwt_authorizer.py checks tokens, static.py serves web/; CORS and the server are here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .function_specs import Cors, JwtAuthorizer, Route
from .http_events import Request, Response, build_event, json_response, to_http_response
from .jwt_authorizer import ForbiddenError, JwtVerifier, UnauthorizedError, identity_token
from .loopback import LoopbackServer
from .routing import compile_routes, match_route
from .runtime import FunctionError, InvocationError
from .static import static_response

log = logging.getLogger("local")

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit


# ---------------------------------------------------------------------- CORS
def _origin_allowed(cors: Cors, origin: str | None) -> bool:
    return bool(origin) and ("*" in cors.allow_origins or origin in cors.allow_origins)


def cors_headers(cors: Cors | None, origin: str | None) -> list[tuple[str, str]]:
    """Headers API Gateway adds to a (non-preflight) response when the Origin is allowed."""
    if cors is None or not _origin_allowed(cors, origin):
        return []
    wildcard = "*" in cors.allow_origins and not cors.allow_credentials
    headers = [("access-control-allow-origin", "*" if wildcard else str(origin))]
    if cors.expose_headers:
        headers.append(("access-control-expose-headers", ",".join(cors.expose_headers)))
    if cors.allow_credentials:
        headers.append(("access-control-allow-credentials", "true"))
    if not wildcard:
        headers.append(("vary", "origin"))
    return headers


def preflight_headers(cors: Cors, origin: str | None, requested_headers: str | None) -> list[tuple[str, str]]:
    if not _origin_allowed(cors, origin):
        return []
    headers = cors_headers(cors, origin)
    headers.append(("access-control-allow-methods", ",".join(cors.allow_methods) or "*"))
    if "*" in cors.allow_headers and requested_headers:
        headers.append(("access-control-allow-headers", requested_headers))
    elif cors.allow_headers:
        headers.append(("access-control-allow-headers", ",".join(cors.allow_headers)))
    if cors.max_age is not None:
        headers.append(("access-control-max-age", str(cors.max_age)))
    return headers


# ---------------------------------------------------------------------- the server
Invoke = Callable[[str, dict[str, Any]], Any]


class HttpApi:
    """What API Gateway does with one request: preflight, route, authorize, invoke, shape the answer."""

    def __init__(
        self,
        routes: list[Route],
        invoke: Invoke,
        verifier: JwtVerifier,
        *,
        web_dir: Path | None = None,
        account_id: str = "123456789012",
    ):
        self.routes = compile_routes(routes)
        self.invoke = invoke
        self.verifier = verifier
        self.web_dir = web_dir
        self.account_id = account_id
        # What answers paths no route claims instead of web_dir's files (local/webapp.py's WebApp).
        self.site: Callable[[Request], Response] | None = None

    def cors_for(self, raw_path: str) -> Cors | None:
        matched = match_route(self.routes, "ANY", raw_path)
        if matched and matched[0].cors:
            return matched[0].cors
        return next((c.route.cors for c in self.routes if c.route.cors), None)

    def handle(self, request: Request) -> Response:
        origin = request.header("origin")
        if request.method == "OPTIONS" and (cors := self.cors_for(request.raw_path)) is not None:
            requested = request.header("access-control-request-headers")
            return Response(204, preflight_headers(cors, origin, requested), b"")
        matched = match_route(self.routes, request.method, request.raw_path)
        if matched is None:
            return self.site(request) if self.site else static_response(self.web_dir, request)
        route, params = matched
        response = self._call(request, route, params)
        if route.cors is not None:  # API Gateway replaces the integration's CORS headers with its own
            response.headers = [h for h in response.headers if not h[0].lower().startswith("access-control-")]
            response.headers += cors_headers(route.cors, origin)
        return response

    def _call(self, request: Request, route: Route, params: dict[str, str]) -> Response:
        claims = None
        if route.authorizer is not None:
            if not isinstance(route.authorizer, JwtAuthorizer):
                return json_response(401, {"message": "Unauthorized"})
            token = identity_token(request, route.authorizer)
            if token is None:
                return json_response(401, {"message": "Unauthorized"})
            try:
                claims = self.verifier.verify(token, route.authorizer, route.scopes)
            except UnauthorizedError as error:
                log.info("%s %s: token rejected (%s)", request.method, request.raw_path, error)
                return json_response(401, {"message": "Unauthorized"}, [("www-authenticate", "Bearer")])
            except ForbiddenError:
                return json_response(403, {"message": "Forbidden"})
        event = build_event(request, route, params, claims=claims, account_id=self.account_id)
        started = time.monotonic()
        try:
            response = to_http_response(self.invoke(route.function, event))
        except FunctionError as error:
            log.error("%s failed: %s", route.function, error)
            response = json_response(500, {"message": "Internal Server Error"})
        except InvocationError as error:
            log.error("%s failed: %s", route.function, error)
            response = json_response(502, {"message": "Internal Server Error"})
        log.info(
            "%s %s -> %s %s (%d ms)",
            request.method,
            request.raw_path,
            response.status,
            route.function,
            (time.monotonic() - started) * 1000,
        )
        response.headers.append(("apigw-requestid", request.request_id))
        return response


class Gateway(LoopbackServer):
    """The HTTP server on host:port in front of an HttpApi (the socket is bound at construction, served from
    `start()`)."""

    def __init__(self, api: HttpApi, *, host: str = "127.0.0.1", port: int = 3000):
        super().__init__(_handler_class(api), host=host, port=port, start=False, name="gateway", poll_interval=0.5)
        self.api = api

    def stop(self) -> None:
        self.close()


def _handler_class(api: HttpApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "local-http-api"

        def _serve(self) -> None:
            try:
                body = self._read_body()
            except _TooLargeError:
                self.close_connection = True
                self._send(json_response(413, {"message": "Request Entity Too Large"}))
                return
            except ValueError:
                self.close_connection = True
                self._send(json_response(400, {"message": "Bad Request"}))
                return
            url = urlsplit(self.path)
            request = Request(
                method=self.command,
                raw_path=url.path or "/",
                raw_query=url.query,
                headers=list(self.headers.items()),
                body=body,
                source_ip=self.client_address[0],
                protocol=self.request_version,
            )
            try:
                response = api.handle(request)
            except Exception:
                log.exception("gateway error on %s %s", self.command, url.path)
                response = json_response(500, {"message": "Internal Server Error"})
            self._send(response)

        def _read_body(self) -> bytes:
            if "chunked" in (self.headers.get("transfer-encoding") or "").lower():
                return self._read_chunked()
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_BODY_BYTES:
                raise _TooLargeError
            return self.rfile.read(length) if length > 0 else b""

        def _read_chunked(self) -> bytes:
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY_BYTES:
                    raise _TooLargeError
                chunks.append(self.rfile.read(size))
                self.rfile.readline()

        def _send(self, response: Response) -> None:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("content-length", str(len(response.body)))
            self.send_header("date", self.date_time_string())
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def send_response(self, code: int, message: str | None = None) -> None:
            # Like send_response, without the Server/Date pair (Date is sent once, above).
            self.log_request(code)
            self.send_response_only(code, message)

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.client_address[0], *args)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    return Handler


class _TooLargeError(Exception):
    """A body over API Gateway's limit: 413."""
