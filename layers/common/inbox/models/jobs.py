"""Queue jobs: what a message on each queue says, typed, so a consumer never reads a bare dict."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class PurgeConversationJob(BaseModel):
    """PurgeQueue: remove what a deleted conversation held (its items, pointers and files)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    job: Literal["purge_conversation"] = "purge_conversation"
    tenant_id: str
    conversation_id: str
