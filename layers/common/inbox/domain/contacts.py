"""How a sender is recognised again: email lower-cased, phone in E.164."""

from __future__ import annotations

import re

from inbox.errors import InvalidInputError
from inbox.models import Party

# Deliberately loose: the channel already delivered to this address; we only refuse garbage.
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def normalize_email(value: str | None, field: str = "email") -> str | None:
    if value is None or not value.strip():
        return None
    email = value.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInputError(field, "is not an email address")
    return email


def normalize_phone(value: str | None, field: str = "phone", region: str | None = None) -> str | None:
    """E.164 (+33612345678). Numbers without a + need a region; Vonage sends them without one."""
    if value is None or not value.strip():
        return None
    import phonenumbers  # 150 ms of metadata: only paid by the first message with a phone

    raw = value.strip()
    if region is None and not raw.startswith("+"):
        raw = "+" + raw.lstrip("0")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise InvalidInputError(field, "is not a phone number") from error
    if not phonenumbers.is_possible_number(number):
        raise InvalidInputError(field, "is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_party(party: Party, field: str = "from") -> Party:
    name = party.name.strip() if party.name and party.name.strip() else None
    return Party(
        name=name,
        email=normalize_email(party.email, f"{field}.email"),
        phone=normalize_phone(party.phone, f"{field}.phone"),
    )


def identities(party: Party) -> list[str]:
    """The keys a contact can be found by, most specific first."""
    keys = []
    if party.email:
        keys.append(f"email:{party.email}")
    if party.phone:
        keys.append(f"phone:{party.phone}")
    return keys
