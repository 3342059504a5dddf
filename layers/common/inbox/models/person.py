"""A person of a tenant: a user of the user pool, as the team and the assignee check see them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from inbox.models.core import Role


class Person(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str  # the Cognito `sub`: what a conversation's assignee_id holds
    tenant_id: str
    name: str | None = None
    email: str | None = None
    role: Role | None = None  # None: in no inbox group (such a user cannot sign in to the API)
    enabled: bool = True
