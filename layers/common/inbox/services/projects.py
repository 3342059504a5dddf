"""Projects: created and renamed by anyone on the team, linked to conversations (one each) through
the conversation's own change (services/conversations.py checks the project exists there)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.domain.ids import new_id
from inbox.errors import NotFoundError
from inbox.models import Principal
from inbox.models.project import Project


class Store(Protocol):
    def get_project(self, tenant_id: str, project_id: str) -> Project | None: ...
    def create_project(self, project: Project) -> None: ...
    def replace_project(self, project: Project) -> None: ...
    def list_projects(self, tenant_id: str, limit: int, cursor: str | None) -> tuple[list[Project], str | None]: ...


class Projects:
    def __init__(self, store: Store):
        self._store = store

    def list(self, who: Principal, limit: int, cursor: str | None) -> tuple[list[Project], str | None]:
        return self._store.list_projects(who.tenant_id, limit, cursor)

    def get(self, who: Principal, project_id: str) -> Project:
        project = self._store.get_project(who.tenant_id, project_id)
        if project is None:
            raise NotFoundError(f"project {project_id}")
        return project

    def create(self, who: Principal, fields: dict[str, Any]) -> Project:
        now = datetime.now(UTC)
        project = Project(id=new_id(), tenant_id=who.tenant_id, created_at=now, updated_at=now, **fields)
        self._store.create_project(project)
        return project

    def change(self, who: Principal, project_id: str, changes: dict[str, Any]) -> Project:
        """Only the fields given change (a null clears the reference or the URL); last write wins,
        as a project holds a few labels and no counters."""
        before = self.get(who, project_id)
        after = before.model_copy(update=changes | {"updated_at": datetime.now(UTC)})
        if after.model_dump(exclude={"updated_at"}) == before.model_dump(exclude={"updated_at"}):
            return before
        self._store.replace_project(after)
        return after
