"""`/notifications`: the caller's own notifications and their unread count."""

from __future__ import annotations

from pydantic import BaseModel, Field

from inbox.models.notification import Notification


class NotificationOut(Notification):
    """A notification as its person reads it; the app writes its sentence from `kind` and the ids."""

    @classmethod
    def of(cls, notification: Notification) -> NotificationOut:
        return cls.model_validate(notification.model_dump())


class NotificationPageOut(BaseModel):
    items: list[NotificationOut] = Field(description="The caller's own, newest first.")
    unread: int = Field(description="How many of the caller's notifications are unread (all pages).")
    next_cursor: str | None = None


class MarkedRead(BaseModel):
    marked: int = Field(description="How many were unread and are read now.")
    more: bool = Field(
        default=False, description="Unread notifications remain (at most 100 are marked per call): call again."
    )
