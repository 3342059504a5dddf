"""`/users`: the tenant's people."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inbox.models import Role
from inbox.models.person import Person


class UserOut(BaseModel):
    id: str = Field(description="The user's id (Cognito `sub`): what a conversation's `assignee_id` holds.")
    name: str | None = Field(None, description="The pool's `name` attribute; null when not set.")
    email: str | None = None
    role: Role | None = Field(None, description="`admin` or `agent`; null when in neither group.")
    enabled: bool

    @classmethod
    def of(cls, person: Person) -> UserOut:
        return cls.model_validate(person.model_dump(include=set(cls.model_fields)))


class UserList(BaseModel):
    items: list[UserOut] = Field(description="Every person of the tenant, by name.")


class InviteIn(BaseModel):
    """A person to invite: the pool emails them a temporary password, changed at their first sign-in."""

    model_config = ConfigDict(extra="forbid")

    # What a person types as an address, not all RFC 5322: one @, no spaces, a top-level domain of 2 or more;
    # what the pool still refuses is a 422 on `email` too (inbox.adapters.user_pool).
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    role: Role


class UserChangeIn(BaseModel):
    """What changes; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    enabled: bool | None = Field(None, description="false: the person can no longer sign in (AdminDisableUser).")

    @model_validator(mode="after")
    def _something(self) -> UserChangeIn:
        if self.role is None and self.enabled is None:
            raise ValueError("give role or enabled")
        return self
