"""The local stack's demo shop (local/shop.py): the order lookup the demo tenant's AI calls, answering
only calls signed with the lookup's secret, and only about the asking customer's own orders (issue 16,
item 2; review, lookups #3)."""

from __future__ import annotations

import json
import time

import pytest
import requests

from inbox.domain.signatures import sign
from local.shop import ORDER_PATH, DemoShop

SECRET = "shop-secret-" + "s" * 32
LEA = {"email": "lea.dubois@example.fr", "phone": None}  # the owner of order 12345


@pytest.fixture
def shop():
    shop = DemoShop(secret=SECRET)
    yield shop
    shop.close()


def call(
    shop: DemoShop,
    arguments: object,
    *,
    customer: object = LEA,
    secret: str = SECRET,
    signed_at: float | None = None,
    **headers: str,
):
    """A call as the inbox makes it: the arguments as `parameters`, who is asking as `customer`."""
    body = json.dumps({"parameters": arguments, "customer": customer}).encode()
    signature = sign(secret, body, int(time.time() if signed_at is None else signed_at))
    return requests.post(
        shop.url,
        data=body,
        headers={"Content-Type": "application/json", "X-Inbox-Signature": signature, "X-Inbox-Lookup": "find_order"}
        | headers,
        timeout=5,
    )


def test_a_signed_call_gets_the_order_in_the_contracts_wire_format(shop):
    response = call(shop, {"order_number": "12345"})

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {
        "order_number": "12345",
        "status": "shipped",
        "shipped_on": "2026-11-28",
        "carrier": "Colissimo",
        "tracking": "6A12345678901",
    }
    assert shop.url.startswith("http://127.0.0.1:")
    assert shop.url.endswith(ORDER_PATH)
    assert [(c.lookup, c.body, c.status, c.customer) for c in shop.calls] == [
        ("find_order", {"order_number": "12345"}, 200, LEA)
    ]


def test_an_order_number_written_with_its_hash_or_as_a_number_is_the_same_order(shop):
    assert call(shop, {"order_number": "#12345"}).json()["tracking"] == "6A12345678901"
    assert call(shop, {"order_number": 12345}).json()["tracking"] == "6A12345678901"


def test_an_unknown_order_is_a_404(shop):
    response = call(shop, {"order_number": "99999"})

    assert response.status_code == 404
    assert response.json() == {"error": "order not found"}


@pytest.mark.parametrize(
    "customer",
    [
        {"email": "marc.petit@example.fr", "phone": None},
        {"email": None, "phone": "+33 7 00 00 00 00"},
        {"email": None, "phone": None},
        None,
        "lea.dubois@example.fr",
    ],
)
def test_another_customers_order_is_as_unknown_as_a_missing_one(shop, customer):
    response = call(shop, {"order_number": "12345"}, customer=customer)

    assert response.status_code == 404
    assert response.json() == call(shop, {"order_number": "99999"}, customer=customer).json()


@pytest.mark.parametrize(
    "customer",
    [
        {"email": "Lea.Dubois@Example.fr", "phone": None},
        {"email": None, "phone": "+33612345678"},
        {"email": "someone@example.fr", "phone": "+33 6 12 34 56 78"},
    ],
)
def test_the_owner_is_known_by_email_in_any_case_or_by_phone(shop, customer):
    assert call(shop, {"order_number": "12345"}, customer=customer).json()["tracking"] == "6A12345678901"


@pytest.mark.parametrize(
    "how",
    ["another secret", "no signature", "an old signature", "a body changed after signing"],
)
def test_a_call_not_signed_with_the_lookups_secret_is_refused_with_401_and_learns_nothing(shop, how):
    body = json.dumps({"order_number": "12345"}).encode()
    headers = {"Content-Type": "application/json"}
    if how == "another secret":
        headers["X-Inbox-Signature"] = sign("another-secret-" + "x" * 32, body, int(time.time()))
    elif how == "an old signature":
        headers["X-Inbox-Signature"] = sign(SECRET, body, int(time.time()) - 3600)
    elif how == "a body changed after signing":
        headers["X-Inbox-Signature"] = sign(SECRET, json.dumps({"order_number": "48213"}).encode(), int(time.time()))

    response = requests.post(shop.url, data=body, headers=headers, timeout=5)

    assert response.status_code == 401
    assert "order" not in response.text  # neither the order nor whether it exists
    assert set(response.json()) == {"error"}


def test_an_unknown_order_without_the_secret_is_a_401_too_not_a_404(shop):
    assert call(shop, {"order_number": "99999"}, secret="another-secret-" + "x" * 32).status_code == 401


def test_a_shop_that_does_not_know_its_secret_yet_refuses_every_call():
    shop = DemoShop()
    try:
        assert call(shop, {"order_number": "12345"}).status_code == 401
        shop.secret = SECRET  # the seed sets it once the inbox has given the lookup its secret
        assert call(shop, {"order_number": "12345"}).status_code == 200
    finally:
        shop.close()


@pytest.mark.parametrize("arguments", [[], {"order": "12345"}, {"order_number": None}, {"order_number": True}])
def test_a_signed_call_without_an_order_number_is_a_400(shop, arguments):
    response = call(shop, arguments)

    assert response.status_code == 400
    assert response.json() == {"error": "order_number is required"}


def test_arguments_outside_the_parameters_envelope_are_a_400(shop):
    body = json.dumps({"order_number": "12345"}).encode()
    headers = {"Content-Type": "application/json", "X-Inbox-Signature": sign(SECRET, body, int(time.time()))}

    response = requests.post(shop.url, data=body, headers=headers, timeout=5)

    assert response.status_code == 400


def test_another_path_or_a_get_is_a_404(shop):
    assert requests.post(shop.base_url + "/lookups/customer", json={}, timeout=5).status_code == 404
    assert requests.get(shop.url, timeout=5).status_code == 404
