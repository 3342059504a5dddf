"""The demo's shop on loopback (issue 16, item 2): the order lookup the demo tenant's AI may call.

`POST /lookups/order` with `{"parameters": {"order_number": "12345"}, "customer": {"email": …,
"phone": …}}`, signed as the inbox signs a lookup's call (`X-Inbox-Signature: t=…,v1=…`,
inbox.domain.signatures) with the lookup's secret, answers the order as JSON (200) when the customer
owns it (their email, or their phone's digits), an unknown order or another customer's with the same
404 `{"error": "order not found"}` (no hint that it exists), a missing or wrong signature with 401, a
body without `parameters` holding an `order_number` with 400. The secret is
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
# Whose each order is. Léa Dubois asks about 12345 by email in the browser test; her phone is the tests'
# sample SMS sender (tests/samples.py), who asks the same by SMS. Camille is the seed's; 48250's SMS too.
OWNERS: dict[str, dict[str, str]] = {
    "12345": {"email": "lea.dubois@example.fr", "phone": "+33612345678"},
    "48213": {"email": "camille.martin@example.fr"},
    "48250": {"phone": "+33644556677"},
}


@dataclass
class ShopCall:
    """One request the shop answered: the lookup's name it was told, what it asked (the body's
    `parameters`, or the whole body when it has none), for whom (`customer`), what it got."""

    path: str
    lookup: str | None
    body: Any
    status: int
    customer: Any = None


class DemoShop:
    """The shop on 127.0.0.1 (a free port unless told); `url` is where its order lookup listens."""

    def __init__(
        self,
        *,
        secret: str | None = None,
        port: int = 0,
        orders: dict[str, dict[str, Any]] | None = None,
        owners: dict[str, dict[str, str]] | None = None,
    ):
        from inbox.domain.signatures import HEADER, verify
        from inbox.errors import SignatureError

        self._verify, self._header, self._signature_error = verify, HEADER, SignatureError
        self.secret = secret
        self.orders = ORDERS if orders is None else orders
        self.owners = OWNERS if owners is None else owners
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
        sent = _parsed(raw)
        asked, customer = sent, None
        if isinstance(sent, dict) and "parameters" in sent:
            asked, customer = sent.get("parameters"), sent.get("customer")
        with self._lock:
            self.calls.append(ShopCall(request.path, request.headers.get("X-Inbox-Lookup"), asked, status, customer))
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
        sent = _parsed(raw)
        arguments = sent.get("parameters") if isinstance(sent, dict) else None
        number = arguments.get("order_number") if isinstance(arguments, dict) else None
        if not isinstance(number, str | int) or isinstance(number, bool):
            return 400, {"error": "order_number is required"}
        key = str(number).strip().lstrip("#").strip()
        order = self.orders.get(key)
        if order is None or not _owns(self.owners.get(key, {}), sent.get("customer")):
            return 404, {"error": "order not found"}  # another customer's order is as unknown as a missing one
        return 200, order

    def close(self) -> None:
        self._server.close()


def _owns(owner: dict[str, str], customer: Any) -> bool:
    """Whether the customer the inbox vouches for is the order's owner: the same email (any case) or
    the same phone number (its digits: "+33 6 12 34 56 78" is "+33612345678")."""
    if not isinstance(customer, dict):
        return False
    email, phone = customer.get("email"), customer.get("phone")
    if isinstance(email, str) and email.strip() and email.strip().casefold() == owner.get("email", "").casefold():
        return True
    digits = "".join(c for c in phone if c.isdigit()) if isinstance(phone, str) else ""
    return bool(digits) and digits == "".join(c for c in owner.get("phone", "") if c.isdigit())


def _parsed(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None
