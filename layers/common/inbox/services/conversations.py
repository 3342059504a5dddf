"""What a person does with conversations: list, read, change, annotate."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from inbox.domain import stats_waits
from inbox.domain.conversations import day_of, delivery_as_seen
from inbox.domain.ids import new_id
from inbox.errors import ConcurrentUpdateError, ConflictError, InboxError, InvalidInputError, NotFoundError
from inbox.models import Conversation, ConversationFilter, Folder, ListOrder, Message, Note, Principal
from inbox.models.project import Project
from inbox.observability import logger

MESSAGES_PER_PAGE = 50
MAX_BULK = 100  # conversations one bulk change may name


class Store(Protocol):
    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None, order: ListOrder
    ) -> tuple[list[Conversation], str | None]: ...
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]: ...
    def get_notes(self, tenant_id: str, conversation_id: str) -> list[Note]: ...
    def save_conversation(self, before: Conversation, after: Conversation) -> None: ...
    def add_note(self, note: Note) -> None: ...
    def get_folder(self, tenant_id: str, folder_id: str) -> Folder | None: ...
    def get_project(self, tenant_id: str, project_id: str) -> Project | None: ...
    def count_classification(self, tenant_id: str, day: str, counters: dict[str, int]) -> None: ...


class Blobs(Protocol):
    def get_json(self, key: str) -> Any: ...


class Assignees(Protocol):
    def check_assignee(self, who: Principal, assignee_id: str | None) -> None: ...


@dataclass(frozen=True)
class Thread:
    """A conversation as a person reads it: its latest messages, its notes, and the way back."""

    conversation: Conversation
    messages: list[Message]
    notes: list[Note]
    earlier: str | None


@dataclass(frozen=True)
class BulkOutcome:
    """What one conversation of a bulk change became: `changed` (it has the change now, also when
    it had it already), `not_found` (none of the caller's), or `conflict` (others kept changing it)."""

    conversation_id: str
    result: Literal["changed", "not_found", "conflict"]
    conversation: Conversation | None = None


class Conversations:
    def __init__(
        self,
        store: Store,
        blobs: Blobs,
        assignees: Callable[[], Assignees],
        on_assigned: Callable[[Principal, Conversation], None] | None = None,
    ):
        self._store = store
        self._blobs = blobs
        self._assignees = assignees  # built on the first assignment to someone else (it asks the user pool)
        self._on_assigned = on_assigned  # told of each new assignee (issue 13: they are notified)

    def list(
        self,
        who: Principal,
        where: ConversationFilter,
        limit: int,
        cursor: str | None,
        order: ListOrder = ListOrder.NEWEST,
    ) -> tuple[list[Conversation], str | None]:
        return self._store.list_conversations(who.tenant_id, where, limit, cursor, order)

    def get(self, who: Principal, conversation_id: str, before: str | None = None) -> Thread:
        conversation = self._store.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        messages, earlier = self._store.get_messages(who.tenant_id, conversation_id, MESSAGES_PER_PAGE, before)
        notes = self._store.get_notes(who.tenant_id, conversation_id)
        now = datetime.now(UTC)
        messages = [delivery_as_seen(self._with_body(m), now) for m in messages]
        return Thread(conversation, messages, notes, earlier)

    def change(self, who: Principal, conversation_id: str, changes: dict[str, Any]) -> Conversation:
        """Apply a person's changes; retried on a concurrent write, so nothing is overwritten.

        A folder chosen by a person pins the conversation there (classification leaves it alone),
        and moving it out of the folder a rule or the AI chose counts as a correction of that decider.
        """
        return self._apply(who, conversation_id, self._checked(who, changes))

    def change_many(self, who: Principal, conversation_ids: list[str], changes: dict[str, Any]) -> list[BulkOutcome]:
        """The same change on each conversation, one after the other, each as `change` makes it
        (its own version check and counters): one that fails does not stop the others."""
        if len(conversation_ids) > MAX_BULK:
            raise InvalidInputError("ids", f"at most {MAX_BULK}")
        checked = self._checked(who, changes)
        outcomes = []
        for conversation_id in dict.fromkeys(conversation_ids):  # once each, in the order given
            try:
                outcomes.append(BulkOutcome(conversation_id, "changed", self._apply(who, conversation_id, checked)))
            except NotFoundError:
                outcomes.append(BulkOutcome(conversation_id, "not_found"))
            except ConflictError:
                outcomes.append(BulkOutcome(conversation_id, "conflict"))
        return outcomes

    def _checked(self, who: Principal, changes: dict[str, Any]) -> dict[str, Any]:
        """The changes as stored: an assignee must be a person of the tenant, a folder must exist,
        and choosing one pins the conversation there; a project must exist and not be archived."""
        if "assignee_id" in changes:
            self._assignees().check_assignee(who, changes["assignee_id"])
        if changes.get("project_id") is not None:
            project = self._store.get_project(who.tenant_id, changes["project_id"])
            if project is None:
                raise InvalidInputError("project_id", "no such project")
            if project.archived:
                raise InvalidInputError("project_id", "the project is archived")
        if "folder_id" not in changes:
            return changes
        folder_id = changes["folder_id"]
        if folder_id is not None and self._store.get_folder(who.tenant_id, folder_id) is None:
            raise InvalidInputError("folder_id", "no such folder")
        return changes | {"folder_pinned": True}

    def _apply(self, who: Principal, conversation_id: str, changes: dict[str, Any]) -> Conversation:
        for attempt in range(4):
            before = self._store.get_conversation(who.tenant_id, conversation_id)
            if before is None:
                raise NotFoundError(f"conversation {conversation_id}")
            after = Conversation.model_validate(before.model_dump() | changes)
            after = after.model_copy(update=stats_waits.reopening(before.status, after.status, datetime.now(UTC)))
            if after == before:
                return before
            try:
                self._store.save_conversation(before, after)
            except ConcurrentUpdateError:
                time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security
                continue
            self._count_correction(before, after)
            if self._on_assigned and after.assignee_id and after.assignee_id != before.assignee_id:
                self._on_assigned(who, after)
            return after.model_copy(update={"version": before.version + 1})
        raise ConflictError("the conversation is being changed by someone else; try again")

    def _count_correction(self, before: Conversation, after: Conversation) -> None:
        decided = before.classified_by
        if decided is None or decided.decider not in ("rule", "ai") or after.folder_id == before.folder_id:
            return
        if decided.folder_id != before.folder_id:
            return  # already moved once: only the first move corrects the decider
        key = f"corrected:{decided.decider}:{before.folder_id or 'none'}"
        try:
            self._store.count_classification(before.tenant_id, day_of(datetime.now(UTC)), {key: 1})
        except InboxError:
            logger.exception("correction not counted")

    def add_note(self, who: Principal, conversation_id: str, text: str) -> Note:
        if self._store.get_conversation(who.tenant_id, conversation_id) is None:
            raise NotFoundError(f"conversation {conversation_id}")
        note = Note(
            id=new_id(),
            tenant_id=who.tenant_id,
            conversation_id=conversation_id,
            author_id=who.user_id,
            author_email=who.email,
            text=text,
            created_at=datetime.now(UTC),
        )
        self._store.add_note(note)
        return note

    def _with_body(self, message: Message) -> Message:
        if not message.body_key:
            return message
        body = self._blobs.get_json(message.body_key)
        return message.model_copy(update={"text": body["text"], "html": body.get("html")})
