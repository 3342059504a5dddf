"""Messages a machine wrote, or that would come back to us: never answered automatically.

What the parser already decided stays the one detection: a message's `automated` (bounce,
auto_reply, newsletter, from `classify_automated` over all its headers at parse time, the same
that fills the Automated folder). Added here only what must stop a reply without sending a
message to that folder: X-Loop (ticketing systems put it on their agents' mail too), an empty
Return-Path, a machine's address as the recipient, and the tenant's own addresses and numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from inbox.domain.autoreply.reasons import Refusal, RefusalReason
from inbox.models import Channel, Message, Party

_AUTOMATED_KINDS = {
    "bounce": "a delivery report (bounce)",
    "auto_reply": "an automatic reply",
    "newsletter": "bulk or list mail, or from a no-reply address",
}


def own_identities(values: Iterable[str | None]) -> frozenset[str]:
    """The tenant's addresses and numbers as the guard compares them: emails lower-cased, numbers
    as their digits (Vonage writes them without the +)."""
    return frozenset(identity for value in values if (identity := _identity(value)))


def is_own(party: Party, own: frozenset[str]) -> bool:
    return any(_identity(value) in own for value in (party.email, party.phone) if value)


def recipient_refusal(channel: Channel, recipient: Party) -> Refusal | None:
    """No address of the channel to answer to, or one that cannot be a person's (`.invalid`: the
    placeholder of a mail whose sender could not be read)."""
    if channel is Channel.EMAIL:
        usable = bool(recipient.email) and not (recipient.email or "").lower().endswith(".invalid")
    elif channel in (Channel.SMS, Channel.WHATSAPP):
        usable = bool(recipient.phone)
    else:
        usable = bool(recipient.email or recipient.phone)
    return None if usable else Refusal(RefusalReason.NO_RECIPIENT, f"no {channel} address to answer to")


def machine_refusal(message: Message, recipient: Party, own: frozenset[str]) -> Refusal | None:
    """No when the message or the address a reply would go to is a machine's or our own."""
    for who, party in (("sender", message.sender), ("recipient", recipient)):
        if is_own(party, own):
            return Refusal(RefusalReason.OWN_ADDRESS, f"the {who} is one of our own addresses or numbers")
    if message.automated:
        kind = _AUTOMATED_KINDS.get(message.automated, message.automated)
        return Refusal(RefusalReason.AUTOMATED_MAIL, f"its headers make it {kind}")
    headers = {name.strip().lower(): value for name, value in message.headers.items()}
    if "x-loop" in headers:
        return Refusal(RefusalReason.AUTOMATED_MAIL, "it carries X-Loop: an automatic system already handled it")
    if "return-path" in headers:
        return_path = "".join(headers["return-path"].split()).strip("<>")
        if not return_path:
            return Refusal(RefusalReason.AUTOMATED_MAIL, "its Return-Path is empty: mail that must not be answered")
        if _machine_address(return_path):
            return Refusal(RefusalReason.AUTOMATED_SENDER, f"its Return-Path is a machine's ({return_path[:100]})")
    for who, party in (("sender", message.sender), ("recipient", recipient)):
        if party.email and _machine_address(party.email):
            return Refusal(RefusalReason.AUTOMATED_SENDER, f"the {who} is a machine's address ({party.email[:100]})")
    return None


def _machine_address(address: str) -> bool:
    """mailer-daemon, postmaster, noreply and the like, as the parser's classification knows them."""
    # Here, not at the top: the API imports this package for its refusal reasons, not the email parser.
    from inbox.domain.email import classify_automated

    return classify_automated({}, address.lower(), None, delivery_report=False) is not None


def _identity(value: str | None) -> str:
    value = (value or "").strip().lower()
    if "@" in value:
        return value
    return "".join(char for char in value if char.isdigit())
