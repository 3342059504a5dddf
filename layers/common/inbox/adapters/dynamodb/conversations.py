"""Conversations, with their messages and internal notes: the item in every view, the pages of
a list, and the writes that keep a conversation's version and its folder counters together."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.folders import FolderStore
from inbox.adapters.dynamodb.table import (
    MAX_QUERY_ROUNDS,
    ConditionsFailedError,
    decode_list_cursor,
    decode_message_cursor,
    encode,
    key,
    put,
    serializer,
    strip_keys,
    unmarshal,
)
from inbox.domain.conversations import view_folder
from inbox.errors import ConcurrentUpdateError, NotFoundError
from inbox.models import Attachment, Conversation, ConversationFilter, Message, Note

# Which view answers which filter, most selective first; the others become filters on it.
_VIEWS = (
    ("GSI4", "ASSIGNEE", "assignee_key"),
    ("GSI5", "CONTACT", "contact_id"),
    ("GSI2", "FOLDER", "folder_key"),
    ("GSI6", "CHANNEL", "channel"),
    ("GSI3", "STATUS", "status"),
)


class ConversationStore(FolderStore):
    # ------------------------------------------------------------------ conversations

    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None:
        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.CONVERSATION)
        return Conversation.model_validate(strip_keys(item)) if item else None

    def save_conversation(self, before: Conversation, after: Conversation) -> None:
        """Write a changed conversation if nobody changed it since `before` was read."""
        try:
            self._transact(
                [self._conversation_write(before, after), *self._counter_writes(after.tenant_id, before, after)]
            )
        except ConditionsFailedError as failed:
            raise ConcurrentUpdateError(after.id) from failed

    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None
    ) -> tuple[list[Conversation], str | None]:
        """One page of conversations, newest activity first.

        The most selective view answers the query; any other filter is applied on it. A page
        costs at most MAX_QUERY_ROUNDS reads whatever the table holds, and may come back short
        with a cursor when combined filters are sparse.
        """
        wanted = {
            "assignee_key": "none" if where.unassigned else where.assignee_id,
            "contact_id": where.contact_id,
            "folder_key": where.folder_id,
            "channel": where.channel,
            "status": where.status,
        }
        index, partition = next(
            (
                (index, keys.view_pk(tenant_id, name, wanted[attribute]))
                for index, name, attribute in _VIEWS
                if wanted[attribute]
            ),
            ("GSI1", keys.all_conversations_pk(tenant_id)),
        )
        view_attribute = next((a for i, _, a in _VIEWS if i == index), None)
        filters = {a: str(v) for a, v in wanted.items() if v and a != view_attribute}
        query: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": f"{index}PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "ScanIndexForward": False,
        }
        if filters:
            query["FilterExpression"] = " AND ".join(f"#{a} = :{a}" for a in filters)
            query["ExpressionAttributeNames"] = {f"#{a}": a for a in filters}
            query["ExpressionAttributeValues"].update({f":{a}": {"S": v} for a, v in filters.items()})
        start = decode_list_cursor(cursor, tenant_id, index, partition) if cursor else None
        found: list[Conversation] = []
        for _ in range(MAX_QUERY_ROUNDS):
            if start:
                query["ExclusiveStartKey"] = start
            page = self._call("query", TableName=self._table, Limit=limit - len(found), **query)
            found += [Conversation.model_validate(strip_keys(unmarshal(i))) for i in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        return found, encode(start) if start else None

    def _conversation_write(self, before: Conversation | None, after: Conversation) -> dict[str, Any]:
        """The conversation's item with its view keys, if its version is still `before`'s."""
        t = after.tenant_id
        assignee = after.assignee_id or "none"
        item = {
            "PK": keys.conversation_pk(t, after.id),
            "SK": keys.CONVERSATION,
            "type": "conversation",
            **after.model_dump(mode="json"),
            "version": (before.version + 1) if before else 1,
            "folder_key": view_folder(after),
            "assignee_key": assignee,
            "activity": keys.activity(after.last_activity_at, after.id),
            "GSI1PK": keys.all_conversations_pk(t),
            "GSI2PK": keys.view_pk(t, "FOLDER", view_folder(after)),
            "GSI3PK": keys.view_pk(t, "STATUS", after.status),
            "GSI4PK": keys.view_pk(t, "ASSIGNEE", assignee),
            "GSI5PK": keys.view_pk(t, "CONTACT", after.contact_id),
            "GSI6PK": keys.view_pk(t, "CHANNEL", after.channel),
        }
        if before is None:
            return put(self._table, item, "attribute_not_exists(PK)")
        return put(self._table, item, "version = :version", version=before.version)

    def _conversation_exists(self, tenant_id: str, conversation_id: str) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": key(keys.conversation_pk(tenant_id, conversation_id), keys.CONVERSATION),
                "ConditionExpression": "attribute_exists(PK)",
            }
        }

    # ------------------------------------------------------------------ messages

    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]:
        """The latest `limit` messages (oldest first), and a cursor to the earlier ones if any."""
        pk = keys.conversation_pk(tenant_id, conversation_id)
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":prefix": {"S": keys.MESSAGE_PREFIX}},
            "ScanIndexForward": False,
            "Limit": limit,
            "ConsistentRead": True,
        }
        if before:
            query["ExclusiveStartKey"] = key(pk, decode_message_cursor(before))
        page = self._call("query", TableName=self._table, **query)
        items = [unmarshal(item) for item in page.get("Items", [])]
        messages = [Message.model_validate(strip_keys(item)) for item in reversed(items)]
        earlier = items[-1]["SK"] if page.get("LastEvaluatedKey") and items else None
        return messages, encode(earlier) if earlier else None

    def get_message(
        self, tenant_id: str, conversation_id: str, received_at: datetime, message_id: str
    ) -> Message | None:
        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.message_sk(received_at, message_id))
        return Message.model_validate(strip_keys(item)) if item else None

    def set_media(self, message: Message, attachments: list[Attachment], defects: list[str]) -> None:
        """The files fetched for a message, in place of the links it arrived with."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=key(*self._message_key(message)),
            UpdateExpression="SET attachments = :files, defects = :defects, pending_media = :none",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues={
                ":files": serializer.serialize([a.model_dump(mode="json") for a in attachments]),
                ":defects": serializer.serialize(defects),
                ":none": {"L": []},
            },
        )

    @staticmethod
    def _message_key(message: Message) -> tuple[str, str]:
        return (
            keys.conversation_pk(message.tenant_id, message.conversation_id),
            keys.message_sk(message.received_at, message.id),
        )

    @staticmethod
    def _message_item(message: Message) -> dict[str, Any]:
        pk, sk = ConversationStore._message_key(message)
        return {"PK": pk, "SK": sk, "type": "message", **message.model_dump(mode="json")}

    # ------------------------------------------------------------------ notes

    def add_note(self, note: Note) -> None:
        item = {
            "PK": keys.conversation_pk(note.tenant_id, note.conversation_id),
            "SK": keys.note_sk(note.created_at, note.id),
            "type": "note",
            **note.model_dump(mode="json"),
        }
        try:
            self._transact(
                [
                    put(self._table, item, "attribute_not_exists(PK)"),
                    # With its conversation only: a note added as it is deleted would outlive it.
                    self._conversation_exists(note.tenant_id, note.conversation_id),
                ]
            )
        except ConditionsFailedError as failed:
            if 1 in failed.indexes:
                raise NotFoundError(f"conversation {note.conversation_id}") from failed
            raise

    def get_notes(self, tenant_id: str, conversation_id: str, limit: int = 200) -> list[Note]:
        page = self._call(
            "query",
            TableName=self._table,
            Limit=limit,
            ConsistentRead=True,
            ScanIndexForward=False,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.conversation_pk(tenant_id, conversation_id)},
                ":prefix": {"S": keys.NOTE_PREFIX},
            },
        )
        return [Note.model_validate(strip_keys(unmarshal(item))) for item in reversed(page.get("Items", []))]
