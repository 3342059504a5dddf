"""How a sender is recognised again: email lower-cased, phone in E.164."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from inbox.errors import InvalidInputError
from inbox.models import Contact, Direction, InboundMessage, Party

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
        keys.append(email_identity(party.email))
    if party.phone:
        keys.append(phone_identity(party.phone))
    return keys


def customer_of(inbound: InboundMessage) -> tuple[Party, list[str]]:
    """The contact (who wrote, or who what the business sent went to) and its identities; none: refused."""
    outbound = inbound.direction is Direction.OUTBOUND
    customer = normalize_party(inbound.to[0], "to") if outbound and inbound.to else normalize_party(inbound.sender)
    return customer, identities(customer) if not outbound or inbound.to else []


def email_identity(email: str) -> str:
    return f"email:{email}"


def phone_identity(phone: str) -> str:
    return f"phone:{phone}"


def contact_identities(contact: Contact) -> list[str]:
    """Every identity a contact claims: its emails, then its phones."""
    return [email_identity(e) for e in contact.emails] + [phone_identity(p) for p in contact.phones]


# ------------------------------------------------------------------ finding and sorting by name


def fold(text: str) -> str:
    """Accents dropped, case folded, spaces collapsed: "  Élodie  MARTIN" -> "elodie martin"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def sort_name(contact: Contact) -> str:
    """What the contacts list sorts and finds a contact by: its name, else its first email or phone."""
    return fold(contact.name or contact.email or contact.phone or "")


@dataclass(frozen=True)
class ContactQuery:
    """What a search of contacts looks for: an identity (exact) or the start of a name."""

    identity: str | None = None
    name_prefix: str = ""


def contact_query(text: str | None) -> ContactQuery:
    """An address is found by its email identity, something that reads as a phone number by its
    phone identity (E.164; without a +, as an international number), anything else by name."""
    text = (text or "").strip()
    if "@" in text:
        try:
            email = normalize_email(text, "q")
        except InvalidInputError:
            return ContactQuery(name_prefix=fold(text))
        return ContactQuery(identity=email_identity(email or ""))
    if _PHONE_LIKE.match(text) and sum(c.isdigit() for c in text) >= 6:
        try:
            phone = normalize_phone(text, "q")
        except InvalidInputError:
            return ContactQuery(name_prefix=fold(text))
        return ContactQuery(identity=phone_identity(phone or ""))
    return ContactQuery(name_prefix=fold(text))


_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]+$")


# ------------------------------------------------------------------ editing and merging


MAX_IDENTITIES = 20  # per kind: a person has a few addresses; the panel lists them all
# The absorbed contacts remembered: ingest looks their thread keys up (a message continuing an
# ongoing conversation of one of them), so a bound keeps that look-up cheap.
MAX_MERGED_IDS = 20
MAX_NOTES = 10_000  # characters: a few pages about a customer, far under an item's 400 KB


def normalize_emails(values: list[str], field: str = "emails") -> list[str]:
    """Each one checked and lower-cased (a 422 names `emails[i]`), duplicates dropped, order kept."""
    found = [normalize_email(value, f"{field}[{i}]") for i, value in enumerate(values)]
    return _unique(found, field)


def normalize_phones(values: list[str], field: str = "phones") -> list[str]:
    found = [normalize_phone(value, f"{field}[{i}]") for i, value in enumerate(values)]
    return _unique(found, field)


def _unique(values: list[str | None], field: str) -> list[str]:
    kept = list(dict.fromkeys(v for v in values if v))
    if len(kept) > MAX_IDENTITIES:
        raise InvalidInputError(field, f"at most {MAX_IDENTITIES}")
    return kept


def merged(survivor: Contact, other: Contact) -> Contact:
    """What `survivor` becomes once `other` is merged into it: nothing of either is lost. Its own
    name and company win, the other's fill the gaps, and a different one is written in the notes
    ("Also known as ..."); identities are the union; both notes are kept. A result over the caps a
    contact's edit holds to (MAX_IDENTITIES, MAX_NOTES) is refused, a 422 on `other_id`: trimming
    it would lose something, and the panel could no longer save the contact unchanged.
    Applying it twice gives the same contact (a merge run again after a crash)."""
    if other.id in survivor.merged_ids:
        return survivor
    notes = [n.strip() for n in (survivor.notes, other.notes) if n and n.strip()]
    if survivor.name and other.name and fold(other.name) != fold(survivor.name):
        notes.append(f"Also known as {other.name}")
    if survivor.company and other.company and fold(other.company) != fold(survivor.company):
        notes.append(f"Also of {other.company}")
    result = survivor.model_copy(
        update={
            "name": survivor.name or other.name,
            "company": survivor.company or other.company,
            "emails": list(dict.fromkeys([*survivor.emails, *other.emails])),
            "phones": list(dict.fromkeys([*survivor.phones, *other.phones])),
            "notes": "\n\n".join(dict.fromkeys(notes)) or None,
            # The newest last, and `other` itself kept: asking for this merge again finds it done.
            "merged_ids": list(dict.fromkeys([*survivor.merged_ids, *other.merged_ids, other.id]))[-MAX_MERGED_IDS:],
        }
    )
    for kind, values in (("emails", result.emails), ("phones", result.phones)):
        if len(values) > MAX_IDENTITIES:
            raise InvalidInputError(
                "other_id",
                f"together the two contacts have {len(values)} {kind}, at most {MAX_IDENTITIES}: remove some first",
            )
    if len(result.notes or "") > MAX_NOTES:
        raise InvalidInputError(
            "other_id", f"together the two contacts' notes are over {MAX_NOTES} characters: shorten them first"
        )
    return result
