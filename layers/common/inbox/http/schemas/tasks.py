"""`/conversations/{id}/tasks` and `/tasks` (issue 13, item 5)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from inbox.http.schemas.shared import one_line
from inbox.models.task import Task

MAX_TITLE = 300


class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    due_at: AwareDatetime = Field(description="When it is due: in the future, with its time zone.")
    assignee_id: str | None = Field(
        None, max_length=64, description="A person of the tenant, told when it is due; you if left out."
    )

    _title = field_validator("title")(one_line)


class TaskPatch(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    done: bool | None = Field(None, description="true completes the task, false reopens it.")
    title: str | None = Field(None, min_length=1, max_length=MAX_TITLE)
    due_at: AwareDatetime | None = Field(None, description="A new due date, in the future: its reminder moves.")
    assignee_id: str | None = Field(None, min_length=1, max_length=64, description="Someone else of the tenant.")

    _title = field_validator("title")(one_line)

    @field_validator("done", "title", "due_at", "assignee_id", mode="before")
    @classmethod
    def _not_cleared(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value


class TaskOut(BaseModel):
    id: str
    conversation_id: str
    title: str
    due_at: datetime
    assignee_id: str
    done: bool
    done_at: datetime | None
    done_by: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, task: Task) -> TaskOut:
        return cls.model_validate(task.model_dump(exclude={"tenant_id", "version", "reminded_for"}))


class TaskList(BaseModel):
    items: list[TaskOut] = Field(description="Open tasks first, each group soonest due first.")


class TaskPage(BaseModel):
    items: list[TaskOut] = Field(description="Soonest due first.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null at the end.")
