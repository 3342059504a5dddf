"""Who is asking, sent with each lookup call under its signature (issue 16 review, lookups #3): the
endpoint can answer only about that customer's own orders, which the model cannot know."""

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
