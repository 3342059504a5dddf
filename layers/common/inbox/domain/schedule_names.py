"""Names of one-time schedules: one name per item a schedule is about, valid for EventBridge Scheduler.

Pure, so services name (and so move or cancel) a schedule without depending on the adapter."""

from __future__ import annotations

import hashlib
import re

MAX_NAME = 64  # EventBridge Scheduler's limit on a schedule's name
_NAME_CHARS = re.compile(r"[0-9A-Za-z_.-]+")


def schedule_name(kind: str, tenant_id: str, item_id: str) -> str:
    """The name of the one schedule about `item_id` of this kind: `kind.tenant.item` when that is a
    valid name, else `kind.` and a hash of the two ids (same ids, same name; never two items one name)."""
    readable = f"{kind}.{tenant_id}.{item_id}"
    if len(readable) <= MAX_NAME and _NAME_CHARS.fullmatch(readable):
        return readable
    digest = hashlib.sha256(f"{tenant_id}\x00{item_id}".encode()).hexdigest()
    prefix = re.sub(r"[^0-9A-Za-z_-]", "_", kind)[:20]
    return f"{prefix}.{digest[: MAX_NAME - len(prefix) - 1]}"
