"""`/projects`: what conversations are grouped under."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inbox.http.schemas.shared import one_line
from inbox.models.project import Project


def _web_link(value: str | None) -> str | None:
    # Shown as a link in the web app and never fetched by us: only a web address, so that no
    # `javascript:` or `data:` link reaches a person's click.
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in " \r\n\t<>\"'"):
        raise ValueError("must be an http or https address")
    return value.strip()


class ProjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    external_ref: str | None = Field(None, min_length=1, max_length=200, description="Its number in another system.")
    url: str | None = Field(None, max_length=2000, description="An http(s) link to it in that system.")

    _name = field_validator("name", "external_ref")(one_line)
    _url = field_validator("url")(_web_link)


class ProjectPatch(BaseModel):
    """Only the fields given change; `null` clears the reference or the URL."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    external_ref: str | None = Field(None, min_length=1, max_length=200)
    url: str | None = Field(None, max_length=2000)
    archived: bool | None = None

    _labels = field_validator("external_ref")(one_line)
    _url = field_validator("url")(_web_link)

    @field_validator("name", "archived")
    @classmethod
    def _not_cleared(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return one_line(value) if isinstance(value, str) else value


class ProjectOut(BaseModel):
    id: str
    name: str
    external_ref: str | None
    url: str | None
    archived: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, project: Project) -> ProjectOut:
        return cls.model_validate(project.model_dump(exclude={"tenant_id"}))


class ProjectPage(BaseModel):
    items: list[ProjectOut] = Field(description="Newest first.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null at the end.")
