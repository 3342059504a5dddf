"""The demo's order lookup (issue 16, item 2): the seed's case 1, "Où est ma commande #12345 ?",
answered with the order's date and tracking number from the demo shop (local/shop.py).

The demo tenant gets a lookup `find_order` whose endpoint is the shop (http on loopback: the local
stack's outbound guard allows it, OutboundAllowLoopback) and a folder in automatic mode that takes
the messages naming an order ("commande #…", "order #…"): its auto-reply calls the lookup through
the fake OpenAI's function call. The inbox gives the lookup its secret on creation; the shop is told
it, and the state keeps it so a restart's shop still verifies the calls.
"""

from __future__ import annotations

import logging
from typing import Any

import requests

log = logging.getLogger("local")

ORDER_LOOKUP = {
    "name": "find_order",
    # In French, as the demo's shop and its customers: an admin of it reads it in Settings.
    "description": "Trouve une commande de la boutique par son numéro : son état, le jour de son "
    "expédition, le transporteur et le numéro de suivi.",
    "parameters": {
        "type": "object",
        "properties": {
            "order_number": {
                "type": "string",
                "description": "Le numéro de la commande, en chiffres seuls (12345 pour #12345).",
            }
        },
        "required": ["order_number"],
        "additionalProperties": False,
    },
    "enabled": True,
}
# Messages that name an order by its number; not the demo's other messages (their orders are named
# "commande 48213" or "ma commande 48250", which stay for a person).
ORDERS_FOLDER = {
    "name": "Commandes",
    "color": "#f2994a",
    "rules": {
        "any": [
            {"field": "body", "op": "contains", "value": "commande #"},
            {"field": "body", "op": "contains", "value": "order #"},
        ]
    },
    "auto_reply": {"enabled": True, "mode": "automatic"},
}
CASE_1 = "Où est ma commande #12345 ?"


def seed_lookups(state: dict[str, Any], api_url: str, token: str, shop: Any) -> None:
    """The lookup on the shop (its endpoint changed when the shop's port did) and the orders folder;
    what was made is kept in `state["shop"]` and `state["lookups"]`."""
    headers = {"Authorization": f"Bearer {token}"}
    account = state.setdefault("shop", {})
    account["port"] = shop.port
    if not account.get("lookup_id"):
        response = requests.post(
            f"{api_url}/ai/lookups", json=ORDER_LOOKUP | {"endpoint": shop.url}, headers=headers, timeout=30
        )
        _check(response, "POST /ai/lookups", 201)
        created = response.json()
        account.update(lookup_id=created["id"], secret=created["secret"], endpoint=shop.url)
        log.info("created the demo's order lookup on the demo shop %s", shop.url)
    elif account.get("endpoint") != shop.url:  # the shop could not have last time's port
        response = requests.patch(
            f"{api_url}/ai/lookups/{account['lookup_id']}", json={"endpoint": shop.url}, headers=headers, timeout=30
        )
        _check(response, "PATCH /ai/lookups", 200)
        account["endpoint"] = shop.url
    shop.secret = account["secret"]
    if not state.get("lookups"):
        response = requests.post(f"{api_url}/folders", json=ORDERS_FOLDER, headers=headers, timeout=30)
        _check(response, "POST /folders", 201)
        state["lookups"] = {"orders_folder": response.json()["id"]}
        log.info("created the demo's orders folder, which answers order questions with the shop's lookup")


def _check(response: requests.Response, call: str, expected: int) -> None:
    if response.status_code != expected:
        from .seed import SeedError

        raise SeedError(f"{call} answered {response.status_code}: {response.text[:300]}")
