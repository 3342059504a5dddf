"""A TCP proxy on loopback that counts what each connection carries, for the bytes-per-poll budget.

The client connects to the proxy as if it were the server; TLS runs end to end through it, so the
count is every byte of the TCP stream: TLS handshake, records and session tickets included. TCP/IP
headers are not (they depend on the network, not on us).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Flow:
    """One proxied connection: bytes from the client to the server (`sent`) and back (`received`)."""

    sent: int = 0
    received: int = 0
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def total(self) -> int:
        return self.sent + self.received


class CountingProxy:
    """`with CountingProxy(host, port) as proxy:` connect to (proxy.host, proxy.port); read proxy.flows."""

    host = HOST

    def __init__(self, upstream_host: str, upstream_port: int):
        self._upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server((HOST, 0))
        self.port: int = self._listener.getsockname()[1]
        self.flows: list[Flow] = []
        self._lock = threading.Lock()
        self._acceptor = threading.Thread(target=self._accept, name="counting-proxy", daemon=True)

    def __enter__(self) -> CountingProxy:
        self._acceptor.start()
        return self

    def __exit__(self, *_: object) -> None:
        with contextlib.suppress(OSError):  # wakes the blocked accept(), which close() alone does not
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._acceptor.join(timeout=5)

    def mark(self) -> int:
        """Where the flows opened from now on start: pass it to `flows_since`."""
        with self._lock:
            return len(self.flows)

    def flows_since(self, mark: int, timeout: float = 10) -> list[Flow]:
        """The connections opened since `mark`, once each is closed (both directions drained)."""
        with self._lock:
            flows = self.flows[mark:]
        for flow in flows:
            if not flow.done.wait(timeout):
                raise TimeoutError("a proxied connection is still open")
        return flows

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # the listener was closed: the proxy is done
                return
            flow = Flow()
            with self._lock:
                self.flows.append(flow)
            threading.Thread(target=self._serve, args=(client, flow), daemon=True).start()

    def _serve(self, client: socket.socket, flow: Flow) -> None:
        try:
            server = socket.create_connection(self._upstream, timeout=10)
        except OSError:
            client.close()
            flow.done.set()
            return
        server.settimeout(None)
        back = threading.Thread(target=self._pump, args=(server, client, flow, "received"), daemon=True)
        back.start()
        self._pump(client, server, flow, "sent")
        back.join()
        client.close()
        server.close()
        flow.done.set()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket, flow: Flow, direction: str) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    target.shutdown(socket.SHUT_WR)
                return
            setattr(flow, direction, getattr(flow, direction) + len(data))
            try:
                target.sendall(data)
            except OSError:
                with contextlib.suppress(OSError):
                    source.shutdown(socket.SHUT_RD)
                return
