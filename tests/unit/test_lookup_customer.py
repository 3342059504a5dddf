"""The lookups service (issue 16 review, lookups #3, #6): who is asking is sent with each call under
its signature, so the endpoint can answer only about that customer's own orders, which the model
cannot know; two lookups of one name are offered once."""

from __future__ import annotations

import json

from test_lookup_calls import ADMIN, NOW, ORDER, Answer, service

from inbox.domain import signatures
from inbox.models.ai_lookup import LookupCustomer


def test_a_call_carries_the_customer_under_the_signature():
    lookups, sent = service(Answer(200, b'{"status": "shipped"}'))
    lookup, secret = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
    customer = LookupCustomer(email="lea.dubois@example.fr", phone="+33612345678")

    call = lookups.call("t1", lookup, {"order_number": "12345"}, customer=customer)

    assert call.ok
    [(_, body, headers)] = sent
    assert json.loads(body) == {
        "parameters": {"order_number": "12345"},
        "customer": {"email": "lea.dubois@example.fr", "phone": "+33612345678"},
    }
    signatures.verify(secret, body, headers[signatures.HEADER], NOW.timestamp())  # the customer is signed too


def test_an_admins_test_call_carries_the_sample_customer_or_none():
    customers = []
    for customer in (LookupCustomer(phone="+33612345678"), None):
        lookups, sent = service(Answer(200, b"{}"))
        lookup, _ = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
        lookups.test(ADMIN, lookup.id, {"order_number": "1"}, customer)
        [(_, body, _)] = sent
        customers.append(json.loads(body)["customer"])

    assert customers == [{"email": None, "phone": "+33612345678"}, {"email": None, "phone": None}]


def test_two_lookups_of_one_name_are_offered_once_the_oldest():
    """Two of one name stored before the store claimed names (issue 16 review, lookups #6): one tool."""
    lookups, _ = service(Answer(200, b"{}"))
    first, _ = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
    twin = first.model_copy(update={"id": first.id + "z", "endpoint": "https://shop.example.com/twin"})
    lookups._store.items[("t1", twin.id)] = twin  # written past the name's claim, as before it existed
    other, _ = lookups.create(ADMIN, "find_booking", "Find a booking", ORDER, "https://shop.example.com/booking")

    offered = sorted((t.name, t.id) for t in lookups.tools("t1"))
    assert offered == [("find_booking", other.id), ("find_order", first.id)]
