"""How many automatic replies one recipient may get: the caps that stop two responders feeding each other."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from inbox.domain.autoreply.reasons import Refusal, RefusalReason

DAY = timedelta(days=1)


class AutoReplyLimits(BaseModel):
    """A tenant's caps on automatic replies to one recipient, across all its conversations.
    Never unlimited: a cap of at least one is what ends a loop with another responder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_per_window: int = Field(3, ge=1, le=50, description="At most this many auto-replies in the window.")
    window_minutes: int = Field(10, ge=1, le=1440, description="The short window, in minutes.")
    max_per_day: int = Field(10, ge=1, le=500, description="At most this many auto-replies in 24 hours.")

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)


def cap_refusal(sent: Iterable[datetime], limits: AutoReplyLimits, now: datetime) -> Refusal | None:
    """No when one more auto-reply would pass a cap. `sent` holds when auto-replies went to this
    recipient (any conversation); one sent exactly a window ago is out of it, one dated after `now`
    (another clock) is in it."""
    ages = [now - moment for moment in sent]
    in_window = sum(1 for age in ages if age < limits.window)
    if in_window >= limits.max_per_window:
        return Refusal(
            RefusalReason.RATE_LIMITED_RECIPIENT,
            f"{in_window} auto-replies to this recipient in the last {limits.window_minutes} minutes "
            f"(at most {limits.max_per_window})",
        )
    in_day = sum(1 for age in ages if age < DAY)
    if in_day >= limits.max_per_day:
        return Refusal(
            RefusalReason.RATE_LIMITED_RECIPIENT,
            f"{in_day} auto-replies to this recipient in the last 24 hours (at most {limits.max_per_day})",
        )
    return None
