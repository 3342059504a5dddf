"""The local seed gives the demo's Vonage integration the WhatsApp Business Account the fake Vonage serves
(issue 16, item 5, second session): a new integration is created with it, a demo seeded before gets it once."""

from __future__ import annotations

from typing import Any

import pytest

from local import seed
from local.vonage_templates import DEMO_WABA_ID


class Answer:
    def __init__(self, status_code: int, body: dict[str, Any]):
        self.status_code, self.body, self.text = status_code, body, str(body)

    def json(self) -> dict[str, Any]:
        return self.body


@pytest.fixture
def calls(monkeypatch) -> list[tuple[str, str, dict[str, Any]]]:
    made: list[tuple[str, str, dict[str, Any]]] = []

    def post(url: str, json: dict[str, Any], **_: Any) -> Answer:
        made.append(("POST", url, json))
        return Answer(201, {"id": "integration-1"})

    def put(url: str, json: dict[str, Any], **_: Any) -> Answer:
        made.append(("PUT", url, json))
        return Answer(200, {"id": "integration-1"})

    monkeypatch.setattr(seed.requests, "post", post)
    monkeypatch.setattr(seed.requests, "put", put)
    return made


def account() -> dict[str, Any]:
    return {
        "application_id": "demo-app",
        "private_key_pem": "PEM",
        "api_key": "demo1234",
        "api_secret": "s",
        "signature_secret": "x" * 32,
    }


def test_a_new_demo_integration_is_created_with_the_fakes_waba(calls):
    state = {"vonage": account(), "vonage_demo_sent": True}
    seed.seed_vonage(state, "http://api", "token", vonage=None)
    [(method, url, body)] = calls
    assert (method, url, body["whatsapp_business_account_id"]) == ("POST", "http://api/integrations", DEMO_WABA_ID)
    assert state["vonage_templates"] is True


def test_a_demo_seeded_before_gets_the_waba_once(calls):
    state = {"vonage": account() | {"integration_id": "integration-1"}, "vonage_demo_sent": True}
    seed.seed_vonage(state, "http://api", "token", vonage=None)
    seed.seed_vonage(state, "http://api", "token", vonage=None)
    assert calls == [
        ("PUT", "http://api/integrations/integration-1", {"vonage": {"whatsapp_business_account_id": DEMO_WABA_ID}})
    ]
