"""`/me`: who is signed in."""

from __future__ import annotations

from pydantic import BaseModel

from inbox.models import Principal, Role


class MeOut(BaseModel):
    user_id: str
    tenant_id: str
    role: Role
    email: str | None = None
    username: str | None = None

    @classmethod
    def of(cls, who: Principal) -> MeOut:
        return cls.model_validate(who.model_dump())
