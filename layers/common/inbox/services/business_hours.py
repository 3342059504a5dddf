"""The tenant's business hours and time zone (issue 13, item 6): everyone may read them, admins set them."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from inbox.models import Principal
from inbox.models.business_hours import BusinessHours, StoredBusinessHours


class Store(Protocol):
    def get_business_hours(self, tenant_id: str) -> StoredBusinessHours | None: ...
    def save_business_hours(self, tenant_id: str, hours: StoredBusinessHours) -> None: ...


class BusinessHoursSettings:
    CACHE_SECONDS = 60  # a warm function scheduling nudges does not read them for every reply

    def __init__(self, store: Store, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self._store = store
        self._clock = clock
        self._cache: dict[str, tuple[float, BusinessHours]] = {}

    def get(self, who: Principal) -> tuple[StoredBusinessHours, bool]:
        """The tenant's hours, and whether an admin set them (else the defaults, BusinessHours())."""
        stored = self._store.get_business_hours(who.tenant_id)
        return (stored, True) if stored is not None else (StoredBusinessHours(), False)

    def put(self, who: Principal, hours: BusinessHours) -> StoredBusinessHours:
        stored = StoredBusinessHours(**hours.model_dump(), updated_at=self._clock())
        self._store.save_business_hours(who.tenant_id, stored)
        self._cache.pop(who.tenant_id, None)
        return stored

    def of(self, tenant_id: str) -> BusinessHours:
        """What scheduling reads: the tenant's hours (or the defaults), cached for a minute."""
        cached = self._cache.get(tenant_id)
        if cached and time.monotonic() - cached[0] < self.CACHE_SECONDS:
            return cached[1]
        hours = self._store.get_business_hours(tenant_id) or BusinessHours()
        self._cache[tenant_id] = (time.monotonic(), hours)
        return hours
