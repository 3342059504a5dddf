"""Notifications: something a person of the team should look at, kept for them alone (issue 13).

A notification holds ids and a person's own words (a task's title, a follow-up's note), never a
sentence: the web app writes each kind's sentence in the reader's language."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class NotificationKind(StrEnum):
    ASSIGNED = "assigned"  # someone else assigned a conversation to you
    TASK_DUE = "task_due"  # a task assigned to you is due
    FOLLOW_UP_DUE = "follow_up_due"  # a "remind me" follow-up fired
    TEMPLATE_NEEDED = "template_needed"  # a nudge/follow-up could not go out on WhatsApp: the 24 h window is closed
    NUDGE_UNFILLED = (
        "nudge_unfilled"  # a folder's nudge was not sent: placeholders without a value (`text`: the folder)
    )


class Notification(BaseModel):
    id: str = Field(description="Sorts by creation time: newest first is the ids in reverse.")
    tenant_id: str
    user_id: str = Field(description="The person notified (the user pool's `sub`).")
    kind: NotificationKind
    conversation_id: str | None = None
    task_id: str | None = None
    actor_id: str | None = Field(None, description="Who caused it (who assigned the conversation, say).")
    text: str | None = Field(
        None,
        description="What it is about, as written by a person (a task's title, a follow-up's note, the name of"
        " the folder whose nudge was not sent).",
    )
    placeholders: list[str] | None = Field(
        None, description="`nudge_unfilled`: the placeholders that had no value for this customer (`contact.company`)."
    )
    created_at: datetime
    read_at: datetime | None = None
