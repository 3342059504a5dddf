"""A tenant's folders: ordered, each with rules, an AI filter and auto-reply settings.

A change to what fills a folder (its rules or AI filter) or a deleted folder sends a job to the
classify queue: the open conversations no person filed by hand are sorted again in the background,
never inside the request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.domain.conversations import AUTOMATED_FOLDER, INBOX_FOLDER, UNASSIGNED
from inbox.domain.ids import new_id
from inbox.domain.rules import Group, MessageFacts
from inbox.errors import InvalidInputError, NotFoundError
from inbox.models import Conversation, ConversationFilter, Folder, Principal
from inbox.models.jobs import ClassifyJob, ReclassifyJob, RefileJob

SYSTEM_FOLDERS = (INBOX_FOLDER, AUTOMATED_FOLDER)
MAX_FOLDERS = 100
PREVIEW_CONVERSATIONS = 200  # the latest by activity: one page of the list's Query
# What a conversation's list item does not hold of its messages: a rule's preview reads them as empty.
NOT_PREVIEWED = ("to", "header:")


class Store(Protocol):
    def list_folders(self, tenant_id: str) -> list[Folder]: ...
    def get_folder(self, tenant_id: str, folder_id: str) -> Folder | None: ...
    def save_folder(self, folder: Folder, before: Folder | None) -> None: ...
    def delete_folder(self, tenant_id: str, folder_id: str) -> None: ...
    def folder_counters(self, tenant_id: str) -> dict[str, dict[str, int]]: ...
    def assignee_counters(self, tenant_id: str, assignees: list[str]) -> dict[str, dict[str, int]]: ...
    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None
    ) -> tuple[list[Conversation], str | None]: ...


class Queue(Protocol):
    def send(self, jobs: Sequence[ClassifyJob]) -> None: ...


class Folders:
    def __init__(self, store: Store, classify_queue: Callable[[], Queue]):
        self._store = store
        self._queue = classify_queue

    def list(self, who: Principal) -> tuple[list[Folder], dict[str, dict[str, int]]]:
        """The folders in order, and every folder's counters (the system ones, inbox and automated, too)."""
        counters = self._store.folder_counters(who.tenant_id)
        return self._store.list_folders(who.tenant_id), counters

    def assignee_counters(self, who: Principal) -> tuple[dict[str, int], dict[str, int]]:
        """The counters of the views Mine (the caller's) and Unassigned, kept like the folders'."""
        counters = self._store.assignee_counters(who.tenant_id, [who.user_id, UNASSIGNED])
        return counters[who.user_id], counters[UNASSIGNED]

    def create(self, who: Principal, fields: dict[str, Any]) -> Folder:
        existing = self._store.list_folders(who.tenant_id)
        if len(existing) >= MAX_FOLDERS:
            raise InvalidInputError("name", f"a tenant has at most {MAX_FOLDERS} folders")
        self._unique_name(existing, fields["name"], None)
        now = datetime.now(UTC)
        position = fields.get("position")
        folder = Folder(
            id=new_id(),
            tenant_id=who.tenant_id,
            **{**fields, "position": position if position is not None else _next_position(existing)},
            created_at=now,
            updated_at=now,
        )
        self._store.save_folder(folder, None)
        if folder.rules or folder.ai_filter:
            self._reclassify(who.tenant_id, "a folder was added", ask_ai=bool(folder.ai_filter))
        return folder.model_copy(update={"version": 1})

    def update(self, who: Principal, folder_id: str, fields: dict[str, Any]) -> Folder:
        before = self.get(who, folder_id)
        self._unique_name(self._store.list_folders(who.tenant_id), fields.get("name", before.name), folder_id)
        after = before.model_copy(update={**fields, "updated_at": datetime.now(UTC)})
        self._store.save_folder(after, before)
        ai_changed = (after.ai_filter, after.ai_examples) != (before.ai_filter, before.ai_examples)
        if ai_changed or (after.rules, after.position) != (before.rules, before.position):
            self._reclassify(who.tenant_id, f"folder {folder_id} changed", ask_ai=ai_changed)
        return after.model_copy(update={"version": before.version + 1})

    def delete(self, who: Principal, folder_id: str) -> None:
        self.get(who, folder_id)
        self._store.delete_folder(who.tenant_id, folder_id)
        # Its conversations are filed again, the pinned ones too: their folder is gone.
        self._queue().send([RefileJob(tenant_id=who.tenant_id, folder_id=folder_id)])

    def preview(self, who: Principal, rules: Group) -> tuple[list[Conversation], int]:
        """The tenant's latest conversations (by activity) that `rules` would file, and how many were
        looked at: what a person shaping a folder's rules sees before saving them.

        One Query of the list: each conversation is judged on what its list item holds (contact,
        subject, the first words of its latest message, channel; see `preview_facts`), not on its
        messages, which would cost a read per conversation."""
        recent, _ = self._store.list_conversations(who.tenant_id, ConversationFilter(), PREVIEW_CONVERSATIONS, None)
        return [c for c in recent if rules.holds(preview_facts(c))], len(recent)

    def get(self, who: Principal, folder_id: str) -> Folder:
        folder = self._store.get_folder(who.tenant_id, folder_id) if folder_id not in SYSTEM_FOLDERS else None
        if folder is None:
            raise NotFoundError(f"folder {folder_id}")
        return folder

    def _reclassify(self, tenant_id: str, why: str, ask_ai: bool) -> None:
        """Rules are cheap to run again; the model is asked again only when what it reads changed."""
        self._queue().send([ReclassifyJob(tenant_id=tenant_id, why=why, ai=ask_ai)])

    @staticmethod
    def _unique_name(folders: list[Folder], name: str, folder_id: str | None) -> None:
        if any(f.name.casefold() == name.casefold() and f.id != folder_id for f in folders):
            raise InvalidInputError("name", "another folder has this name")


def preview_facts(conversation: Conversation) -> MessageFacts:
    """What a rule's preview sees of a conversation: its contact as the sender, its subject, the
    first words of its latest message as the body, its channel; no recipients nor headers."""
    contact = conversation.contact
    return MessageFacts(
        from_email=contact.email or "",
        from_name=contact.name or "",
        from_phone=contact.phone or "",
        subject=conversation.subject or "",
        body=conversation.preview,
        channel=str(conversation.channel),
    )


def not_previewed(rules: Group) -> list[str]:
    """The fields `rules` test that a preview cannot see (NOT_PREVIEWED), each once, in order."""
    found: dict[str, None] = {}

    def walk(group: Group) -> None:
        for item in group.items:
            if isinstance(item, Group):
                walk(item)
            elif item.field.startswith(NOT_PREVIEWED):
                found[item.field] = None

    walk(rules)
    return list(found)


def _next_position(folders: list[Folder]) -> int:
    return max((f.position for f in folders), default=-1) + 1
