"""How early a one-time schedule's fire may come and still count as on time: one margin, in the clock's
module, for every service that is fired (snoozes, follow-ups, nudges), not a copy each."""

from __future__ import annotations

from datetime import timedelta

from inbox import clock
from inbox.services import follow_ups, nudges, snoozes


def test_one_margin_for_every_fired_service():
    assert timedelta(minutes=1) == clock.EARLY_FIRE
    for service in (snoozes, follow_ups, nudges):
        assert service.EARLY_FIRE is clock.EARLY_FIRE
        assert not hasattr(service, "EARLY"), service.__name__
