"""`/saved-replies` (issue 16, item 4): a title and a text with placeholders, the team's or one's own."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inbox.domain.saved_replies import MAX_TEXT, MAX_TITLE, PLACEHOLDERS, Filled
from inbox.http.schemas.shared import one_line
from inbox.models.saved_reply import SavedReply, SavedReplyScope

_TEXT = (
    f"At most {MAX_TEXT} characters. Placeholders, filled from the conversation: "
    + ", ".join(f"`{{{{{name}}}}}`" for name in PLACEHOLDERS)
    + ". One without a value, or unknown, stays as typed."
)


def _not_blank(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("must not be blank")
    return value


class SavedReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=MAX_TITLE, description="What the menu and `/` find it by.")
    text: str = Field(min_length=1, max_length=MAX_TEXT, description=_TEXT)
    scope: SavedReplyScope = Field(
        SavedReplyScope.PERSONAL,
        description="`team`: everyone uses it, admins write it; `personal`: yours alone, seen by nobody else.",
    )

    _title = field_validator("title")(one_line)
    _text = field_validator("text")(_not_blank)


class SavedReplyPatch(BaseModel):
    """Only the fields given change; the scope stays."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=MAX_TITLE)
    text: str | None = Field(None, min_length=1, max_length=MAX_TEXT)

    @field_validator("title", "text")
    @classmethod
    def _not_cleared(cls, value: str | None, info) -> str | None:
        if value is None:
            raise ValueError("cannot be null")
        return one_line(value) if info.field_name == "title" else _not_blank(value)


class SavedReplyOut(BaseModel):
    id: str
    scope: SavedReplyScope
    owner_id: str = Field(description="Who wrote it.")
    title: str
    text: str = Field(description="As written, placeholders unfilled: fill it for a conversation to send it.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, reply: SavedReply) -> SavedReplyOut:
        return cls.model_validate(reply.model_dump(exclude={"tenant_id"}))


class SavedReplyList(BaseModel):
    items: list[SavedReplyOut] = Field(description="The team's and yours, by title.")
    placeholders: list[str] = Field(description="Every placeholder filled, without braces (`contact.first_name`).")


class FillIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(min_length=1, max_length=64)


class FilledOut(BaseModel):
    text: str = Field(description="The text with the conversation's values; the others left as typed.")
    missing: list[str] = Field(description="Placeholders without a value here (no contact name...), left as typed.")
    unknown: list[str] = Field(description="Placeholders we do not know (a typo?), left as typed.")

    @classmethod
    def of(cls, filled: Filled) -> FilledOut:
        return cls(text=filled.text, missing=filled.missing, unknown=filled.unknown)
