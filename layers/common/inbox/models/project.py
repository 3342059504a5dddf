"""Projects: what a business groups conversations under (an order, a job, a client file), often
named as in another system of theirs."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Project(BaseModel):
    id: str
    tenant_id: str
    name: str
    external_ref: str | None = Field(None, description="Its reference in another system (an order or job number).")
    url: str | None = Field(None, description="Where it lives in that system.")
    archived: bool = Field(False, description="Done with: no longer offered when linking a conversation.")
    created_at: datetime
    updated_at: datetime
