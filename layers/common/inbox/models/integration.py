"""Integrations (a tenant's connected channels) and contacts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Integration(BaseModel):
    id: str
    tenant_id: str
    kind: str
    name: str
    settings: dict[str, Any] = Field(default_factory=dict, description="Everything that is not secret.")
    secrets: dict[str, str] = Field(
        default_factory=dict, description="Field name -> envelope ciphertext; never leaves the service."
    )
    created_at: datetime
    updated_at: datetime


class Contact(BaseModel):
    id: str
    tenant_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    created_at: datetime
