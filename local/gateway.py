"""An HTTP server that behaves like API Gateway HTTP API in front of the template's functions.

It matches a request against the `Type: HttpApi` routes (most specific first, like API Gateway),
checks the route's JWT authorizer exactly as the managed authorizer does, builds a payload format
2.0 event, invokes the function's worker and turns its result into the HTTP response. It also
answers CORS preflights from the API's CorsConfiguration, serves the SPA from `web/` for paths no
route claims, and rejects bodies over API Gateway's 10 MB.

Differences from AWS worth knowing: every HttpApi of the template is served on one host and port;
Lambda authorizers and IAM auth are not evaluated (such routes answer 401); a handler exception
answers 500 like AWS, a crashed or timed-out worker answers 502.
"""

from __future__ import annotations

import base64
import json
import logging
import mimetypes
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jwt

from .runtime import FunctionError, InvocationError
from .template import Cors, JwtAuthorizer, Route

log = logging.getLogger("local")

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
_TEXT_TYPES = {"application/json", "application/xml", "application/javascript", "application/ecmascript"}


# ---------------------------------------------------------------------- routes
@dataclass
class CompiledRoute:
    route: Route
    segments: list[str]
    greedy: str | None  # the name of a trailing {name+} variable

    @classmethod
    def of(cls, route: Route) -> CompiledRoute:
        if route.path == "$default":
            return cls(route, [], None)
        segments = route.path.strip("/").split("/")
        greedy = None
        if segments and re.fullmatch(r"\{[^}]+\+\}", segments[-1]):
            greedy = segments.pop()[1:-2]
        return cls(route, segments, greedy)

    def match(self, method: str, segments: list[str]) -> dict[str, str] | None:
        """Path parameters when this route takes the request, else None."""
        if self.route.method not in ("ANY", method):
            return None
        if self.route.path == "$default":
            return {}
        if self.greedy is None and len(segments) != len(self.segments):
            return None
        if self.greedy is not None and len(segments) <= len(self.segments):
            return None  # a greedy variable needs at least one segment
        params: dict[str, str] = {}
        for pattern, value in zip(self.segments, segments, strict=False):
            if pattern.startswith("{") and pattern.endswith("}"):
                if not value:
                    return None
                params[pattern[1:-1]] = value
            elif pattern != value:
                return None
        if self.greedy is not None:
            params[self.greedy] = "/".join(segments[len(self.segments) :])
        return params

    def rank(self) -> tuple[Any, ...]:
        """Smaller is more specific: full matches before greedy ones (longer prefix first), literal
        segments before variables, an explicit method before ANY, $default last."""
        literal = tuple(0 if not s.startswith("{") else 1 for s in self.segments)
        default = self.route.path == "$default"
        greedy = self.greedy is not None
        return (default, greedy, -len(self.segments) if greedy else 0, literal, self.route.method == "ANY")


def compile_routes(routes: Iterable[Route]) -> list[CompiledRoute]:
    return sorted((CompiledRoute.of(r) for r in routes), key=CompiledRoute.rank)


def split_path(raw_path: str) -> list[str]:
    return [unquote(s) for s in raw_path.strip("/").split("/")] if raw_path.strip("/") else []


def match_route(routes: list[CompiledRoute], method: str, raw_path: str) -> tuple[Route, dict[str, str]] | None:
    """The route API Gateway would pick for `method raw_path`, with its path parameters."""
    segments = split_path(raw_path)
    candidates = []
    for compiled in routes:
        params = compiled.match(method, segments)
        if params is not None:
            candidates.append((compiled.rank(), compiled.route, params))
    if not candidates:
        return None
    _, route, params = min(candidates, key=lambda c: c[0])
    return route, params


# ---------------------------------------------------------------------- events
def is_text(content_type: str | None) -> bool:
    """Whether API Gateway passes the body as text (else base64, isBase64Encoded true)."""
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.startswith("text/") or mime in _TEXT_TYPES or mime.endswith(("+json", "+xml"))


def render_claim(value: Any) -> str:
    """A claim as the HTTP API JWT authorizer passes it: everything is a string, arrays as `[a b]`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + " ".join(render_claim(v) for v in value) + "]"
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{render_claim(v)}" for k, v in value.items()) + "]"
    if value is None:
        return ""
    return str(value)


def render_claims(claims: dict[str, Any]) -> dict[str, str]:
    return {name: render_claim(value) for name, value in claims.items()}


def token_scopes(claims: dict[str, Any]) -> list[str] | None:
    scope = claims.get("scope", claims.get("scp"))
    if scope is None:
        return None
    return scope.split() if isinstance(scope, str) else [str(s) for s in scope]


@dataclass
class Request:
    """What the gateway read from the wire."""

    method: str
    raw_path: str
    raw_query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    protocol: str = "HTTP/1.1"
    request_id: str = field(default_factory=lambda: base64.b64encode(secrets.token_bytes(10)).decode())
    time: float = field(default_factory=time.time)

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return ",".join(values) if values else None


def build_event(
    request: Request,
    route: Route,
    path_parameters: dict[str, str],
    *,
    claims: dict[str, Any] | None = None,
    account_id: str = "123456789012",
    api_id: str = "local",
) -> dict[str, Any]:
    """A payload format 2.0 event, as API Gateway HTTP API sends it to a Lambda integration."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
            continue
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    forwarded = headers.get("x-forwarded-for")
    headers["x-forwarded-for"] = f"{forwarded}, {request.source_ip}" if forwarded else request.source_ip
    headers.setdefault("x-forwarded-proto", "http")
    host = headers.get("host", "localhost")
    if ":" in host:
        headers.setdefault("x-forwarded-port", host.rsplit(":", 1)[1])
    headers.setdefault("x-amzn-trace-id", f"Root=1-{int(request.time):08x}-{secrets.token_hex(12)}")

    query: dict[str, str] = {}
    for name, value in parse_qsl(request.raw_query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value

    now = datetime.fromtimestamp(request.time, UTC)
    context: dict[str, Any] = {
        "accountId": account_id,
        "apiId": api_id,
        "domainName": host,
        "domainPrefix": host.split(":", 1)[0].split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": request.raw_path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": headers.get("user-agent", ""),
        },
        "requestId": request.request_id,
        "routeKey": route.key,
        "stage": "$default",
        "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(request.time * 1000),
    }
    if claims is not None:
        context["authorizer"] = {"jwt": {"claims": render_claims(claims), "scopes": token_scopes(claims)}}

    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.key,
        "rawPath": request.raw_path,
        "rawQueryString": request.raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = context
    if path_parameters:
        event["pathParameters"] = path_parameters
    event["isBase64Encoded"] = False
    if request.body:
        if is_text(headers.get("content-type")):
            try:
                event["body"] = request.body.decode("utf-8")
            except UnicodeDecodeError:
                event["body"], event["isBase64Encoded"] = base64.b64encode(request.body).decode(), True
        else:
            event["body"], event["isBase64Encoded"] = base64.b64encode(request.body).decode(), True
    return event


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return Response(status, [("content-type", "application/json"), *headers], json.dumps(payload).encode())


def to_http_response(result: Any) -> Response:
    """Lambda's result → HTTP, as payload format 2.0 defines (a result without statusCode is a 200 JSON)."""
    if not (isinstance(result, dict) and "statusCode" in result):
        return Response(200, [("content-type", "application/json")], json.dumps(result).encode())
    try:
        status = int(result["statusCode"])
    except (TypeError, ValueError):
        return json_response(500, {"message": "Internal Server Error"})
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), _header_value(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), _header_value(v)) for v in values or [])
    headers.extend(("set-cookie", str(cookie)) for cookie in result.get("cookies") or [])
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("content-type", "application/json"))
    body = result.get("body")
    if body is None:
        data = b""
    elif result.get("isBase64Encoded"):
        try:
            data = base64.b64decode(body)
        except (ValueError, TypeError):
            return json_response(500, {"message": "Internal Server Error"})
    else:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
    return Response(status, headers, data)


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ---------------------------------------------------------------------- JWT authorizer
class Unauthorized(Exception):
    pass


class Forbidden(Exception):
    pass


_COGNITO_ISSUER = re.compile(r"https://cognito-idp\.[a-z0-9-]+\.amazonaws\.com/(?P<pool>[\w-]+)/?")


class JwtVerifier:
    """Checks a token like the HTTP API JWT authorizer: RS256 signature against the issuer's JWKS,
    `iss`, `aud` or `client_id` in the audience, `exp`, `nbf`, `iat`, then the route's scopes.

    A Cognito issuer's JWKS is fetched from the local endpoint (moto serves it at
    `<endpoint>/<pool id>/.well-known/jwks.json`); key sets are cached and refetched for an unknown kid.
    """

    def __init__(self, endpoint_url: str | None):
        self.endpoint_url = endpoint_url.rstrip("/") if endpoint_url else None
        self._clients: dict[str, jwt.PyJWKClient] = {}
        self._lock = threading.Lock()

    def jwks_url(self, issuer: str) -> str:
        match = _COGNITO_ISSUER.fullmatch(issuer)
        if match and self.endpoint_url:
            return f"{self.endpoint_url}/{match.group('pool')}/.well-known/jwks.json"
        return issuer.rstrip("/") + "/.well-known/jwks.json"

    def _client(self, issuer: str) -> jwt.PyJWKClient:
        url = self.jwks_url(issuer)
        with self._lock:
            if url not in self._clients:
                self._clients[url] = jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5)
            return self._clients[url]

    def verify(self, token: str, authorizer: JwtAuthorizer, scopes: list[str]) -> dict[str, Any]:
        try:
            if jwt.get_unverified_header(token).get("alg") != "RS256":
                raise Unauthorized("only RS256 tokens are accepted")
            key = self._client(authorizer.issuer).get_signing_key_from_jwt(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=authorizer.issuer,
                options={"require": ["exp", "iss"], "verify_aud": False},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as error:
            raise Unauthorized(str(error)) from None
        audiences = claims.get("aud", [])
        audiences = [audiences] if isinstance(audiences, str) else list(audiences)
        if claims.get("client_id"):
            audiences.append(claims["client_id"])
        if not set(audiences) & set(authorizer.audience):
            raise Unauthorized("audience not accepted")
        if scopes and not set(token_scopes(claims) or []) & set(scopes):
            raise Forbidden("scope not granted")
        return claims


def identity_token(request: Request, authorizer: JwtAuthorizer) -> str | None:
    source = authorizer.identity_source.split(",")[0].strip()
    if not source.startswith("$request.header."):
        return None
    value = (request.header(source.removeprefix("$request.header.")) or "").strip()
    if value.lower() == "bearer" or value[:7].lower() == "bearer ":
        value = value[6:].strip()
    return value or None


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


# ---------------------------------------------------------------------- static files
def static_file(web_dir: Path | None, raw_path: str) -> Path | None:
    """The file under web/ for this path (index.html for directories), never outside web/."""
    if web_dir is None or not web_dir.is_dir():
        return None
    root = web_dir.resolve()
    candidate = (root / unquote(raw_path).lstrip("/")).resolve()
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


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
            return self._static(request)
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
            except Unauthorized as error:
                log.info("%s %s: token rejected (%s)", request.method, request.raw_path, error)
                return json_response(401, {"message": "Unauthorized"}, [("www-authenticate", "Bearer")])
            except Forbidden:
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

    def _static(self, request: Request) -> Response:
        path = static_file(self.web_dir, request.raw_path) if request.method in ("GET", "HEAD") else None
        if path is None:
            return json_response(404, {"message": "Not Found"})
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        return Response(200, [("content-type", content_type), ("cache-control", "no-cache")], path.read_bytes())


class Gateway:
    """The HTTP server on host:port in front of an HttpApi (the socket is bound at construction)."""

    def __init__(self, api: HttpApi, *, host: str = "127.0.0.1", port: int = 3000):
        self.api = api
        self.server = ThreadingHTTPServer((host, port), _handler_class(api))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        if host in ("0.0.0.0", "::"):  # listening everywhere; this machine reaches it on loopback
            host = "127.0.0.1"
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, name="gateway", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join()
        self.server.server_close()


def _handler_class(api: HttpApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "local-http-api"

        def _serve(self) -> None:
            try:
                body = self._read_body()
            except _TooLarge:
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
                raise _TooLarge
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
                    raise _TooLarge
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


class _TooLarge(Exception):
    pass
