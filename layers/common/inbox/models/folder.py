"""Folders a business sorts its conversations into, with the rules and the AI filter that fill them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from inbox.models.whatsapp_template import TemplateChoice


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


class Nudge(BaseModel):
    """The folder's automatic follow-up (issue 13, item 6): when the customer has not answered our last
    reply within `after_hours` (then moved into business hours), send `text` (or draft it for a
    person), at most `max_nudges` times; the customer still silent after the last one, resolve."""

    enabled: bool = False
    after_hours: int = Field(48, ge=1, le=720, description="N: hours of silence after our last reply.")
    max_nudges: int = Field(2, ge=1, le=10, description="K: nudges sent at most, then the conversation is resolved.")
    mode: Literal["automatic", "validation"] = Field(
        "automatic", description="automatic: sent at once; validation: kept as a draft for a person."
    )
    # Checked when left out too: turned on with no words would be stored, then unreadable.
    text: str = Field("", max_length=2000, validate_default=True, description="The nudge's words, as sent.")
    template: TemplateChoice | None = Field(
        None,
        exclude_if=lambda template: template is None,  # a nudge without one reads and stores as before
        description="WhatsApp, automatic mode: the approved template sent instead of `text` once the customer's "
        "24-hour window is closed (without one, a person is told a template is needed).",
    )

    @field_validator("text")
    @classmethod
    def _has_words(cls, text: str, info: ValidationInfo) -> str:
        if info.data.get("enabled") and not text.strip():
            raise ValueError("is empty: write the nudge's words to turn it on")
        return text


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
    nudge: Nudge = Field(default_factory=Nudge)
    created_at: datetime
    updated_at: datetime
    version: int = 0
