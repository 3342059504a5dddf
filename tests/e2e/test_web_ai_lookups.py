"""AI lookups in a real browser on the local stack (issue 16, item 1): an admin adds one on Settings → AI
(a refused endpoint said next to its field; the secret shown once), tries it against a loopback shop of the
test's own, changes it, turns it off and on, deletes another; a customer's question then gets a suggested
reply whose draft lists the lookup it called (the fake OpenAI calls `find_order` for "#12345"). Every call
the shop received is signed with the secret the screen showed once; axe on each state."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import pytest
import requests

from helpers.endpoints import recording_endpoint
from helpers.local_stack import post_webhook, sign_in
from helpers.web import api_get, run_browser
from inbox.domain.signatures import verify
from local.seed import DEMO_AI_MODEL

pytestmark = pytest.mark.e2e

ORDER = {
    "order_number": "12345",
    "status": "shipped",
    "shipped_on": "2026-11-28",
    "carrier": "Colissimo",
    "tracking": "6A12345678901",
}


def order_answer(body: bytes) -> tuple[int, dict[str, Any]]:
    asked = (json.loads(body or b"{}").get("parameters") or {}).get("order_number")
    return (200, ORDER) if asked == ORDER["order_number"] else (404, {"error": "order not found"})


@pytest.fixture
def shop():
    """The tenant's shop: keeps every POST (headers, body); knows order 12345 only (404 otherwise)."""
    with recording_endpoint("/lookups/order", order_answer) as endpoint:
        yield endpoint


def test_lookups_are_managed_tried_and_shown_with_the_draft_that_used_them(own_tenant, shop):
    url, received = shop
    admin = own_tenant["admin"]
    token = sign_in(own_tenant, admin["username"], admin["password"])
    # The stack's fake OpenAI and a company prompt, so the tenant's AI may write a reply.
    openai = own_tenant["openai"]
    prompt = requests.put(
        f"{own_tenant['api_url']}/settings/ai",
        json={
            "api_key": openai["api_key"],
            "base_url": openai["base_url"],
            "model": DEMO_AI_MODEL,
            "company_prompt": "Boutique Test. Answer customers about their orders, in their language.",
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert prompt.status_code == 200, prompt.text
    subject = f"Ma commande {secrets.token_hex(3)}"
    question = {
        "external_id": secrets.token_hex(8),
        "from": {"name": "Order Customer", "email": f"order-{secrets.token_hex(3)}@example.net"},
        "subject": subject,
        "text": "Bonjour, où est ma commande #12345 ?",
    }
    assert post_webhook(own_tenant, question).status_code == 202
    deadline = time.monotonic() + 30
    while not [c for c in api_get(own_tenant, token, "/conversations")["items"] if c.get("subject") == subject]:
        assert time.monotonic() < deadline, "the customer's question is not listed"
        time.sleep(0.5)

    seen = run_browser(
        "ai-lookups.mjs",
        {
            "INBOX_URL": own_tenant["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "SHOP_URL": url,
            "CUSTOMER_SUBJECT": subject,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"refused": [], "added": [], "draft": []}
    # The API's refusal, next to the endpoint it names, worded by its reason (review web #12).
    assert seen["endpointError"] == "The endpoint must be a secure address starting with https://."
    assert seen["errorNextToEndpoint"] is True
    # Added: the secret shown once, with its copy button.
    assert seen["secret"].startswith("lksec_")
    assert seen["copyButton"] == 1
    assert seen["secretGone"] is True
    assert seen["summary"] == f"On · order_number (Text) · {url}"
    # Tried: the shop's answer in one line, and an unknown order's 404 in words.
    assert seen["tried"].startswith("find_order order_number 12345: ")
    assert "6A12345678901" in seen["tried"]
    assert seen["triedUnknown"].startswith("find_order 99999: failed, the endpoint answered HTTP 404")
    assert "order not found" in seen["triedUnknown"]
    assert seen["description"] == "find_order — Finds an order by its number: status, shipping date, tracking."
    assert seen["turnedOff"] is True
    assert seen["listed"] == ["find_order"]
    # The draft shows the lookup it called, and its reply uses the shop's answer.
    assert seen["draftLookupsTitle"] == "Lookups used (1)"
    [line] = seen["draftLookups"]
    assert line.startswith("find_order order_number 12345: "), line
    assert "shipped" in line
    assert "6A12345678901" in seen["draftText"]

    # Every call the shop received was signed with the secret shown once, and named the lookup.
    assert len(received) == 3  # two tries, one call while writing the reply
    for headers, body in received:
        verify(seen["secret"], body, headers["x-inbox-signature"], time.time())
        assert headers["x-inbox-lookup"] == "find_order"
    assert [json.loads(body)["parameters"] for _, body in received] == [
        {"order_number": "12345"},
        {"order_number": "99999"},
        {"order_number": "12345"},
    ]
    [lookup] = api_get(own_tenant, token, "/ai/lookups")["items"]
    assert lookup["description"] == "Finds an order by its number: status, shipping date, tracking."
