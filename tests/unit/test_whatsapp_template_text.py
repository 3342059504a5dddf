"""WhatsApp templates in our terms: placeholders checked, parameters as WhatsApp takes them, the text rendered."""

from __future__ import annotations

import pytest

from inbox.domain.whatsapp_templates import (
    TemplateRequest,
    parameter_problem,
    placeholder_problem,
    render,
    template_reply,
)
from inbox.errors import InvalidInputError
from inbox.models.integration_settings import WhatsAppTemplate

READY = WhatsAppTemplate(name="order_ready", locale="fr-FR", parameters=2, text="Bonjour {{1}}, commande {{2}} prête.")


def test_the_text_is_rendered_with_the_parameters_in_order():
    assert render(READY.text, ["Karim", "48213"]) == "Bonjour Karim, commande 48213 prête."
    assert render("{{2}} puis {{1}} puis {{2}}", ["a", "b"]) == "b puis a puis b"
    # a parameter's own braces are not read again, and a placeholder past the parameters stays
    assert render("{{1}} {{3}}", ["{{2}}", "x"]) == "{{2}} {{3}}"


@pytest.mark.parametrize(
    ("text", "parameters", "fits"),
    [
        ("Bonjour {{1}}, commande {{2}}", 2, True),
        ("{{2}} avant {{1}}", 2, True),
        ("Rien à remplir", 0, True),
        ("Bonjour {{1}}", 2, False),
        ("Bonjour {{1}} {{3}}", 2, False),
        ("Bonjour {{ 1 }}", 1, False),  # WhatsApp writes {{1}}, without spaces
    ],
)
def test_the_placeholders_must_be_one_to_n(text, parameters, fits):
    assert (placeholder_problem(text, parameters) is None) is fits


@pytest.mark.parametrize(
    ("value", "ok"),
    [("Karim", True), ("", False), ("   ", False), ("a\nb", False), ("a\tb", False), ("a     b", False)],
)
def test_a_parameter_is_one_line_as_whatsapp_takes_it(value, ok):
    assert (parameter_problem(value) is None) is ok


def test_a_template_reply_is_the_rendered_text_and_what_to_send():
    text, sent = template_reply([READY], TemplateRequest("order_ready", None, ["Karim", "48213"]))

    assert text == "Bonjour Karim, commande 48213 prête."
    assert sent.model_dump() == {"name": "order_ready", "locale": "fr-FR", "parameters": ["Karim", "48213"]}


def test_a_template_reply_names_the_field_it_gets_wrong():
    with pytest.raises(InvalidInputError) as unknown:
        template_reply([READY], TemplateRequest("order_shipped"))
    with pytest.raises(InvalidInputError) as count:
        template_reply([READY], TemplateRequest("order_ready", parameters=["Karim"]))

    assert unknown.value.field == "template.name"
    assert "known: order_ready" in str(unknown.value)
    assert count.value.field == "template.parameters"
