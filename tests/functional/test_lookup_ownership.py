"""An auto-reply's lookup asks as the conversation's contact (issue 16 review, lookups #3): the shop
sees who is asking, as the channel vouches for it, and another customer's order is not told (its 404
holds the reply for a person); the owner gets the answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_autoreply_lookups import ORDERS_FOLDER, auto_reply_to, register

from helpers.classify import create_folder, use_ai
from helpers.events import api_request
from helpers.replies import COMPANY_PROMPT
from local.openai import FakeOpenAI
from local.shop import DemoShop
from samples import CUSTOMER

SENDER = "+" + CUSTOMER  # the SMS's sender, as the webhook keeps it (E.164)


@pytest.fixture
def openai_fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key="sk-test-ownership-0123456789", hang_seconds=3) as fake:
        yield fake


@pytest.fixture
def orders(api, openai_fake, vonage_integration) -> None:
    use_ai(api, openai_fake)
    status, body = api(api_request("PUT", "/settings/ai", {"company_prompt": COMPANY_PROMPT}))
    assert status == 200, body
    create_folder(api, ORDERS_FOLDER)


@pytest.mark.parametrize(("owner", "told"), [({"email": "lea.dubois@example.fr"}, False), ({"phone": SENDER}, True)])
def test_an_order_is_told_to_its_owner_only(api, aws, fake, openai_fake, orders, owner, told):
    shop = DemoShop(owners={"12345": owner})
    try:
        shop.secret = register(api, shop.url)["secret"]
        draft = auto_reply_to(api, aws, fake, "Où est ma commande #12345 ?")
    finally:
        shop.close()

    [asked] = shop.calls
    assert (asked.body, asked.customer) == ({"order_number": "12345"}, {"email": None, "phone": SENDER})
    if told:
        assert draft["status"] == "sent"
        assert "6A12345678901" in fake.sent[0].body["text"]
    else:
        assert fake.sent == []
        assert (draft["status"], draft["hold"]) == ("pending", "lookup_failed")
        assert draft["detail"].startswith("find_order: HTTP 404: order not found")
        assert "6A12345678901" not in (draft["text"] or "")
