"""The people of a tenant: who can be listed, and who a conversation can be assigned to."""

from __future__ import annotations

from typing import Protocol

from inbox.errors import InvalidInputError
from inbox.models import Principal
from inbox.models.person import Person


class Pool(Protocol):
    def members(self, tenant_id: str) -> list[Person]: ...
    def person(self, user_id: str) -> Person | None: ...


class People:
    def __init__(self, pool: Pool):
        self._pool = pool

    def list(self, who: Principal) -> list[Person]:
        """The caller's tenant's people, by name (or email when nameless)."""
        return sorted(self._pool.members(who.tenant_id), key=lambda p: ((p.name or p.email or p.id).casefold(), p.id))

    def check_assignee(self, who: Principal, assignee_id: str | None) -> None:
        """An assignee is an enabled person of the caller's tenant. Clearing it, or taking the
        conversation oneself (the token says who and where the caller is), asks the pool nothing."""
        if assignee_id is None or assignee_id == who.user_id:
            return
        person = self._pool.person(assignee_id)
        # Unknown, or another tenant's: the same answer, so the check tells nothing about other tenants.
        if person is None or person.tenant_id != who.tenant_id:
            raise InvalidInputError("assignee_id", "is not a person of this tenant")
        if not person.enabled:
            raise InvalidInputError("assignee_id", "is a disabled person")
