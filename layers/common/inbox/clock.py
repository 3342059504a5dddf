"""The one clock every scheduled fire reads its `now` from (`wiring.clock()`).

In a function it is the system's time. A test sets or advances it instead of sleeping: a task due
in an hour fires once the clock is moved an hour on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# A one-time schedule's fire this much before its time still counts as on time (the scheduler's
# clock and ours differ a little); earlier, it is a stale fire of a schedule that was moved.
EARLY_FIRE = timedelta(minutes=1)


class Clock:
    def __init__(self, fixed: datetime | None = None):
        self._fixed = fixed

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now()

    def set(self, at: datetime) -> None:
        """From now on the time is `at` (timezone-aware), until set or advanced again."""
        if at.tzinfo is None:
            raise ValueError("the clock's time must be timezone-aware")
        self._fixed = at

    def advance(self, by: timedelta) -> datetime:
        """Move the time on by `by` (from the system's time if it was not set); the new time."""
        self._fixed = self.now() + by
        return self._fixed
