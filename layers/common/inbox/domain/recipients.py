"""Who an email reply or a forward goes to: addresses as a person types them, and reply-all."""

from __future__ import annotations

import re
from collections.abc import Iterable

from inbox.errors import InvalidInputError
from inbox.models import Party

MAX_RECIPIENTS = 50  # To, Cc and Bcc together: a reply, not a mailing
# One address, as typed: one @, a dotted domain, nothing that would split or extend a header
# (comma, semicolon, quotes, brackets, spaces, control characters).
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$")


def address(value: str, field: str) -> str:
    """The address lower-cased, or a 422 naming `field`."""
    candidate = value.strip().lower()
    if len(candidate) > 254 or not _ADDRESS.match(candidate) or ".." in candidate:
        raise InvalidInputError(field, f"{value[:80]!r} is not an email address")
    return candidate


def addresses(values: Iterable[str], field: str) -> list[str]:
    """Each one checked (a 422 names `field[i]`), duplicates dropped, order kept."""
    found: list[str] = []
    for n, value in enumerate(values):
        checked = address(value, f"{field}[{n}]")
        if checked not in found:
            found.append(checked)
    return found


def reply_all_cc(
    answered_sender: Party | None, answered_to: Iterable[Party], customer: str | None, ours: Iterable[str]
) -> list[str]:
    """The other participants of the message answered (its sender and everyone it went to), but the
    customer (who is the To) and our own addresses: those go to Cc on a reply to all."""
    excluded = {a.lower() for a in ours} | ({customer.lower()} if customer else set())
    found: list[str] = []
    for party in [*([answered_sender] if answered_sender else []), *answered_to]:
        email = (party.email or "").strip().lower()
        if email and email not in excluded and email not in found and _ADDRESS.match(email):
            found.append(email)
    return found


def distinct(to: list[str], cc: list[str], bcc: list[str]) -> tuple[list[str], list[str]]:
    """Cc and Bcc without an address already above them (To, then Cc); a 422 when too many in all."""
    cc = [a for a in cc if a not in to]
    bcc = [a for a in bcc if a not in to and a not in cc]
    if len(to) + len(cc) + len(bcc) > MAX_RECIPIENTS:
        raise InvalidInputError("cc", f"at most {MAX_RECIPIENTS} recipients in all")
    return cc, bcc
