"""The templates Vonage lists, read into what a reply may be sent as (issue 16, item 5): Meta's objects
read (BODY text, its {{n}} counted), what cannot be sent left out, and the offer that puts Vonage's
approved ones first, keeps typed ones it does not list, and names those it lists without approval."""

from __future__ import annotations

import pytest

from inbox.domain.whatsapp_templates import TemplateRequest, listed_template, offer, template_reply
from inbox.errors import InvalidInputError
from inbox.models.integration_settings import WhatsAppTemplate
from inbox.models.whatsapp_template import ListedTemplate


def meta(name: str, body: str, status: str = "APPROVED", language: str = "fr") -> dict:
    return {
        "name": name,
        "language": language,
        "status": status,
        "category": "UTILITY",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Commande"},
            {"type": "BODY", "text": body},
        ],
    }


def test_a_listed_template_is_read_with_its_count_of_parameters():
    read = listed_template(meta("order_ready", "Bonjour {{1}}, votre commande {{2}} est prête."))
    assert read == ListedTemplate(
        name="order_ready",
        locale="fr",
        status="APPROVED",
        category="UTILITY",
        text="Bonjour {{1}}, votre commande {{2}} est prête.",
        parameters=2,
    )
    assert listed_template(meta("x", "Hi", status="weird")).status == "OTHER"


@pytest.mark.parametrize(
    "raw",
    [
        meta("named", "Bonjour {{first_name}}"),  # named parameters: not what we send
        meta("gap", "Bonjour {{1}} et {{3}}"),  # {{2}} missing
        {"name": "no_body", "language": "fr", "status": "APPROVED", "components": []},
        {"language": "fr"},
        "not an object",
    ],
)
def test_what_cannot_be_sent_as_a_reply_is_left_out(raw):
    assert listed_template(raw) is None


TYPED_FR = WhatsAppTemplate(name="order_ready", locale="fr-FR", parameters=2, text="Typed {{1}} {{2}}")
TYPED_OTHER = WhatsAppTemplate(name="rappel", locale="fr", parameters=0, text="Rappel")


def test_vonage_s_approved_ones_come_first_and_shadow_a_typed_one_of_the_same_language():
    listed = [
        listed_template(meta("order_ready", "Listed {{1}} {{2}}")),
        listed_template(meta("avis", "Avis {{1}}", status="PENDING")),
    ]
    offered = offer([TYPED_FR, TYPED_OTHER], listed)
    assert [(t.name, t.locale, t.text) for t in offered.usable] == [
        ("order_ready", "fr", "Listed {{1}} {{2}}"),  # Meta's one French is the typed fr-FR
        ("rappel", "fr", "Rappel"),
    ]
    assert offered.refused == {"avis": "PENDING"}


def test_a_name_listed_without_approval_is_refused_naming_the_field_and_its_status():
    offered = offer([], [listed_template(meta("promo", "Code {{1}}", status="REJECTED"))])
    with pytest.raises(InvalidInputError, match=r"template\.name: 'promo' is REJECTED at WhatsApp"):
        template_reply(offered.usable, TemplateRequest(name="promo", parameters=["X"]), offered.refused)


def test_without_a_list_the_typed_ones_are_the_offer():
    offered = offer([TYPED_FR], [])
    assert offered.usable == [TYPED_FR]
    assert offered.refused == {}
