"""Signed custom webhooks: `X-Inbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`.

The MAC covers "<t>.<raw body>", so a captured body cannot be replayed with a new
timestamp; several v1 values are accepted so a sender can roll its secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from inbox.errors import SignatureError

HEADER = "X-Inbox-Signature"
MISMATCH = "signature does not match"  # also the answer for an integration id nobody has
_TIMESTAMP = re.compile(r"[0-9]{1,12}", re.ASCII)
_MAC = re.compile(r"[0-9a-f]{64}", re.ASCII)


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value a sender puts on `body` at `timestamp`."""
    return f"t={timestamp},v1={_mac(secret, body, timestamp).decode()}"


def verify(secret: str, body: bytes, header: str | None, now: float, tolerance: int = 300) -> None:
    """Raise SignatureError unless `header` signs `body` with `secret` within `tolerance` seconds."""
    if not header:
        raise SignatureError(f"missing {HEADER} header")
    timestamp, candidates = _parse(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureError("signature timestamp outside the accepted window")
    expected = _mac(secret, body, timestamp)
    # Compare against every candidate so the time taken does not depend on which matched.
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureError(MISMATCH)


def _mac(secret: str, body: bytes, timestamp: int) -> bytes:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest().encode()


def _parse(header: str) -> tuple[int, list[bytes]]:
    timestamp: int | None = None
    candidates: list[bytes] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and _TIMESTAMP.fullmatch(value):
            timestamp = int(value)
        elif key == "v1" and _MAC.fullmatch(value.lower()):
            candidates.append(value.lower().encode())
    if timestamp is None or not candidates:
        raise SignatureError(f"malformed {HEADER} header")
    return timestamp, candidates
