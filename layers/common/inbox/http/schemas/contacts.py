"""`/contacts`: the customers, found by name, email or phone, their history, edits and merges."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inbox.domain.contacts import MAX_IDENTITIES, MAX_NOTES
from inbox.http.schemas.conversations import ConversationOut
from inbox.models import Contact


class ContactOut(BaseModel):
    id: str
    name: str | None
    emails: list[str] = Field(description="Lower-cased; each one finds this contact (and its new messages).")
    phones: list[str] = Field(description="E.164; each one finds this contact (and its new messages).")
    company: str | None
    notes: str | None
    merged_ids: list[str] = Field(description="The contacts merged into this one.")
    created_at: datetime
    updated_at: datetime | None

    @classmethod
    def of(cls, contact: Contact) -> ContactOut:
        return cls.model_validate(contact.model_dump(include=set(cls.model_fields)))


class ContactPage(BaseModel):
    items: list[ContactOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null at the end.")


class ContactDetail(BaseModel):
    contact: ContactOut
    conversations: list[ConversationOut] = Field(description="Its conversations on every channel, newest first.")
    next_cursor: str | None = Field(None, description="Pass as `cursor` for more conversations; null at the end.")


Email = Annotated[str, Field(max_length=254)]
Phone = Annotated[str, Field(max_length=32)]


class ContactPatch(BaseModel):
    """Only the fields given change; `null` or "" clears a text. `emails` and `phones` are the whole
    lists: each one normalised, and each one new must be no other contact's (else 409: merge them)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, max_length=200)
    emails: list[Email] | None = Field(None, max_length=MAX_IDENTITIES)
    phones: list[Phone] | None = Field(None, max_length=MAX_IDENTITIES)
    company: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=MAX_NOTES)

    @model_validator(mode="after")
    def _something(self) -> ContactPatch:
        if not self.model_fields_set:
            raise ValueError("give at least one of name, emails, phones, company, notes")
        return self


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other_id: str = Field(
        min_length=1,
        max_length=64,
        description="The contact merged into this one; it stays as a tombstone that reads as this one.",
    )
    preview: bool = Field(False, description="true: answer what this contact would become, writing nothing.")


class MergeOut(BaseModel):
    contact: ContactOut = Field(description="The surviving contact (with `preview`, as it would be).")
    preview: bool
    moved_conversations: int = Field(description="Conversations this request moved to the surviving contact.")
    complete: bool = Field(
        description="false: conversations remain to move (a contact with very many): send the same request again."
    )
