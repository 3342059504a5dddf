import pytest

from inbox.domain.contacts import identities, normalize_email, normalize_party, normalize_phone
from inbox.errors import InvalidInputError
from inbox.models import Party


def test_contacts_recognise_an_email_whatever_its_case_and_spaces():
    assert normalize_email("  Elodie.Martin@Example.FR ") == "elodie.martin@example.fr"


@pytest.mark.parametrize("raw", ["+33 6 12 34 56 78", "+33612345678", "33612345678", "+33 (0)6-12-34-56-78"])
def test_contacts_write_every_form_of_a_phone_number_in_e164(raw):
    assert normalize_phone(raw) == "+33612345678"


def test_contacts_read_national_numbers_with_a_region():
    assert normalize_phone("06 12 34 56 78", region="FR") == "+33612345678"


@pytest.mark.parametrize(
    ("field", "call"),
    [
        ("from.email", lambda: normalize_email("not-an-address", "from.email")),
        ("from.phone", lambda: normalize_phone("call me maybe", "from.phone")),
        ("from.phone", lambda: normalize_phone("+1 23", "from.phone")),
    ],
)
def test_contacts_name_the_field_of_an_unusable_address(field, call):
    with pytest.raises(InvalidInputError) as caught:
        call()
    assert caught.value.field == field


def test_contacts_are_found_by_email_first_then_phone():
    party = normalize_party(Party(name="  Élodie ", email="E@X.FR", phone="+33612345678"))
    assert party.name == "Élodie"
    assert identities(party) == ["email:e@x.fr", "phone:+33612345678"]
    assert identities(Party()) == []


def _start(gsi1pk: str, pk: str, sk: str) -> dict:
    return {"PK": {"S": pk}, "SK": {"S": sk}, "GSI1PK": {"S": gsi1pk}, "activity": {"S": "a"}}


@pytest.mark.parametrize(
    "start",
    [
        _start("T#t1#CONTACTS", "T#t2#CONTACT#c1", "CONTACT"),  # another tenant's item
        _start("T#t1#OTHER", "T#t1#CONTACT#c1", "CONTACT"),  # another list
        _start("T#t1#CONTACTS", "T#t1#CONTACT#c1", "TASK#1"),  # another kind of item
        {"PK": {"S": "T#t1#CONTACT#c1"}},  # another shape
        ["not", "a", "key"],
    ],
)
def test_a_list_cursor_only_continues_the_list_it_came_from(start):
    """One check for the contacts, tasks and follow-ups lists (adapters/dynamodb/table.py)."""
    from inbox.adapters.dynamodb.table import check_item_list_start

    good = _start("T#t1#CONTACTS", "T#t1#CONTACT#c1", "CONTACT")
    assert check_item_list_start(good, "T#t1#CONTACTS", "T#t1#CONTACT#", "CONTACT") == good
    with pytest.raises(InvalidInputError) as caught:
        check_item_list_start(start, "T#t1#CONTACTS", "T#t1#CONTACT#", "CONTACT")
    assert caught.value.field == "cursor"
