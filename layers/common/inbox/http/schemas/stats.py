"""`/stats`: how often people kept what rules and the AI decided."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AccuracyOut(BaseModel):
    day: str
    decider: str = Field(description="rule or ai")
    folder_id: str = Field(description="The folder chosen; `none` when the decider left the inbox.")
    decided: int
    corrected: int = Field(description="Moved out of that folder by a person.")
    kept: float | None = Field(description="Share of decisions kept (null without decisions that day).")


class ClassificationStats(BaseModel):
    days: int
    rows: list[AccuracyOut]
