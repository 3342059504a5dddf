"""Identifiers that sort by creation time, so newest-first needs no extra attribute."""

from __future__ import annotations

import secrets
import time


def new_id(now: float | None = None) -> str:
    """26 lower-case hex-ish chars: 12 of milliseconds, 14 of randomness."""
    millis = int((time.time() if now is None else now) * 1000)
    return f"{millis:012x}{secrets.token_hex(7)}"
