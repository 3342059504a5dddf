"""The table's stream read back into `ItemWrite`s: conversations (CONV) and messages (MSG#...) as their
models, every other item of a tenant that has a `type` (tasks, follow-ups, folders, settings...) as its
fields, under that type. Each reader of the changes (domain events, search, statistics, audit) keeps
the kinds it needs; the event source's FilterCriteria keeps the rest from waking the function on AWS."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inbox.actor import STAMP_FIELD
from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationItem, MessageItem
from inbox.adapters.dynamodb.table import fields_of, unmarshal
from inbox.domain.events import ItemWrite


def item_writes(records: list[dict[str, Any]]) -> list[ItemWrite]:
    writes: list[ItemWrite] = []
    for record in records:
        stream = record.get("dynamodb") or {}
        keys_ = unmarshal(stream.get("Keys") or {})
        pk, sk = str(keys_.get("PK", "")), str(keys_.get("SK", ""))
        if not pk.startswith(keys.tenant("")):
            continue
        old, new = (unmarshal(stream[i]) if stream.get(i) else None for i in ("OldImage", "NewImage"))
        either = new or old or {}
        # the tenant's own settings (`T#t`, SETTINGS#...) hold no tenant_id: their key names it
        tenant_id = str(either.get("tenant_id") or (pk.removeprefix(keys.tenant("")) if pk.count("#") == 1 else ""))
        if not tenant_id:
            continue
        record_id, at = str(record.get("eventID") or ""), _moment(stream.get("ApproximateCreationDateTime"))
        if sk == keys.CONVERSATION:
            kind, read = "conversation", ConversationItem.read
        elif sk.startswith(keys.MESSAGE_PREFIX):
            kind, read = "message", MessageItem.read
        elif either.get("type"):
            kind, read = str(either["type"]), fields_of
        else:
            continue
        writes.append(
            ItemWrite(
                record_id=record_id,
                at=at,
                tenant_id=tenant_id,
                kind=kind,
                before=read(old) if old else None,
                after=read(new) if new else None,
                # who wrote it; on a removal, who stamped it last: the store stamps an audited item
                # with its deleter just before deleting it (table._stamp_before_delete)
                changed_by=str((new or old or {}).get(STAMP_FIELD) or "") or None,
            )
        )
    return writes


def _moment(value: Any) -> datetime:
    """Lambda hands the record's time over as epoch seconds (a float, or a datetime from boto3)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (TypeError, ValueError):
        return datetime.now(UTC)
