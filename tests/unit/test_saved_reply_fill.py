"""A saved reply's placeholders (issue 16, item 4): filled from the conversation, its contact and the
sender; a missing value or an unknown placeholder stays as typed, never silently empty, and is named."""

from __future__ import annotations

from inbox.domain.saved_replies import PLACEHOLDERS, fill, unknown_placeholders, values_for
from inbox.models import Party
from inbox.models.contact import Contact
from inbox.models.person import Person
from samples import NOW, TENANT, sample_conversation

CONVERSATION = sample_conversation(
    id="c1", tenant_id=TENANT, contact=Party(name="Marie Dupont", email="marie@example.com"), subject="Commande 12345"
)
AGENT = Person(id="u1", tenant_id=TENANT, name="Camille Martin", email="camille@shop.example")


def test_every_placeholder_is_filled_from_the_conversation_its_contact_and_the_sender():
    contact = Contact(
        id="k1",
        tenant_id=TENANT,
        name="Marie Dupont",
        emails=["marie@example.com"],
        phones=["+33612345678"],
        company="Dupont SARL",
        created_at=NOW,
    )
    text = " | ".join(f"{{{{{name}}}}}" for name in PLACEHOLDERS)

    filled = fill(text, values_for(CONVERSATION, contact, AGENT))

    assert filled.text == (
        "Marie | Dupont | Marie Dupont | marie@example.com | +33612345678 | Dupont SARL | Camille Martin | Camille"
        " | camille@shop.example | Commande 12345"
    )
    assert (filled.missing, filled.unknown, filled.complete) == ([], [], True)


def test_a_missing_value_stays_as_typed_and_is_named_once():
    no_name = sample_conversation(id="c2", tenant_id=TENANT, contact=Party(phone="+33612345678"))

    filled = fill(
        "Bonjour {{ contact.first_name }}, {{contact.first_name}} ! {{agent.name}}", values_for(no_name, None, None)
    )

    assert filled.text == "Bonjour {{ contact.first_name }}, {{contact.first_name}} ! {{agent.name}}"
    assert (filled.missing, filled.unknown, filled.complete) == (["contact.first_name", "agent.name"], [], False)


def test_an_unknown_placeholder_stays_as_typed_and_is_named_apart():
    filled = fill("Bonjour {{contact.frist_name}} {{contact.first_name}}", values_for(CONVERSATION, None, AGENT))

    assert filled.text == "Bonjour {{contact.frist_name}} Marie"
    assert (filled.missing, filled.unknown) == ([], ["contact.frist_name"])
    assert unknown_placeholders("{{ order.number }} {{agent.name}} {{}} {single}") == ["order.number"]


def test_a_value_is_never_read_as_a_placeholder_again_nor_an_email_as_a_name():
    sneaky = sample_conversation(id="c3", tenant_id=TENANT, contact=Party(name="{{agent.email}}"))
    assert fill("{{contact.name}}", values_for(sneaky, None, AGENT)).text == "{{agent.email}}"
    emailed = sample_conversation(id="c4", tenant_id=TENANT, contact=Party(name="marie@example.com"))
    assert fill("{{contact.first_name}}", values_for(emailed, None, None)).missing == ["contact.first_name"]
