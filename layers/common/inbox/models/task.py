"""Tasks (issue 13, item 5): something to do about a conversation, by someone, by a date."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Task(BaseModel):
    id: str
    tenant_id: str
    conversation_id: str
    title: str
    due_at: datetime
    assignee_id: str = Field(description="Who is to do it (and is told when it is due); its creator unless named.")
    done: bool = False
    done_at: datetime | None = None
    done_by: str | None = None
    created_by: str
    created_at: datetime
    updated_at: datetime
    reminded_for: datetime | None = Field(
        None, description="The due date its assignee was last told of: a reminder fired twice tells them once."
    )
    version: int = 0
