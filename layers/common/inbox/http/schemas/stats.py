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


# `GET /inbox/stats` (issue 14, item 2): the figures of a period, per day, ISO week or month.


class Durations(BaseModel):
    """Times from the counters' histogram: the mean is exact, the median and 90th percentile are
    read from log buckets (within a bucket's width, about 19%)."""

    count: int
    mean_seconds: float | None = None
    median_seconds: float | None = None
    p90_seconds: float | None = None


class ResponseTimes(BaseModel):
    all: Durations = Field(description="Every reply, by a person or automatic.")
    person: Durations = Field(description="Replies written by a person.")
    auto: Durations = Field(description="Automatic replies.")


class ChannelVolume(BaseModel):
    in_: int = Field(alias="in", serialization_alias="in")
    out: int

    model_config = {"populate_by_name": True}


class Figures(BaseModel):
    messages_in: int = 0
    messages_out: int = 0
    conversations_created: int = 0
    resolved: int = 0
    reopened: int = 0
    resolution_rate: float | None = Field(
        None,
        description="Resolutions over conversations created in the same period (null: none created). Not "
        "capped: above 1 when the period resolves conversations created before it.",
    )
    resolution_time: Durations
    first_response: ResponseTimes = Field(
        description="From a conversation's first customer message to its first reply."
    )
    reply_time: ResponseTimes = Field(
        description="From each customer message left waiting to the reply that answered it."
    )
    by_channel: dict[str, ChannelVolume] = Field(default_factory=dict)


class PeriodFigures(Figures):
    start: str = Field(description="The period's first day: the day, the ISO week's Monday, the month's first.")


class StatsFilter(BaseModel):
    folder: str | None = None
    channel: str | None = None
    assignee: str | None = None


class Breakdown(BaseModel):
    """Conversations created in the range, by where they are now: a conversation's creation moves with
    its folder and status."""

    channel: dict[str, int] = Field(default_factory=dict)
    folder: dict[str, int] = Field(default_factory=dict, description="By folder id now, `none` for the inbox.")
    status: dict[str, int] = Field(default_factory=dict, description="By their status now.")


class PersonFigures(BaseModel):
    person_id: str
    replies: int = 0
    conversations_handled: int = Field(
        0, description="Resolutions of conversations assigned to this person, on the day they were resolved."
    )
    first_response: Durations
    reply_time: Durations


class AiFigures(BaseModel):
    classified: int = Field(0, description="The AI's classifications (rules' decisions apart: /stats/classification).")
    classification_kept: int = Field(0, description="The AI's classifications no person moved elsewhere.")
    auto_replies_sent: int = 0
    drafts_created: int = 0
    drafts_sent_unchanged: int = 0
    drafts_sent_edited: int = 0
    drafts_discarded: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    completion_tokens: int = 0
    cached_share: float | None = Field(None, description="Cached prompt tokens over prompt tokens.")
    estimated_cost_usd: float = 0.0
    prices_as_of: str | None = Field(None, description="The date of the price table the cost is estimated from.")


class StatsOut(BaseModel):
    model_config = {"populate_by_name": True}

    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    granularity: str = Field(description="day, week or month")
    time_zone: str
    filter: StatsFilter
    business_hours: bool
    periods: list[PeriodFigures]
    totals: Figures = Field(description="Over exactly `from`..`to` (a week's or month's period may reach outside).")
    breakdown: Breakdown = Field(description="Conversations created from `from` to `to`.")
    people: list[PersonFigures] = Field(description="From `from` to `to`, whatever the filter.")
    ai: AiFigures = Field(description="From `from` to `to` (UTC days).")
