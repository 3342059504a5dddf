"""How the inbox is doing, from the day counters the store keeps per tenant."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from inbox.domain.stats import Accuracy, classification_accuracy


class Store(Protocol):
    def stats_between(self, tenant_id: str, first_day: str, last_day: str) -> dict[str, dict[str, int]]: ...


class Statistics:
    def __init__(self, store: Store):
        self._store = store

    def classification_accuracy(self, tenant_id: str, days: int, today: date) -> list[Accuracy]:
        """Per day, decider and folder, how often people kept what was decided: the `days` up to `today`."""
        first_day = today - timedelta(days=days - 1)
        return classification_accuracy(self._store.stats_between(tenant_id, first_day.isoformat(), today.isoformat()))
