"""Who is acting (issue 14, item 3): the person signed in to the API, or the part of the system at
work (classify, autoreply, sync...). The API sets it for each request, each worker at its handler's
entry; the table adapter writes it on every item it puts or updates (`changed_by`), and the audit
trail reads it back from the stream. A contextvar: one value per invocation (and per thread or task)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

STAMP_FIELD = "changed_by"  # the attribute every written item carries
# Appended to the stamp the store writes just before deleting an item: its removal in the stream then
# names who removed it, and a removal without it (a conversation's purge deleting its tasks in a batch)
# is nobody's action to record. Any later write replaces the stamp, so a delete that did not happen
# leaves no mark behind.
REMOVING = ";removing"


@dataclass(frozen=True)
class Actor:
    type: Literal["person", "system"]
    id: str

    @classmethod
    def person(cls, user_id: str) -> Actor:
        return cls("person", user_id)

    @classmethod
    def system(cls, part: str) -> Actor:
        return cls("system", part)

    @property
    def stamp(self) -> str:
        """As written on an item: `person:<user id>`, `system:<part>`."""
        return f"{self.type}:{self.id}"

    @property
    def removal_stamp(self) -> str:
        """As written on an item just before its deleter deletes it."""
        return self.stamp + REMOVING

    @classmethod
    def of_stamp(cls, stamp: object) -> Actor | None:
        kind, _, id_ = str(stamp or "").removesuffix(REMOVING).partition(":")
        return cls(kind, id_) if kind in ("person", "system") and id_ else None  # type: ignore[arg-type]


def is_removal_stamp(stamp: object) -> bool:
    return str(stamp or "").endswith(REMOVING)


UNKNOWN = Actor.system("unknown")  # a write made outside any handler (a script, a test's setup)
_acting: ContextVar[Actor | None] = ContextVar("acting", default=None)


def current_actor() -> Actor:
    return _acting.get() or UNKNOWN


@contextmanager
def acting_as(actor: Actor | str) -> Iterator[Actor]:
    """Within the block (or the decorated function), writes are `actor`'s; a string names a system
    part (`@acting_as("classify")` on a handler). Nested: the inner one wins, the outer comes back."""
    who = Actor.system(actor) if isinstance(actor, str) else actor
    token = _acting.set(who)
    try:
        yield who
    finally:
        _acting.reset(token)
