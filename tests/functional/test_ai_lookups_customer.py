"""An admin's test call names a sample customer, sent under the signature with the arguments (issue 16
review, lookups #3): the demo shop answers its owner's order and not another customer's (its 404, the
same as an unknown order's)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from helpers.events import api_request
from local.shop import ORDERS, DemoShop

PARAMETERS = {"type": "object", "properties": {"order_number": {"type": "string"}}}


@pytest.fixture
def shop() -> Iterator[DemoShop]:
    endpoint = DemoShop()
    yield endpoint
    endpoint.close()


def test_a_test_call_answers_the_owners_order_only(aws, api, shop):
    body = {"name": "find_order", "description": "Find an order", "parameters": PARAMETERS, "endpoint": shop.url}
    status, created = api(api_request("POST", "/ai/lookups", body))
    assert status == 201, created
    shop.secret = created["secret"]
    path = f"/ai/lookups/{created['id']}/test"
    asked = {"order_number": "12345"}

    calls = {
        who: api(api_request("POST", path, {"arguments": asked} | ({"customer": customer} if customer else {})))[1]
        for who, customer in (
            ("lea", {"email": "lea.dubois@example.fr"}),
            ("marc", {"email": "marc.petit@example.fr", "phone": "+33700000000"}),
            ("nobody", None),
        )
    }

    assert (calls["lea"]["ok"], calls["lea"]["answer"]) == (True, ORDERS["12345"])
    for who in ("marc", "nobody"):
        assert (calls[who]["ok"], calls[who]["error"]) == (False, "HTTP 404: order not found")
    assert [(c.body, c.customer, c.status) for c in shop.calls] == [
        (asked, {"email": "lea.dubois@example.fr", "phone": None}, 200),
        (asked, {"email": "marc.petit@example.fr", "phone": "+33700000000"}, 404),
        (asked, {"email": None, "phone": None}, 404),
    ]


@pytest.mark.parametrize(
    ("customer", "field"),
    [({"email": "a" * 255}, "customer.email"), ({"phone": "1" * 33}, "customer.phone"), ({"name": "x"}, "customer")],
)
def test_a_bad_sample_customer_is_a_422_naming_the_field(aws, api, customer, field):
    body = {
        "name": "find_order",
        "description": "Find an order",
        "parameters": PARAMETERS,
        "endpoint": "https://shop.example.com/x",
    }
    created = api(api_request("POST", "/ai/lookups", body))[1]
    status, answer = api(
        api_request(
            "POST", f"/ai/lookups/{created['id']}/test", {"arguments": {"order_number": "1"}, "customer": customer}
        )
    )
    assert status == 422, answer
    assert answer["error"]["message"].startswith(field), answer
