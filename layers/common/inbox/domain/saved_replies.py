"""Saved replies' placeholders, without I/O (issue 16, item 4): `{{contact.first_name}}` and the like,
filled from the conversation, its contact and the person who sends. One fill serves the API (a
reply inserted in the composer) and follow-ups (a `send` follow-up's text, filled when it fires).

A placeholder without a value (a contact without a name) or one we do not know (a typo) stays in the
text exactly as typed, never silently empty, and the fill names it, so that a person sees what to
write by hand and a follow-up refuses to send it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from inbox.models import Conversation
from inbox.models.contact import Contact
from inbox.models.person import Person

MAX_TITLE = 200
# As a follow-up's text (domain/follow_ups.MAX_TEXT), so that any saved reply can be scheduled.
MAX_TEXT = 4000
MAX_TEAM = 300  # a team's shared replies: the composer reads them all at once
MAX_PERSONAL = 100  # one person's own

# `{{ contact.first_name }}`: spaces inside the braces are allowed, as people type them.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}")

# Every placeholder we fill, in the order the web app's menu offers them.
PLACEHOLDERS = (
    "contact.first_name",
    "contact.last_name",
    "contact.name",
    "contact.email",
    "contact.phone",
    "contact.company",
    "agent.name",
    "agent.first_name",
    "agent.email",
    "conversation.subject",
)


@dataclass(frozen=True)
class Filled:
    """A text with its placeholders filled; `missing` and `unknown` name (without braces) the ones
    left as typed, each once, in the order they first appear."""

    text: str
    missing: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing and not self.unknown


def _split_name(name: str | None) -> tuple[str | None, str | None]:
    """'Marie Dupont' -> ('Marie', 'Dupont'); 'Marie' -> ('Marie', None); an email-like name is no name."""
    words = (name or "").split()
    if not words or "@" in words[0]:
        return None, None
    return words[0], " ".join(words[1:]) or None


def values_for(conversation: Conversation | None, contact: Contact | None, agent: Person | None) -> dict[str, str]:
    """The placeholders' values for one conversation, its contact (read fresh, else as the
    conversation last saw it) and the person who sends; a value we do not have is left out."""
    party = conversation.contact if conversation is not None else None
    name = (contact.name if contact else None) or (party.name if party else None)
    first, last = _split_name(name)
    agent_first, _ = _split_name(agent.name if agent else None)
    values = {
        "contact.first_name": first,
        "contact.last_name": last,
        "contact.name": name.strip() if name and name.strip() else None,
        "contact.email": (contact.email if contact else None) or (party.email if party else None),
        "contact.phone": (contact.phone if contact else None) or (party.phone if party else None),
        "contact.company": contact.company if contact else None,
        "agent.name": agent.name if agent else None,
        "agent.first_name": agent_first,
        "agent.email": agent.email if agent else None,
        "conversation.subject": conversation.subject if conversation else None,
    }
    return {key: value.strip() for key, value in values.items() if value and value.strip()}


def fill(text: str, values: Mapping[str, str]) -> Filled:
    """`text` with each known placeholder that has a value replaced by it; the others stay as typed."""
    missing: list[str] = []
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        left = missing if name in PLACEHOLDERS else unknown
        if name not in left:
            left.append(name)
        return match.group(0)

    return Filled(PLACEHOLDER.sub(replace, text), missing, unknown)


def placeholders_in(text: str) -> set[str]:
    """The names (without braces) of the placeholders `text` holds, known or not."""
    return {match.group(1) for match in PLACEHOLDER.finditer(text)}


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders of `text` we would never fill (a typo: `{{contact.frist_name}}`)."""
    return fill(text, {}).unknown


def sender_placeholders(text: str) -> list[str]:
    """The `agent.*` placeholders of `text`, each once in order: filled from the person who sends, so
    never in what nobody sends (a folder's nudge)."""
    found: list[str] = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name in PLACEHOLDERS and name.startswith("agent.") and name not in found:
            found.append(name)
    return found
