"""The audit trail's writer (issue 14, item 3): a reader of the table's stream that turns each
write into its audit entries (domain.audit_trail) and keeps them for the retention period.

Why the stream: every change already goes through the table, stamped with who made it
(`changed_by`), so one reader sees the API's and every worker's changes alike, without a call to
remember in each service, and it cannot slow or fail the action itself. A batch read twice (after a
failure) makes the same entries under the same keys: they are put over themselves."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from inbox.actor import current_actor
from inbox.domain.audit import AuditChange, AuditEntry, AuditKind
from inbox.domain.audit_trail import changes_of, entries_of
from inbox.domain.events import ItemWrite
from inbox.models.person import Person
from inbox.observability import logger


class Store(Protocol):
    def put_audit_entries(self, entries: list[AuditEntry], keep_for: timedelta) -> None: ...


class AuditTrail:
    def __init__(self, store: Store, retention_days: int):
        self._store = store
        self._keep_for = timedelta(days=retention_days)

    def take(self, writes: Iterable[ItemWrite]) -> int:
        """Records the entries of these writes; how many."""
        entries = [entry for write in writes for entry in entries_of(write)]
        self.record(entries)
        return len(entries)

    def record(self, entries: list[AuditEntry]) -> None:
        """Keeps entries made elsewhere too (the people, who live in the user pool, not the table)."""
        if entries:
            self._store.put_audit_entries(entries, self._keep_for)
            logger.debug("audit entries recorded", count=len(entries))


def person_entry(
    entry_id: str, at: datetime, before: Person | None, after: Person, invited_again: bool = False
) -> AuditEntry:
    """A person invited (again: `invited_again`, from what they were), or their role or state changed:
    the people live in the user pool, whose changes no table stream tells, so the people's service
    records them itself."""
    actor = current_actor()
    fields = ("email", "name", "role", "enabled")
    old = before.model_dump(mode="json", include=set(fields)) if before else None
    again = (AuditChange("invited_again", None, True),) if invited_again else ()
    return AuditEntry(
        id=entry_id,
        tenant_id=after.tenant_id,
        at=at,
        actor_type=actor.type,
        actor_id=actor.id,
        kind=AuditKind.USER_CHANGED,
        target_type="user",
        target_id=after.id,
        changes=again + tuple(changes_of(old, after.model_dump(mode="json", include=set(fields)), fields)),
        summary=after.email,
    )
