"""Folder rule filters: conditions on a message, grouped with AND/OR, evaluated in folder order.

A rule is JSON a person writes in the folder settings, so it is validated on the way in (every
regular expression compiled once) and evaluated cheaply and safely on every message: text is
compared case- and accent-insensitively, and `matches` runs on RE2, whose time is linear in the
text, so no pattern can hang the classifier.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

FIELDS = ("from_email", "from_name", "from_phone", "from_domain", "to", "subject", "body", "channel")
OPS = ("equals", "contains", "starts_with", "ends_with", "matches")
MAX_DEPTH = 5
MAX_CONDITIONS = 50
MAX_BODY_CHARS = 20_000  # what rules read of a body: the part a person writes is at the top


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    field: str = Field(
        max_length=200,
        description="from_email, from_name, from_phone, from_domain, to, subject, body, channel, or header:<Name>",
    )
    op: Literal["equals", "contains", "starts_with", "ends_with", "matches"]
    value: str = Field(min_length=1, max_length=500)
    negate: bool = Field(False, alias="not", description="True: the condition holds when the test fails.")

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        if value in FIELDS:
            return value
        name = value.removeprefix("header:")
        if value.startswith("header:") and name and all(33 <= ord(c) <= 126 and c != ":" for c in name):
            return f"header:{name.lower()}"
        raise ValueError(f"must be one of {', '.join(FIELDS)} or header:<Name>")

    @model_validator(mode="after")
    def _compiles(self) -> Self:
        if self.op == "matches":
            try:
                _regex(self.value)
            except Exception as error:  # re2 raises its own error type, with bytes in it
                reason = error.args[0] if error.args else error
                reason = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
                raise ValueError(f"value is not a regular expression RE2 accepts ({reason})") from error
        return self

    def holds(self, facts: MessageFacts) -> bool:
        return self.negate != _test(self.op, facts.value(self.field), self.value)


class Group(BaseModel):
    """`{"all": [...]}` (AND) or `{"any": [...]}` (OR) of conditions and nested groups."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    all_of: list[Rule] | None = Field(None, alias="all")
    any_of: list[Rule] | None = Field(None, alias="any")

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        if (self.all_of is None) == (self.any_of is None):
            raise ValueError('a group has exactly one of "all" or "any"')
        if not self.items:
            raise ValueError("a group needs at least one condition")
        return self

    @property
    def items(self) -> list[Rule]:
        return self.all_of if self.all_of is not None else self.any_of or []

    def holds(self, facts: MessageFacts) -> bool:
        results = (item.holds(facts) for item in self.items)
        return all(results) if self.all_of is not None else any(results)

    def check_size(self) -> Self:
        """Nesting and size bounded, so a rule is cheap to evaluate on every message."""
        conditions = 0

        def walk(group: Group, depth: int) -> None:
            nonlocal conditions
            if depth > MAX_DEPTH:
                raise ValueError(f"groups nest at most {MAX_DEPTH} deep")
            for item in group.items:
                if isinstance(item, Group):
                    walk(item, depth + 1)
                else:
                    conditions += 1
            if conditions > MAX_CONDITIONS:
                raise ValueError(f"at most {MAX_CONDITIONS} conditions per folder")

        walk(self, 1)
        return self

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True, exclude_defaults=False)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "condition" if "field" in value or "op" in value else "group"
    return "condition" if isinstance(value, Condition) else "group"


# Told apart by their keys, so a mistake is reported once, on the field it is about.
Rule = Annotated[Annotated[Condition, Tag("condition")] | Annotated[Group, Tag("group")], Discriminator(_kind)]
Group.model_rebuild()


def parse_rules(document: Any) -> Group:
    """A stored rule document, read back (it was validated when saved)."""
    return Group.model_validate(document).check_size()


# --- what rules look at -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageFacts:
    """The parts of a message rules can test, folded once for case- and accent-insensitive tests."""

    from_email: str = ""
    from_name: str = ""
    from_phone: str = ""
    to: str = ""
    subject: str = ""
    body: str = ""
    channel: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @cached_property
    def _folded(self) -> dict[str, str]:
        values = {
            "from_email": self.from_email,
            "from_name": self.from_name,
            "from_phone": self.from_phone,
            "from_domain": self.from_email.rpartition("@")[2],
            "to": self.to,
            "subject": self.subject,
            "body": self.body[:MAX_BODY_CHARS],
            "channel": self.channel,
        }
        values |= {f"header:{name.lower()}": value for name, value in self.headers.items()}
        return {name: fold(value) for name, value in values.items()}

    def value(self, name: str) -> str:
        return self._folded.get(name, "")


def fold(text: str) -> str:
    """Lower case without accents, whitespace runs as one space: "Problème" and "PROBLEME" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def _test(op: str, text: str, value: str) -> bool:
    if op == "matches":
        return _regex(value).search(text) is not None
    wanted = fold(value)
    if op == "equals":
        return text == wanted
    if op == "contains":
        return wanted in text
    if op == "starts_with":
        return text.startswith(wanted)
    return text.endswith(wanted)


@lru_cache(maxsize=2048)
def _regex(pattern: str) -> Any:
    """RE2, case-insensitive; the pattern's letters folded like the text (accents dropped)."""
    import re2  # google-re2: linear time whatever the pattern

    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 8 << 20  # a pattern that needs more is refused, not run
    options.log_errors = False  # a bad pattern is the person's 422, not a line on stderr
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", pattern) if not unicodedata.combining(c))
    return re2.compile(unaccented, options)


# --- choosing a folder ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FolderRules:
    folder_id: str
    rules: Group


def first_match(folders: list[FolderRules], facts: MessageFacts) -> str | None:
    """The first folder, in the order given (the folders' order), whose rules hold."""
    for folder in folders:
        if folder.rules.holds(facts):
            return folder.folder_id
    return None
