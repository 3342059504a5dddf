"""The demo's shop on loopback (issue 16, item 2): the order lookup the demo tenant's AI may call.

`POST /lookups/order` with `{"order_number": "12345"}`, signed as the inbox signs a lookup's call
(`X-Inbox-Signature: t=…,v1=…`, inbox.domain.signatures) with the lookup's secret, answers the order
as JSON (200), an unknown order with 404 `{"error": "order not found"}`, a missing or wrong
signature with 401, a body that is not a JSON object with an `order_number` with 400. The secret is
the one the inbox gave the demo's lookup when the seed created it (`secret`, set once known: until
then every call is refused). The layer's signature code is imported when the shop is made, after
the stack has put the layer on the path.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

from .loopback import LoopbackServer, quiet_handler

ORDER_PATH = "/lookups/order"
MAX_BODY = 16 * 1024
# The demo's orders: 12345 is the seed's case 1 ("Où est ma commande #12345 ?"); 48213 and 48250 are
# the orders the seed's other demo messages name.
ORDERS: dict[str, dict[str, Any]] = {
    "12345": {
        "order_number": "12345",
        "status": "shipped",
        "shipped_on": "2026-11-28",
        "carrier": "Colissimo",
        "tracking": "6A12345678901",
    },
    "48213": {
        "order_number": "48213",
        "status": "shipped",
        "shipped_on": "2026-11-03",
        "carrier": "Colissimo",
        "tracking": "6A48213000017",
    },
    "48250": {"order_number": "48250", "status": "ready_for_pickup", "store": "Lyon, 12 rue Mercière"},
}


@dataclass
class ShopCall:
    """One request the shop answered: the lookup's name it was told, what it asked, what it got."""

    path: str
    lookup: str | None
    body: Any
    status: int


class DemoShop:
    """The shop on 127.0.0.1 (a free port unless told); `url` is where its order lookup listens."""

    def __init__(self, *, secret: str | None = None, port: int = 0, orders: dict[str, dict[str, Any]] | None = None):
        from inbox.domain.signatures import HEADER, verify
        from inbox.errors import SignatureError

        self._verify, self._header, self._signature_error = verify, HEADER, SignatureError
        self.secret = secret
        self.orders = ORDERS if orders is None else orders
        self.calls: list[ShopCall] = []
        self._lock = threading.Lock()
        self._server = LoopbackServer(quiet_handler(self._handle), port=port, name="demo-shop")
        self.port = self._server.port
        self.base_url = self._server.url
        self.url = self.base_url + ORDER_PATH

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(min(length, MAX_BODY + 1)) if length > 0 else b""
        status, answer = self._answer(request, raw)
        with self._lock:
            self.calls.append(ShopCall(request.path, request.headers.get("X-Inbox-Lookup"), _parsed(raw), status))
        body = json.dumps(answer).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _answer(self, request: BaseHTTPRequestHandler, raw: bytes) -> tuple[int, dict[str, Any]]:
        if request.command != "POST" or request.path.split("?", 1)[0] != ORDER_PATH:
            return 404, {"error": "no such lookup"}
        if len(raw) > MAX_BODY:
            return 413, {"error": "body too large"}
        # The signature first: nobody learns whether an order exists without the secret.
        if self.secret is None:
            return 401, {"error": "this shop has no secret yet"}
        try:
            self._verify(self.secret, raw, request.headers.get(self._header), time.time())
        except self._signature_error as error:
            return 401, {"error": str(error)}
        arguments = _parsed(raw)
        number = arguments.get("order_number") if isinstance(arguments, dict) else None
        if not isinstance(number, str | int) or isinstance(number, bool):
            return 400, {"error": "order_number is required"}
        order = self.orders.get(str(number).strip().lstrip("#").strip())
        if order is None:
            return 404, {"error": "order not found"}
        return 200, order

    def close(self) -> None:
        self._server.close()


def _parsed(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
