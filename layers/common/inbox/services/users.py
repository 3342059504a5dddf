"""The people of a tenant: who can be listed, and who a conversation can be assigned to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from inbox.errors import ConflictError, InvalidInputError, NotFoundError
from inbox.models import Principal, Role
from inbox.models.person import Person


class Pool(Protocol):
    def members(self, tenant_id: str) -> list[Person]: ...
    def person(self, user_id: str) -> Person | None: ...
    def invite(self, tenant_id: str, email: str, name: str, role: Role) -> Person: ...
    def set_role(self, user_id: str, role: Role) -> None: ...
    def set_enabled(self, user_id: str, enabled: bool) -> None: ...


# (before, after, invited_again): the audit trail (issue 14); never raises (the change has happened)
PersonChanged = Callable[[Person | None, Person, bool], None]


class People:
    def __init__(self, pool: Pool, on_change: PersonChanged | None = None):
        self._pool = pool
        self._on_change = on_change

    def list(self, who: Principal) -> list[Person]:
        """The caller's tenant's people, by name (or email when nameless)."""
        return sorted(self._pool.members(who.tenant_id), key=lambda p: ((p.name or p.email or p.id).casefold(), p.id))

    def person(self, who: Principal, user_id: str) -> Person | None:
        """One person of the caller's tenant (a saved reply's `{{agent.name}}`); another tenant's is None."""
        person = self._pool.person(user_id)
        return person if person is not None and person.tenant_id == who.tenant_id else None

    def invite(self, who: Principal, email: str, name: str, role: Role) -> Person:
        """A new person of the caller's tenant (admins only, checked by the router), who receives the pool's
        invitation. ConflictError when the email is the pool's already."""
        waiting = None
        if self._on_change is not None:  # invited before: the audit says so, with the role it had
            waiting = next(
                (p for p in self._pool.members(who.tenant_id) if (p.email or "").casefold() == email.casefold()), None
            )
        person = self._pool.invite(who.tenant_id, email, name, role)
        self._changed(waiting, person, invited_again=waiting is not None)
        return person

    def change(self, who: Principal, user_id: str, role: Role | None = None, enabled: bool | None = None) -> Person:
        """A person's role and state. Another tenant's person is NotFoundError; a change that would leave the
        tenant without an enabled admin is ConflictError (nobody could then manage its people)."""
        members = self._pool.members(who.tenant_id)
        person = next((p for p in members if p.id == user_id), None)
        if person is None:
            raise NotFoundError("no such person in this tenant")
        loses_admin = person.role is Role.ADMIN and person.enabled and (role is Role.AGENT or enabled is False)
        if loses_admin and not any(p.role is Role.ADMIN and p.enabled and p.id != user_id for p in members):
            subject = "you are" if user_id == who.user_id else "this person is"
            raise ConflictError(f"{subject} the tenant's last enabled admin: make someone else admin first")
        if role is not None and role is not person.role:
            self._pool.set_role(user_id, role)
        if enabled is not None and enabled != person.enabled:
            self._pool.set_enabled(user_id, enabled)
        changed = person.model_copy(
            update={"role": role or person.role, "enabled": person.enabled if enabled is None else enabled}
        )
        if changed != person:
            self._changed(person, changed)
        return changed

    def _changed(self, before: Person | None, after: Person, invited_again: bool = False) -> None:
        if self._on_change is not None:
            self._on_change(before, after, invited_again)

    def check_assignee(self, who: Principal, assignee_id: str | None) -> None:
        """An assignee is an enabled person of the caller's tenant, with a role. Clearing it, or taking the
        conversation oneself (the token says who and where the caller is), asks the pool nothing."""
        if assignee_id is None or assignee_id == who.user_id:
            return
        person = self._pool.person(assignee_id)
        # Unknown, or another tenant's: the same answer, so the check tells nothing about other tenants.
        if person is None or person.tenant_id != who.tenant_id:
            raise InvalidInputError("assignee_id", "is not a person of this tenant")
        if not person.enabled:
            raise InvalidInputError("assignee_id", "is a disabled person")
        if person.role is None:  # in no role group: they could not sign in to see it
            raise InvalidInputError("assignee_id", "is a person with no role")
