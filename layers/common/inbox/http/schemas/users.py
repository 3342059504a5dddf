"""`/users`: the tenant's people."""

from __future__ import annotations

from pydantic import BaseModel, Field

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
