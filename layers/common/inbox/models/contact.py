"""Contacts: the people and services a tenant's conversations are with."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Contact(BaseModel):
    id: str
    tenant_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    created_at: datetime
