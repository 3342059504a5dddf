"""A saved reply (issue 16, item 4): a title and a text with placeholders (domain/saved_replies.py),
shared by the team or personal to the person who wrote it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class SavedReplyScope(StrEnum):
    TEAM = "team"  # everyone of the tenant sees and uses it; admins write it
    PERSONAL = "personal"  # seen, used and written by its owner alone


class SavedReply(BaseModel):
    id: str
    tenant_id: str
    scope: SavedReplyScope
    owner_id: str = Field(description="Who wrote it; for a personal one, the only person who sees it.")
    title: str
    text: str
    created_at: datetime
    updated_at: datetime
