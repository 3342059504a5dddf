"""WhatsApp templates listed from Vonage (issue 16, item 5): an integration naming its WhatsApp Business
Account has its templates read through the deployment's Vonage host (the fake's WhatsApp Template
Management API), kept, offered to a WhatsApp conversation when approved, and sent through the one send
path; a non-approved name and a parameter count that does not match are 422s naming the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from test_whatsapp_templates import ORDER_READY, reply, whatsapp_conversation

from helpers.events import api_request, load_event
from local.vonage_templates import DEMO_TEMPLATES, DEMO_WABA_ID

OTHER_TENANT = {"custom:tenant_id": "tenant-other"}


@pytest.fixture
def listing(api, fake, vonage_integration) -> dict[str, Any]:
    """The fake lists the demo templates for its WABA; the integration names that WABA and keeps one typed template."""
    fake.waba_id, fake.templates = DEMO_WABA_ID, copy.deepcopy(DEMO_TEMPLATES)
    body = {"vonage": {"whatsapp_business_account_id": DEMO_WABA_ID, "whatsapp_templates": [TYPED]}}
    status, answer = api(api_request("PUT", f"/integrations/{vonage_integration['id']}", body))
    assert status == 200, answer
    assert answer["settings"]["whatsapp_business_account_id"] == DEMO_WABA_ID
    return vonage_integration


TYPED = {"name": "rappel_rdv", "locale": "fr", "parameters": 1, "text": "Rappel : votre rendez-vous du {{1}}."}


def listed(api, integration_id: str, refresh: bool = False, **claims: str) -> tuple[int, Any]:
    query = "?refresh=true" if refresh else ""
    return api(api_request("GET", f"/integrations/{integration_id}/whatsapp-templates{query}", **claims))


def test_the_templates_vonage_lists_are_read_once_kept_and_read_again_on_refresh(api, fake, listing):
    status, body = api(load_event("api/list_whatsapp_templates.json", INTEGRATION_ID=listing["id"]))

    assert status == 200, body
    assert body["listed"] is True
    assert [(t["name"], t["locale"], t["status"], t["parameters"]) for t in body["items"]] == [
        ("order_ready", "fr", "APPROVED", 2),
        ("suivi_demande", "fr", "APPROVED", 2),
        ("welcome_back", "en_GB", "APPROVED", 0),
        ("avis_client", "fr", "PENDING", 1),
        ("promo_noel", "fr", "REJECTED", 1),
    ]
    lists = [r for r in fake.requests if "/whatsapp-manager/" in r.path]
    assert [(r.path, r.status) for r in lists] == [(f"/v2/whatsapp-manager/wabas/{DEMO_WABA_ID}/templates", 200)]
    assert lists[0].headers["Authorization"].startswith("Bearer ")  # the application's JWT, as Vonage asks

    fake.templates[3]["status"] = "APPROVED"  # Meta approved avis_client meanwhile
    assert listed(api, listing["id"])[1]["items"][3]["status"] == "PENDING"  # kept: Vonage not asked
    assert len([r for r in fake.requests if "/whatsapp-manager/" in r.path]) == 1
    status, again = listed(api, listing["id"], refresh=True)
    assert (status, again["items"][3]["status"]) == (200, "APPROVED")


def test_a_long_list_is_read_page_by_page(api, fake, listing):
    fake.templates += [
        {
            "id": f"77{n:03}",
            "name": f"note_{n}",
            "language": "fr",
            "status": "APPROVED",
            "category": "UTILITY",
            "components": [{"type": "BODY", "text": f"Note {n} : {{{{1}}}}"}],
        }
        for n in range(120)
    ]

    status, body = listed(api, listing["id"], refresh=True)

    assert status == 200, body
    assert len(body["items"]) == 125
    assert len([r for r in fake.requests if "/whatsapp-manager/" in r.path]) == 2


def test_a_conversation_is_offered_the_approved_ones_and_the_typed_fallback(api, aws, fake, listing):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)

    status, body = api(api_request("GET", f"/conversations/{conversation_id}/whatsapp-templates?refresh=true"))

    assert status == 200, body
    assert [(t["name"], t["locale"]) for t in body["items"]] == [
        ("order_ready", "fr"),
        ("suivi_demande", "fr"),
        ("welcome_back", "en_GB"),
        ("rappel_rdv", "fr"),  # typed in the settings, not listed by Vonage: kept as a fallback
    ]


def test_an_approved_template_goes_out_outside_the_window(api, aws, fake, listing):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)
    listed(api, listing["id"])

    status, sent = reply(api, conversation_id, {"template": {"name": "suivi_demande", "parameters": ["Karim", "D-77"]}})

    assert status == 201, sent
    assert sent["delivery"] == "sent"
    assert sent["text"].startswith("Bonjour Karim, nous revenons vers vous au sujet de votre demande D-77.")
    assert fake.sent[-1].body["template"] == {"name": "suivi_demande", "parameters": ["Karim", "D-77"]}
    assert fake.sent[-1].body["whatsapp"] == {"policy": "deterministic", "locale": "fr"}


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ({"name": "avis_client", "parameters": ["Karim"]}, "template.name: 'avis_client' is PENDING at WhatsApp"),
        ({"name": "promo_noel", "parameters": ["NOEL"]}, "template.name: 'promo_noel' is REJECTED at WhatsApp"),
        ({"name": "suivi_demande", "parameters": ["Karim"]}, "template.parameters: 'suivi_demande' takes 2"),
        ({"name": "inconnu", "parameters": []}, "template.name: 'inconnu' is not an approved template"),
    ],
)
def test_a_template_not_approved_or_with_the_wrong_count_is_a_422(api, aws, fake, listing, chosen, message):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)
    listed(api, listing["id"])

    status, answer = reply(api, conversation_id, {"template": chosen})

    assert status == 422, answer
    assert answer["error"]["message"].startswith(message)
    assert fake.sent == []


def test_an_integration_without_a_waba_lists_nothing_and_keeps_its_typed_templates(api, aws, fake, vonage_integration):
    body = {"vonage": {"whatsapp_templates": [ORDER_READY]}}
    assert api(api_request("PUT", f"/integrations/{vonage_integration['id']}", body))[0] == 200

    nothing = {"listed": False, "fetched_at": None, "items": []}
    assert listed(api, vonage_integration["id"], refresh=True) == (200, nothing)
    conversation_id = whatsapp_conversation(api, aws, fake)
    _, body = api(api_request("GET", f"/conversations/{conversation_id}/whatsapp-templates"))
    assert [t["name"] for t in body["items"]] == ["order_ready"]


def test_vonage_down_is_a_503_and_a_refused_list_a_422(api, fake, listing):
    fake.set_down()
    status, body = listed(api, listing["id"], refresh=True)
    assert status == 503, body
    fake.set_down(False)

    fake.waba_id = "99999999"  # Vonage does not know the integration's WABA
    status, body = listed(api, listing["id"], refresh=True)
    assert status == 422, body
    assert body["error"]["message"].startswith("whatsapp_business_account_id: Vonage refused the list")


def test_a_waba_id_that_is_not_digits_is_a_422(api, vonage_integration):
    body = {"vonage": {"whatsapp_business_account_id": "waba-1"}}
    status, answer = api(api_request("PUT", f"/integrations/{vonage_integration['id']}", body))
    assert status == 422, answer
    assert "whatsapp_business_account_id" in answer["error"]["message"]


def test_another_tenant_cannot_read_or_use_the_templates(api, aws, fake, listing):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)
    listed(api, listing["id"])

    assert listed(api, listing["id"], refresh=True, **OTHER_TENANT)[0] == 404
    path = f"/conversations/{conversation_id}/whatsapp-templates"
    assert api(api_request("GET", path, **OTHER_TENANT))[0] == 404
    body = {"template": {"name": "order_ready", "parameters": ["A", "B"]}}
    assert api(api_request("POST", f"/conversations/{conversation_id}/messages", body, **OTHER_TENANT))[0] == 404
    assert fake.sent == []


def test_the_fake_vonage_refuses_a_template_it_does_not_list_as_approved(fake):
    import requests

    fake.waba_id, fake.templates = DEMO_WABA_ID, copy.deepcopy(DEMO_TEMPLATES)
    send = {"message_type": "template", "channel": "whatsapp", "to": "33612345678", "from": "33757000001"}
    auth = (fake.api_key, fake.api_secret)

    def post(name: str, parameters: list[str], locale: str = "fr") -> requests.Response:
        template = {"template": {"name": name, "parameters": parameters}, "whatsapp": {"locale": locale}}
        return requests.post(f"{fake.base_url}/v1/messages", json=send | template, auth=auth, timeout=10)

    assert post("order_ready", ["Karim", "48213"], "fr-FR").status_code == 202
    refused = post("avis_client", ["Karim"]).json()
    pending = {"name": "template.name", "reason": "'avis_client' is PENDING, not APPROVED"}
    assert refused["invalid_parameters"] == [pending]
    refused = post("order_ready", ["Karim"]).json()
    assert refused["invalid_parameters"][0]["name"] == "template.parameters"
    # the list takes the application's JWT only
    listing = requests.get(f"{fake.base_url}/v2/whatsapp-manager/wabas/{DEMO_WABA_ID}/templates", auth=auth, timeout=10)
    assert listing.status_code == 401


def test_a_conversation_s_first_look_reads_the_list_and_vonage_down_leaves_the_typed_ones(api, aws, fake, listing):
    conversation_id = whatsapp_conversation(api, aws, fake, hours_ago=30)
    path = f"/conversations/{conversation_id}/whatsapp-templates"
    fake.set_down()

    status, body = api(api_request("GET", path))  # never read yet, Vonage down: the typed ones meanwhile
    assert (status, [t["name"] for t in body["items"]]) == (200, ["rappel_rdv"])
    assert api(api_request("GET", f"{path}?refresh=true"))[0] == 503  # asked for: the outage is said
    fake.set_down(False)

    status, body = api(api_request("GET", path))  # read now, and kept
    assert [t["name"] for t in body["items"]] == ["order_ready", "suivi_demande", "welcome_back", "rappel_rdv"]
    lists = [r for r in fake.requests if "/whatsapp-manager/" in r.path]
    api(api_request("GET", path))
    assert len([r for r in fake.requests if "/whatsapp-manager/" in r.path]) == len(lists)


def test_a_folders_nudge_reads_the_list_on_its_first_look(api, fake, listing):
    # Issue 16 review, answers #2: the WABA id just set, nobody opened the list; a nudge's template was a 422.
    template = {"name": "order_ready", "locale": "fr", "parameters": ["Marie", "12345"]}
    nudge = {"enabled": True, "after_hours": 24, "max_nudges": 1, "text": "Alors ?", "template": template}

    status, folder = api(api_request("POST", "/folders", {"name": "Commandes", "nudge": nudge}))

    assert status == 201, folder
    assert folder["nudge"]["template"]["name"] == "order_ready"
