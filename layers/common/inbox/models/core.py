"""Small value types shared by every model."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    CUSTOM = "custom"


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    RESOLVED = "resolved"
    ARCHIVED = "archived"
    SPAM = "spam"
    URGENT = "urgent"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Role(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"


class Party(BaseModel):
    """Who sent or receives a message, as far as the channel tells us."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    email: str | None = None
    phone: str | None = None


class Principal(BaseModel):
    """The signed-in user, from the verified token's claims only."""

    model_config = ConfigDict(frozen=True)

    user_id: str
    tenant_id: str
    role: Role
    email: str | None = None
    username: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
