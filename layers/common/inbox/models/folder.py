"""Folders a business sorts its conversations into, with the rules and the AI filter that fill them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class AutoReply(BaseModel):
    enabled: bool = False
    mode: Literal["automatic", "validation"] = Field(
        "validation", description="automatic: sent at once; validation: kept as a draft for a person."
    )
    # A whole percentage, not a fraction: the table stores numbers as decimals, and people read percents.
    min_confidence_percent: int = Field(
        70, ge=0, le=100, description="Automatic mode: a reply the AI is less sure of (in %) is kept as a draft."
    )

    @property
    def min_confidence(self) -> float:
        return self.min_confidence_percent / 100


class Folder(BaseModel):
    id: str
    tenant_id: str
    name: str
    position: int = 0
    color: str | None = None
    rules: dict[str, Any] | None = Field(None, description='A rule group: {"all": [...]} or {"any": [...]}.')
    ai_filter: str | None = Field(None, description="What belongs here, in plain words, for the AI filter.")
    ai_examples: list[str] = Field(default_factory=list)
    auto_reply: AutoReply = Field(default_factory=AutoReply)
    created_at: datetime
    updated_at: datetime
    version: int = 0
