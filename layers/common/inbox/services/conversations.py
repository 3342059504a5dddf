"""What a person does with conversations: list, read, change, annotate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inbox.adapters.blobs import BlobStore
from inbox.adapters.dynamodb import ConcurrentUpdateError, ConversationFilter, InboxStore
from inbox.domain.ids import new_id
from inbox.errors import ConflictError, NotFoundError
from inbox.models import Conversation, Message, Note, Principal


class Conversations:
    def __init__(self, store: InboxStore, blobs: BlobStore):
        self._store = store
        self._blobs = blobs

    def list(self, who: Principal, where: ConversationFilter, limit: int, cursor: str | None):
        return self._store.list_conversations(who.tenant_id, where, limit, cursor)

    def get(self, who: Principal, conversation_id: str) -> tuple[Conversation, list[Message], list[Note]]:
        found = self._store.get_conversation_thread(who.tenant_id, conversation_id)
        if found is None:
            raise NotFoundError(f"conversation {conversation_id}")
        conversation, messages, notes = found
        return conversation, [self._with_body(m) for m in messages], notes

    def change(self, who: Principal, conversation_id: str, changes: dict[str, Any]) -> Conversation:
        """Apply a person's changes; retried on a concurrent write, so nothing is overwritten."""
        for _ in range(3):
            before = self._store.get_conversation(who.tenant_id, conversation_id)
            if before is None:
                raise NotFoundError(f"conversation {conversation_id}")
            after = before.model_copy(update=changes)
            if after == before:
                return before
            try:
                self._store.save_conversation(before, after)
            except ConcurrentUpdateError:
                continue
            return after.model_copy(update={"version": before.version + 1})
        raise ConflictError("the conversation is being changed by someone else; try again")

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
