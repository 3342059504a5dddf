"""The WebSocket API as API Gateway serves it, on one loopback port: browsers connect to
`ws://host:port/<stage>`, and the functions reach the management API (`POST`, `GET`, `DELETE`
`/<stage>/@connections/{id}`) at `http://host:port/<stage>`, the HTTPS form of the stage URL on AWS.

$connect is invoked before the handshake completes: any status but 2xx refuses it with that status.
A text message goes to the route the selection expression picks, else $default; a two-way route's
`body` is sent back. A closed socket invokes $disconnect. The framing is websockets' sans-I/O
protocol over the server's own threads (one per connection).

Differences from AWS: no idle (10 min) or two-hour limit; frames of binary messages are ignored.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote, urlsplit

from websockets.frames import Opcode
from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol

from .loopback import LoopbackServer
from .runtime import InvocationError
from .websocket_events import Client, WebSocketApiSpec, connect_event, disconnect_event, message_event

log = logging.getLogger("local")

Invoke = Callable[[str, dict[str, Any]], Any]
MAX_POST_BYTES = 128 * 1024  # API Gateway's largest WebSocket message


class _Socket:
    """One open WebSocket: the protocol's state, guarded, since the management API writes from other threads."""

    def __init__(self, client: Client, sock: socket.socket, protocol: ServerProtocol):
        self.client, self.sock, self.protocol = client, sock, protocol
        self.lock = threading.Lock()

    def flush(self) -> None:
        """Write what the protocol has to send (the caller holds the lock)."""
        for data in self.protocol.data_to_send():
            try:
                if data:
                    self.sock.sendall(data)
                else:
                    self.sock.shutdown(socket.SHUT_WR)
            except OSError:
                return

    def send_text(self, text: bytes) -> bool:
        with self.lock:
            if self.protocol.state is not State.OPEN:
                return False
            self.protocol.send_text(text)
            self.flush()
            return True

    def close(self, code: int = 1000, reason: str = "") -> None:
        with self.lock:
            if self.protocol.state is State.OPEN:
                self.protocol.send_close(code, reason)
                self.flush()


class WebSocketApi(LoopbackServer):
    def __init__(self, spec: WebSocketApiSpec | None, invoke: Invoke, *, host: str = "127.0.0.1", port: int = 0):
        self.spec = spec
        self.invoke = invoke
        self.sockets: dict[str, _Socket] = {}
        self.stopping = False
        super().__init__(_handler_class(self), host=host, port=port, start=False, name="websocket-api")

    @property
    def endpoint(self) -> str:
        """The API's `ApiEndpoint` attribute: `ws://host:port` (`wss://<api>.execute-api...` on AWS)."""
        return "ws" + self.url.removeprefix("http")

    @property
    def stage_url(self) -> str:
        return f"{self.endpoint}/{self.spec.stage}" if self.spec else self.endpoint

    def stop(self) -> None:
        """Close every socket (no $disconnect: the functions are stopping too; the TTL cleans up)."""
        self.stopping = True
        for open_socket in list(self.sockets.values()):
            open_socket.close(1001, "going away")
        self.close()

    # ------------------------------------------------------------------ routes
    def call(self, route_key: str, event: dict[str, Any]) -> dict[str, Any] | None:
        """Invoke the route's function; None when it failed (API Gateway answers 500 then)."""
        assert self.spec is not None
        route = self.spec.routes.get(route_key)
        if route is None:
            return {"statusCode": 200}  # a route not in the template: API Gateway lets it pass
        started = time.monotonic()
        try:
            result = self.invoke(route.function, event)
        except InvocationError as error:
            log.error("%s failed on %s: %s", route.function, route_key, error)
            return None
        log.info("WebSocket %s -> %s (%d ms)", route_key, route.function, (time.monotonic() - started) * 1000)
        return result if isinstance(result, dict) else {}

    def event_args(self, domain_name: str) -> dict[str, str]:
        assert self.spec is not None
        return {"stage": self.spec.stage, "domain_name": domain_name, "api_id": self.spec.logical_id}

    def message(self, open_socket: _Socket, text: str, domain_name: str) -> None:
        assert self.spec is not None
        open_socket.client.last_active_ms = int(time.time() * 1000)
        route = self.spec.route_for(text)
        if route is None:
            reply = {"message": "Forbidden", "connectionId": open_socket.client.connection_id}
            open_socket.send_text(json.dumps(reply).encode())
            return
        event = message_event(open_socket.client, route.key, text, **self.event_args(domain_name))
        result = self.call(route.key, event)
        if result is None:
            reply = {"message": "Internal server error", "connectionId": open_socket.client.connection_id}
            open_socket.send_text(json.dumps(reply).encode())
        elif route.two_way and result.get("body") is not None:
            open_socket.send_text(str(result["body"]).encode())


def _new_connection_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(10)).decode()[:15] + "="


def _handler_class(api: WebSocketApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "local-websocket-api"

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("%s " + format, self.client_address[0], *args)

        def _answer(self, status: int, body: dict[str, Any] | None = None, error_type: str | None = None) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            self.send_header("content-type", "application/json")
            if error_type:
                self.send_header("x-amzn-errortype", error_type)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stage_path(self) -> list[str] | None:
            """The path's segments after the stage, or None for another stage."""
            segments = [unquote(s) for s in urlsplit(self.path).path.split("/")[1:]]
            if api.spec is None or not segments or segments[0] != api.spec.stage:
                return None
            return [s for s in segments[1:] if s] if len(segments) > 1 else []

        # ------------------------------------------------------------ the management API
        def _management(self) -> None:
            # Read the body whatever the answer: left unread on this kept-alive connection, it would be
            # taken for the next request's first line (a 501 to the caller's next post).
            data = self.rfile.read(int(self.headers.get("content-length") or 0))
            segments = self._stage_path()
            if segments is None or len(segments) != 2 or segments[0] != "@connections":
                self._answer(404, {"message": "Not Found"})
                return
            open_socket = api.sockets.get(segments[1])
            log.debug("management API: %s %s (%s)", self.command, segments[1], "open" if open_socket else "gone")
            if open_socket is None:
                self._answer(410, {"message": "Gone"}, "GoneException")
                return
            if self.command == "POST":
                if len(data) > MAX_POST_BYTES:
                    self._answer(413, {"message": "Message too long"}, "PayloadTooLargeException")
                elif open_socket.send_text(data):
                    self._answer(200)
                else:
                    self._answer(410, {"message": "Gone"}, "GoneException")
            elif self.command == "DELETE":
                open_socket.close(1000, "")
                self._answer(204)
            else:
                client = open_socket.client
                self._answer(
                    200,
                    {
                        "connectedAt": _iso(client.connected_at_ms),
                        "lastActiveAt": _iso(client.last_active_ms),
                        "identity": {"sourceIp": client.source_ip, "userAgent": client.user_agent},
                    },
                )

        do_POST = do_DELETE = _management

        def do_GET(self) -> None:
            if (self.headers.get("upgrade") or "").lower() != "websocket":
                self._management()
                return
            self.close_connection = True
            if self._stage_path() != []:
                self._answer(403, {"message": "Forbidden"})
                return
            self._websocket()

        # ------------------------------------------------------------ a WebSocket
        def _websocket(self) -> None:
            protocol = ServerProtocol()
            lines = [self.requestline, *(f"{k}: {v}" for k, v in self.headers.items())]
            protocol.receive_data(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            (request,) = [e for e in protocol.events_received() if isinstance(e, Request)]
            client = Client(_new_connection_id(), self.client_address[0], self.headers.get("user-agent") or "")
            domain_name = self.headers.get("host") or ""
            event = connect_event(
                client,
                list(self.headers.items()),
                urlsplit(self.path).query,
                **api.event_args(domain_name),
            )
            result = api.call("$connect", event)
            status = 500 if result is None else int(result.get("statusCode") or 200)
            if not 200 <= status < 300:
                protocol.send_response(protocol.reject(status, "Forbidden" if status in (401, 403) else "Error"))
                _Socket(client, self.connection, protocol).flush()
                return
            protocol.send_response(protocol.accept(request))
            open_socket = _Socket(client, self.connection, protocol)
            with open_socket.lock:
                open_socket.flush()
            if protocol.state is not State.OPEN:
                return
            api.sockets[client.connection_id] = open_socket
            try:
                self._serve(open_socket, domain_name)
            finally:
                api.sockets.pop(client.connection_id, None)
                if not api.stopping:
                    code = protocol.close_code or 1006
                    event = disconnect_event(client, code, protocol.close_reason or "", **api.event_args(domain_name))
                    api.call("$disconnect", event)

        def _serve(self, open_socket: _Socket, domain_name: str) -> None:
            protocol, pending = open_socket.protocol, bytearray()
            while protocol.state is not State.CLOSED:
                try:
                    data = self.connection.recv(65536)
                except OSError:
                    data = b""
                with open_socket.lock:
                    if data:
                        protocol.receive_data(data)
                    else:
                        protocol.receive_eof()
                    events = protocol.events_received()
                    open_socket.flush()
                for frame in events:
                    if frame.opcode is Opcode.TEXT or (frame.opcode is Opcode.CONT and pending):
                        pending += frame.data
                        if frame.fin:
                            text, pending = pending.decode("utf-8", "replace"), bytearray()
                            api.message(open_socket, text, domain_name)
                if not data or protocol.close_expected():
                    break

    return Handler


def _iso(epoch_ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_ms / 1000))
