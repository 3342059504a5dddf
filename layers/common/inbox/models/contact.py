"""Contacts: the people and services a tenant's conversations are with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, model_validator


class Contact(BaseModel):
    id: str
    tenant_id: str
    name: str | None = None
    emails: list[str] = Field(default_factory=list, description="Lower-cased; each one an identity it claims.")
    phones: list[str] = Field(default_factory=list, description="E.164; each one an identity it claims.")
    company: str | None = None
    notes: str | None = None
    merged_into: str | None = Field(
        None, description="Set while this contact is being merged into another: readers follow it."
    )
    merged_ids: list[str] = Field(default_factory=list, description="The contacts merged into this one.")
    created_at: datetime
    updated_at: datetime | None = None
    version: int = Field(0, description="Optimistic lock: every write checks and bumps it.")

    @model_validator(mode="before")
    @classmethod
    def _single_identities(cls, data: Any) -> Any:
        """A contact stored (or created by ingest) with one `email` and one `phone` reads as the lists."""
        if isinstance(data, dict) and ("email" in data or "phone" in data):
            data = dict(data)
            email, phone = data.pop("email", None), data.pop("phone", None)
            if email and not data.get("emails"):
                data["emails"] = [email]
            if phone and not data.get("phones"):
                data["phones"] = [phone]
        return data

    @property
    def email(self) -> str | None:
        return self.emails[0] if self.emails else None

    @property
    def phone(self) -> str | None:
        return self.phones[0] if self.phones else None
