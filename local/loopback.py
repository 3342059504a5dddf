"""An HTTP server on loopback, served from a daemon thread: what the fakes, the test endpoints and the gateway share."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handle = Callable[[BaseHTTPRequestHandler], None]


def quiet_handler(handle: Handle, methods: Iterable[str] = ("GET", "POST")) -> type[BaseHTTPRequestHandler]:
    """A request handler class that passes each request of `methods` to `handle` and logs nothing."""

    def serve(self: BaseHTTPRequestHandler) -> None:
        handle(self)

    def log_message(self: BaseHTTPRequestHandler, *_: Any) -> None:
        pass

    namespace: dict[str, Any] = {f"do_{method}": serve for method in methods}
    return type("QuietHandler", (BaseHTTPRequestHandler,), namespace | {"log_message": log_message})


class LoopbackServer:
    """A ThreadingHTTPServer bound at construction (127.0.0.1 and a free port unless told otherwise), served in a
    daemon thread from `start()`, which construction calls unless `start=False`; `close()` stops and unbinds it."""

    def __init__(
        self,
        handler: type[BaseHTTPRequestHandler],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        start: bool = True,
        name: str | None = None,
        poll_interval: float = 0.05,  # `close()` waits up to one interval, and tests close a server each
    ):
        self.server = ThreadingHTTPServer((host, port), handler)
        self._name, self._poll_interval = name, poll_interval
        self._thread: threading.Thread | None = None
        if start:
            self.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        """`http://host:port`, no trailing slash; a server listening everywhere is reached on 127.0.0.1."""
        host = self.server.server_address[0]
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.server.serve_forever, args=(self._poll_interval,), name=self._name, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:  # shutdown() would wait forever for a loop that never ran
            self.server.shutdown()
            self._thread.join()
            self._thread = None
        self.server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
