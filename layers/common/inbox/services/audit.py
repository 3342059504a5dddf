"""Reading the audit trail (issue 14, item 3): an admin's filtered pages of every entry of the tenant,
and a conversation's own history for anyone who may read it. Entries are only ever added (by the
stream reader, `services.audit_trail`): nothing here changes or removes one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from inbox.domain.audit import AuditEntry, AuditKind, AuditQuery
from inbox.errors import ForbiddenError, InvalidInputError, NotFoundError
from inbox.models import Conversation, Principal

MAX_PAGE = 100
DEFAULT_RETENTION_DAYS = 365  # the template's AuditRetentionDays default


class Store(Protocol):
    def list_audit(
        self, tenant_id: str, query: AuditQuery, limit: int, cursor: str | None
    ) -> tuple[list[AuditEntry], str | None]: ...
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...


class Audit:
    def __init__(self, store: Store, retention_days: int = DEFAULT_RETENTION_DAYS):
        self._store = store
        self._retention = timedelta(days=retention_days)

    def page(
        self,
        who: Principal,
        *,
        person: str | None = None,
        conversation_id: str | None = None,
        kind: AuditKind | None = None,
        start: str | None = None,
        end: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> tuple[list[AuditEntry], str | None]:
        """The tenant's entries, newest first: admins only."""
        if not who.is_admin:
            raise ForbiddenError("the audit trail needs the admin role")
        query = self._query(start, end, person=person, conversation_id=conversation_id, kind=kind)
        if query is None:
            return [], None
        return self._store.list_audit(who.tenant_id, query, min(limit, MAX_PAGE), cursor)

    def history(
        self, who: Principal, conversation_id: str, limit: int = 50, cursor: str | None = None
    ) -> tuple[list[AuditEntry], str | None]:
        """One conversation's entries, newest first, for anyone of the tenant who may read it."""
        if self._store.get_conversation(who.tenant_id, conversation_id) is None:
            raise NotFoundError(f"conversation {conversation_id}")
        query = self._query(None, None, conversation_id=conversation_id)
        if query is None:
            return [], None
        return self._store.list_audit(who.tenant_id, query, min(limit, MAX_PAGE), cursor)

    def _query(self, start: str | None, end: str | None, **filters) -> AuditQuery | None:
        """The period asked for within what the trail can hold: from the retention period's start
        (older entries are gone, or about to go) to now (none is later). None: nothing can be in it."""
        now = datetime.now(UTC)
        until = moment(end, "to", end_of_day=True) if end else now
        since = moment(start, "from", end_of_day=False) if start else None
        if since is not None and since > until:
            raise InvalidInputError("from", "is after `to`")
        floor = now - self._retention
        until, since = min(until, now), max(since, floor) if since else floor
        if since > until:
            return None  # wholly before the retention period (or after now)
        return AuditQuery(start=since, end=until, **filters)


def moment(value: str, field: str, *, end_of_day: bool) -> datetime:
    """A date (`2026-11-30`, the whole day in UTC: its start for `from`, its end for `to`) or a
    datetime (without an offset: UTC)."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end_of_day else time.min, UTC)
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except ValueError as error:
        raise InvalidInputError(field, "is not a date or a datetime (ISO 8601)") from error
    except OverflowError as error:  # 0001-01-01T00:00:00+05:00 is before the first UTC moment there is
        raise InvalidInputError(field, "is out of range") from error
