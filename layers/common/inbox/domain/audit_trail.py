"""The audit entries of one write of the table (issue 14, item 3), pure: what the stream reader
(`services.audit_trail`) records. Each audited kind of item has its rule below; a write that changes
none of its audited fields (a counter, a lease, a read flag) makes no entry.

Who: the write's `changed_by` (inbox.actor's stamp, put on every item the store writes; on a removal
the old item's, stamped just before the delete and marked so: a removal without that mark, such as a
conversation's purge deleting its tasks, is nobody's action and makes no entry). What: the kind, the
target, and the changed fields before and after, secrets masked by field name and by the sealed-secret
shape (`v1.<b64>.<b64>.<b64>`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from inbox.actor import UNKNOWN, Actor, is_removal_stamp
from inbox.domain.audit import MASK, AuditChange, AuditEntry, AuditKind, TargetType
from inbox.domain.events import ItemWrite

# Never recorded: bookkeeping every write moves (times, versions, leases, index keys).
_BOOKKEEPING = frozenset(
    ("id", "tenant_id", "created_at", "updated_at", "updated_by", "version", "lease_owner", "lease_until")
)
_SECRET_WORDS = frozenset(
    ("secret", "secrets", "password", "passwd", "passphrase", "token", "tokens", "credential", "credentials")
)
_SECRET_NAMES = frozenset(("key", "api_key", "apikey", "private_key", "signing_key", "authorization"))
_SEALED = re.compile(r"v\d+\.[A-Za-z0-9+/=]{8,}\.[A-Za-z0-9+/=]{8,}\.[A-Za-z0-9+/=]{8,}")
SUMMARY_LENGTH = 140


def is_secret_name(name: str) -> bool:
    """`password`, `smtp_password`, `client_secret`, `refresh_token`, `api_key`, `secrets.x`..."""
    for part in name.lower().split("."):
        if part in _SECRET_NAMES or part.endswith("_api_key") or _SECRET_WORDS & set(re.split(r"[_\-]", part)):
            return True
    return False


def masked(value: Any, name: str = "") -> Any:
    """`value` with every secret in it read as MASK: under a secret's name, or shaped as a sealed secret."""
    if value is None:
        return None
    if name and is_secret_name(name):
        return MASK
    if isinstance(value, str):
        return MASK if _SEALED.fullmatch(value) else value
    if isinstance(value, Mapping):
        return {k: masked(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def changes_of(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, fields=None) -> list[AuditChange]:
    """The fields that differ (nested objects one level down, as `settings.host`), masked; `fields`
    limits them to those named (top level)."""
    flat_before, flat_after = _flat(before or {}), _flat(after or {})
    changes = []
    for name in sorted(set(flat_before) | set(flat_after)):
        if fields is not None and name.split(".")[0] not in fields:
            continue
        old, new = flat_before.get(name), flat_after.get(name)
        if old != new:
            changes.append(AuditChange(name, masked(old, name), masked(new, name)))
    return changes


def _flat(fields: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _BOOKKEEPING:
            continue
        if isinstance(value, Mapping) and value:  # `secrets.password`: which secret changed, masked
            flat |= {f"{name}.{k}": v for k, v in value.items()}
        else:
            flat[name] = value
    return flat


def _jsonable(model: Any) -> dict[str, Any] | None:
    if model is None:
        return None
    return model.model_dump(mode="json") if hasattr(model, "model_dump") else _plain(dict(model))


def _plain(value: Any) -> Any:
    """An item's fields as JSON takes them: DynamoDB's numbers come as Decimal, its sets as sets."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


def _text(value: Any) -> str | None:
    text = " ".join(str(value or "").split())
    return (text[: SUMMARY_LENGTH - 1] + "…" if len(text) > SUMMARY_LENGTH else text) or None


class _Entries:
    """The entries of one write, numbered in order so that a record read again makes the same ids."""

    def __init__(self, write: ItemWrite):
        self.write = write
        self.actor = Actor.of_stamp(write.changed_by) or UNKNOWN
        self.before, self.after = _jsonable(write.before), _jsonable(write.after)
        self.made: list[AuditEntry] = []
        # a removal its deleter stamped just before (table._stamp_before_delete), not one done in passing
        self.removed_by_actor = write.after is None and is_removal_stamp(write.changed_by)

    def add(
        self,
        kind: AuditKind,
        target_type: TargetType,
        target_id: str,
        changes: list[AuditChange],
        conversation_id: str | None = None,
        summary: str | None = None,
    ) -> None:
        digest = hashlib.sha256(self.write.record_id.encode()).hexdigest()[:24]
        self.made.append(
            AuditEntry(
                id=f"{digest}.{len(self.made)}",
                tenant_id=self.write.tenant_id,
                at=self.write.at,
                actor_type=self.actor.type,
                actor_id=self.actor.id,
                kind=kind,
                target_type=target_type,
                target_id=target_id,
                conversation_id=conversation_id,
                changes=tuple(changes),
                summary=summary,
            )
        )

    @property
    def either(self) -> dict[str, Any]:
        return self.after or self.before or {}


def entries_of(write: ItemWrite) -> list[AuditEntry]:
    """The entries one write of the stream makes (none for kinds and fields that are not audited)."""
    rule = _RULES.get(write.kind)
    if rule is None or (write.before is None and write.after is None):
        return []
    entries = _Entries(write)
    rule(entries)
    return entries.made


# ------------------------------------------------------------------ conversations and what they hold

_CLASSIFIED = ("folder_id", "intent", "urgency", "classified_by")


def _conversation(e: _Entries) -> None:
    if e.before is None or e.after is None:
        return  # a new one is the customer's message; a removal is told by its #DELETING marker
    cid = e.after["id"]

    def field(name: str, kind: AuditKind) -> None:
        changes = changes_of(e.before, e.after, (name,))
        if changes:
            e.add(kind, "conversation", cid, changes, cid)

    # a reply (a person's, an auto-reply, a follow-up's) opens a new conversation in the same write:
    # the reply's entry tells it, not a second one for the status
    answered = (e.after.get("message_count") or 0) > (e.before.get("message_count") or 0)
    if not (answered and e.before.get("status") == "new" and e.after.get("status") == "open"):
        field("status", AuditKind.CONVERSATION_STATUS)
    field("assignee_id", AuditKind.CONVERSATION_ASSIGNED)
    classified = e.before.get("classified_by") != e.after.get("classified_by")
    # the system filing it (a person's move may clear `classified_by` too: that is a move)
    if e.actor.type == "system" and (classified or e.actor.id == "classify"):
        changes = [c for c in changes_of(e.before, e.after, _CLASSIFIED) if c.field != "classified_by.tokens"]
        if changes:
            decider = (e.after.get("classified_by") or {}).get("decider")
            e.add(AuditKind.CONVERSATION_CLASSIFIED, "conversation", cid, changes, cid, decider)
    else:
        field("folder_id", AuditKind.CONVERSATION_MOVED)
    field("project_id", AuditKind.CONVERSATION_PROJECT)
    field("snoozed_until", AuditKind.CONVERSATION_SNOOZED)


def _message(e: _Entries) -> None:
    if e.before is not None or e.after is None or e.after.get("direction") != "outbound":
        return  # only what we send, once: as it is written
    kind = AuditKind.AUTO_REPLY_SENT if e.after.get("auto_reply") else AuditKind.MESSAGE_REPLIED
    # a subject and a Cc are email's: an SMS's "Re:" and empty Cc are noise, as is any empty value
    fields = ("channel", "to", "cc", "subject") if e.after.get("channel") == "email" else ("channel", "to")
    changes = [c for c in changes_of(None, e.after, fields) if c.after not in (None, "", [], {})]
    e.add(kind, "message", e.after["id"], changes, e.after["conversation_id"], _text(e.after.get("text")))


def _note(e: _Entries) -> None:
    if e.before is None and e.after is not None:
        summary = _text(e.after.get("text"))
        e.add(AuditKind.MESSAGE_NOTED, "note", e.after["id"], [], e.after["conversation_id"], summary)


def _deleting(e: _Entries) -> None:
    if e.before is None and e.after is not None:
        cid = e.after["conversation_id"]
        e.add(AuditKind.CONVERSATION_DELETED, "conversation", cid, [], cid)


def _draft(e: _Entries) -> None:
    """An auto-reply held for a person: its draft comes to `pending` (validation mode, or held)."""
    after = e.after or {}
    if after.get("source") != "auto_reply" or after.get("status") != "pending":
        return
    if (e.before or {}).get("status") == "pending":
        return
    changes = changes_of(None, after, ("status", "hold", "reason", "mode", "message_id"))
    # no summary: the draft's `detail` is English for the logs; the `hold` code is translated by the app
    e.add(AuditKind.AUTO_REPLY_HELD, "message", after["id"], changes, after["conversation_id"])


def _follow_up(e: _Entries) -> None:
    if e.after is None:
        return  # a person cancels one (a state, recorded); it is removed only with its conversation
    either = e.either
    fired = (e.before or {}).get("state") != "done" and (e.after or {}).get("state") == "done"
    if (e.after or {}).get("state") == "firing":
        return  # claimed, not yet done: the entry comes with its outcome
    kind = AuditKind.FOLLOW_UP_FIRED if fired else AuditKind.FOLLOW_UP_CHANGED
    changes = changes_of(e.before, e.after, None)
    if changes:
        e.add(kind, "follow_up", either["id"], changes, either.get("conversation_id"))


def _task(e: _Entries) -> None:
    if e.after is None and not e.removed_by_actor:
        return  # removed with its conversation (the purge's batch): the deletion's entry tells it
    changes = changes_of(e.before, e.after, ("title", "due_at", "assignee_id", "done", "conversation_id"))
    if changes or e.after is None:
        e.add(AuditKind.TASK_CHANGED, "task", e.either["id"], changes, e.either.get("conversation_id"))


# ------------------------------------------------------------------ the tenant's configuration


def _configuration(kind: AuditKind, target: TargetType, target_id: Callable[[dict], str], fields=None):
    def rule(e: _Entries) -> None:
        if e.after is None and not e.removed_by_actor:
            return  # not removed by someone (who removed it is unknown): no entry under its last writer
        changes = changes_of(e.before, e.after, fields)
        if changes or e.before is None or e.after is None:  # made or removed: recorded even if empty
            summary = _text(e.either.get("name") or e.either.get("title"))
            e.add(kind, target, target_id(e.either), changes, None, summary)

    return rule


def _integration(e: _Entries) -> None:
    """An integration's changes, but not its OAuth access token's refresh (hourly, by whichever
    request or worker needed the token): its new token, its expiry, a rotated refresh token."""
    refresh = e.before is not None and e.after is not None and e.before.get("updated_at") == e.after.get("updated_at")
    e.before, e.after = (_without_refresh(f, refresh) for f in (e.before, e.after))
    _integration_changes(e)


def _without_refresh(fields: dict[str, Any] | None, refresh: bool) -> dict[str, Any] | None:
    if fields is None:
        return None
    secrets = {k: v for k, v in (fields.get("secrets") or {}).items() if k != "access_token"}
    if refresh:  # not an edit (that moves `updated_at`): a refresh token the provider rotated
        secrets.pop("refresh_token", None)
    settings = dict(fields.get("settings") or {})
    if isinstance(settings.get("oauth"), Mapping):
        settings["oauth"] = {k: v for k, v in settings["oauth"].items() if k != "access_token_expires_at"}
    return fields | {"secrets": secrets, "settings": settings}


_TEXT_MARKS = ("text_key", "size", "characters")  # a new text: a new blob (per version), maybe new lengths


def _knowledge(e: _Entries) -> None:
    """A document's title, kind or file, and its text: the text lives in the blob store and may be
    long, so the entry says that `text` changed, without values (an edit of the same length too)."""
    if e.after is None and not e.removed_by_actor:
        return
    changes = changes_of(e.before, e.after, ("title", "kind", "filename"))
    before, after = e.before or {}, e.after or {}
    if e.after is not None and any(before.get(name) != after.get(name) for name in _TEXT_MARKS):
        changes.append(AuditChange("text"))
    if changes or e.before is None or e.after is None:
        e.add(AuditKind.KNOWLEDGE_CHANGED, "knowledge", e.either["id"], changes, None, _text(e.either.get("title")))


def _sync(e: _Entries) -> None:
    """A mailbox's sync that failed: its state's error, new or changed."""
    before, after = e.before or {}, e.after or {}
    error = after.get("last_error")
    # once per failure: a new error, or the first failure after a success (not each run that fails again)
    first = not before.get("failures") and bool(after.get("failures"))
    if error and (error != before.get("last_error") or first):
        changes = changes_of(e.before, e.after, ("last_error", "failures"))
        e.add(AuditKind.SYNC_FAILED, "integration", e.after["integration_id"], changes, None, _text(error))


_integration_changes = _configuration(AuditKind.INTEGRATION_CHANGED, "integration", lambda f: f["id"])
_RULES: dict[str, Callable[[_Entries], None]] = {
    "conversation": _conversation,
    "message": _message,
    "note": _note,
    "deleting": _deleting,
    "draft": _draft,
    "follow_up": _follow_up,
    "task": _task,
    "sync": _sync,
    "folder": _configuration(AuditKind.FOLDER_CHANGED, "folder", lambda f: f["id"]),
    "integration": _integration,
    "outbound_webhook": _configuration(AuditKind.WEBHOOK_CHANGED, "webhook", lambda f: f["id"]),
    "ai_lookup": _configuration(AuditKind.AI_LOOKUP_CHANGED, "ai_lookup", lambda f: f["id"]),  # secret masked
    # The team's speak for the business, a person's are theirs: both, with the text (what customers read).
    "saved_reply": _configuration(
        AuditKind.SAVED_REPLY_CHANGED, "saved_reply", lambda r: r["id"], ("title", "text", "scope")
    ),
    "knowledge_document": _knowledge,
    "settings": _configuration(AuditKind.SETTINGS_CHANGED, "settings", lambda _: "ai"),
    "business_hours": _configuration(AuditKind.SETTINGS_CHANGED, "settings", lambda _: "business_hours"),
}
AUDITED_TYPES = frozenset(_RULES) - {"conversation", "message"}  # item types beyond those two (the filter)
