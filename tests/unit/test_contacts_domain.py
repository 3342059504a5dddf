"""How contacts are found, sorted, edited and merged, without I/O (issue 13, item 3)."""

from datetime import UTC, datetime

import pytest

from inbox.domain.contacts import (
    MAX_MERGED_IDS,
    ContactQuery,
    contact_identities,
    contact_query,
    fold,
    merged,
    normalize_emails,
    normalize_phones,
    sort_name,
)
from inbox.errors import InvalidInputError
from inbox.models import Contact

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def contact(contact_id: str = "c1", **fields) -> Contact:
    return Contact(id=contact_id, tenant_id="t", created_at=NOW, **fields)


def test_names_fold_accents_case_and_spaces():
    assert fold("  Élodie   MARTIN ") == "elodie martin"
    assert fold("Ægir Øster") == "ægir øster"
    assert sort_name(contact(emails=["a@b.fr"])) == "a@b.fr"


def test_a_single_email_and_phone_read_as_the_lists():
    old = Contact.model_validate(
        {"id": "c", "tenant_id": "t", "email": "a@b.fr", "phone": "+33611111111", "created_at": NOW}
    )
    assert (old.emails, old.phones, old.email, old.phone) == (["a@b.fr"], ["+33611111111"], "a@b.fr", "+33611111111")
    assert contact_identities(old) == ["email:a@b.fr", "phone:+33611111111"]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("A@B.fr ", ContactQuery(identity="email:a@b.fr")),
        ("+33 6 12 34 56 78", ContactQuery(identity="phone:+33612345678")),
        ("33612345678", ContactQuery(identity="phone:+33612345678")),
        ("Élo", ContactQuery(name_prefix="elo")),
        ("", ContactQuery()),
        ("12", ContactQuery(name_prefix="12")),
        ("@@", ContactQuery(name_prefix="@@")),
    ],
)
def test_a_search_is_an_identity_or_the_start_of_a_name(text, query):
    assert contact_query(text) == query


def test_identities_are_normalised_deduplicated_and_named_by_position():
    assert normalize_emails(["A@b.fr", "a@B.FR", "c@d.fr"]) == ["a@b.fr", "c@d.fr"]
    assert normalize_phones(["+33 6 12 34 56 78", "+33612345678"]) == ["+33612345678"]
    with pytest.raises(InvalidInputError) as refused:
        normalize_emails(["a@b.fr", "nope"])
    assert refused.value.field == "emails[1]"


def test_a_merge_keeps_everything_and_is_the_same_when_applied_twice():
    survivor = contact("s", name="Ann", emails=["a@x.fr"], notes="VIP")
    other = contact(
        "o", name="Annie", company="ACME", emails=["b@x.fr", "a@x.fr"], phones=["+33611111111"], notes="Fridays"
    )
    result = merged(survivor, other)
    assert (result.name, result.company) == ("Ann", "ACME")
    assert (result.emails, result.phones) == (["a@x.fr", "b@x.fr"], ["+33611111111"])
    assert result.notes == "VIP\n\nFridays\n\nAlso known as Annie"  # the other's name is not lost
    assert result.merged_ids == ["o"]
    assert merged(result, other) == result


def test_a_contact_remembers_a_bounded_number_of_merged_contacts_the_newest_kept():
    survivor = contact("s", merged_ids=[f"old{n}" for n in range(MAX_MERGED_IDS)])
    other = contact("o", merged_ids=["older"])
    result = merged(survivor, other)
    assert len(result.merged_ids) == MAX_MERGED_IDS
    assert result.merged_ids[-2:] == ["older", "o"]
    assert merged(result, other) == result


def test_a_merge_keeps_the_others_company_and_name_in_the_notes_when_the_survivor_has_its_own():
    survivor = contact("s", name="Ann Lee", company="ACME")
    result = merged(survivor, contact("o", name="ANN  LEE", company="Lee Consulting"))
    assert (result.name, result.company, result.notes) == ("Ann Lee", "ACME", "Also of Lee Consulting")


@pytest.mark.parametrize(
    ("others", "reason"),
    [
        ({"emails": [f"o{n}@x.fr" for n in range(11)]}, "21 emails"),
        ({"phones": [f"+3361111110{n}" for n in range(10)] + ["+33622222222"]}, "21 phones"),
        ({"notes": "n" * 9_000}, "notes"),
    ],
)
def test_a_merge_over_the_caps_of_a_contact_is_refused_naming_the_other(others, reason):
    survivor = contact(
        "s",
        emails=[f"s{n}@x.fr" for n in range(10)],
        phones=[f"+3363333330{n}" for n in range(10)],
        notes="s" * 2_000,
    )
    with pytest.raises(InvalidInputError) as refused:
        merged(survivor, contact("o", **others))
    assert refused.value.field == "other_id"
    assert reason in str(refused.value)
