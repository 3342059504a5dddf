"""Conversations, with their messages and internal notes: the item in every view, the pages of
a list, and the writes that keep a conversation's version and its folder counters together.

Stored forms: a conversation's item holds what puts it in the views beyond the Conversation
(ConversationItem), and a message's item the thread pointer it wrote (MessageItem); a note's
item is the Note under its keys, nothing more (table.item_of, table.fields_of)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.folders import FolderStore
from inbox.adapters.dynamodb.table import (
    MAX_QUERY_ROUNDS,
    ConditionsFailedError,
    check_list_start,
    decode_cursor,
    decode_message_cursor,
    encode,
    fields_of,
    item_of,
    key,
    put,
    serializer,
    unmarshal,
)
from inbox.domain.conversations import urgency_rank, view_folder
from inbox.errors import ConcurrentUpdateError, InvalidInputError, NotFoundError
from inbox.models import Attachment, Conversation, ConversationFilter, ListOrder, Message, Note, Status


@dataclass(frozen=True)
class ConversationItem:
    """A conversation as stored: the Conversation's fields (its version bumped by each write), and
    these, which only the table reads: the sort keys every view shares (by activity for GSI1..GSI6,
    by urgency then activity for GSI1U..GSI6U), each view's partition key (the package docstring's
    table), and the folder it shows in and its assignee (`none` when unassigned) as the lists
    filter on them. GSI7 (by project) is sparse: a conversation linked to no project has no GSI7PK."""

    TYPE: ClassVar[str] = "conversation"

    activity: str
    priority: str
    folder_key: str
    assignee_key: str
    GSI1PK: str
    GSI2PK: str
    GSI3PK: str
    GSI4PK: str
    GSI5PK: str
    GSI6PK: str
    GSI7PK: str | None = None

    @classmethod
    def of(cls, conversation: Conversation, version: int) -> dict[str, Any]:
        t, folder, assignee = conversation.tenant_id, view_folder(conversation), conversation.assignee_id or "none"
        views = cls(
            activity=keys.activity(conversation.last_activity_at, conversation.id),
            priority=keys.priority(urgency_rank(conversation), conversation.last_activity_at, conversation.id),
            folder_key=folder,
            assignee_key=assignee,
            GSI1PK=keys.all_conversations_pk(t),
            GSI2PK=keys.view_pk(t, "FOLDER", folder),
            GSI3PK=keys.view_pk(t, "STATUS", conversation.status),
            GSI4PK=keys.view_pk(t, "ASSIGNEE", assignee),
            GSI5PK=keys.view_pk(t, "CONTACT", conversation.contact_id),
            GSI6PK=keys.view_pk(t, "CHANNEL", conversation.channel),
            GSI7PK=keys.view_pk(t, "PROJECT", conversation.project_id) if conversation.project_id else None,
        )
        if conversation.snoozed_until:
            views = views.snoozed(conversation)
        stored = conversation.model_copy(update={"version": version})
        beyond = {name: value for name, value in asdict(views).items() if value is not None}
        return item_of(keys.conversation_pk(t, conversation.id), keys.CONVERSATION, cls.TYPE, stored, beyond)

    @classmethod
    def read(cls, item: dict[str, Any]) -> Conversation:
        return Conversation.model_validate(fields_of(item, cls))

    def snoozed(self, conversation: Conversation) -> ConversationItem:
        """A snoozed conversation's views (issue 13, item 6): out of the lists by folder, status,
        assignee and channel and out of "all", into the same views under SNOOZED# (the Snoozed view,
        filtered the same ways); still in its contact's and project's, which are its history. Moving
        the keys rather than filtering the lists keeps each page one plain Query: a filter would read
        every snoozed conversation and drop it, so pages would come back short, or empty, where many
        are snoozed. Waking (the time, the customer writing, unsnooze) writes the usual keys back."""
        t = conversation.tenant_id
        return replace(
            self,
            GSI1PK=keys.snoozed_conversations_pk(t),
            GSI2PK=keys.snoozed_view_pk(t, "FOLDER", self.folder_key),
            GSI3PK=keys.snoozed_view_pk(t, "STATUS", conversation.status),
            GSI4PK=keys.snoozed_view_pk(t, "ASSIGNEE", self.assignee_key),
            GSI6PK=keys.snoozed_view_pk(t, "CHANNEL", conversation.channel),
        )


@dataclass(frozen=True)
class MessageItem:
    """A message as stored: the Message's fields, and the thread pointer it wrote if it pointed a
    thread key at its conversation (the key itself is not stored, and deleting the conversation
    must find the pointer without a Scan)."""

    TYPE: ClassVar[str] = "message"

    thread_pk: str | None = None

    @classmethod
    def primary_key(cls, message: Message) -> tuple[str, str]:
        return (
            keys.conversation_pk(message.tenant_id, message.conversation_id),
            keys.message_sk(message.received_at, message.id),
        )

    @classmethod
    def of(cls, message: Message, thread_pk: str | None = None) -> dict[str, Any]:
        return item_of(*cls.primary_key(message), cls.TYPE, message, asdict(cls(thread_pk=thread_pk)))

    @classmethod
    def read(cls, item: dict[str, Any]) -> Message:
        return Message.model_validate(fields_of(item, cls))

    @staticmethod
    def thread_pointer(item: dict[str, Any]) -> str | None:
        return item.get("thread_pk")


# Which view answers which filter, most selective first; the others become filters on it. Each
# view is two indexes: GSIn sorted by latest activity, GSInU by urgency then latest activity,
# but for projects (GSI7 alone: by urgency, every conversation's GSI1U is read, filtered).
_VIEWS = (
    ("GSI7", "PROJECT", "project_id"),
    ("GSI4", "ASSIGNEE", "assignee_key"),
    ("GSI5", "CONTACT", "contact_id"),
    ("GSI2", "FOLDER", "folder_key"),
    ("GSI6", "CHANNEL", "channel"),
    ("GSI3", "STATUS", "status"),
)

# A list sorted by status shows these groups in this order, each newest first: one Query per
# group, and a cursor that names the group it continues.
STATUS_ORDER = (Status.URGENT, Status.NEW, Status.OPEN, Status.RESOLVED, Status.ARCHIVED, Status.SPAM)


class ConversationStore(FolderStore):
    # ------------------------------------------------------------------ conversations

    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None:
        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.CONVERSATION)
        return ConversationItem.read(item) if item else None

    def save_conversation(self, before: Conversation, after: Conversation) -> None:
        """Write a changed conversation if nobody changed it since `before` was read."""
        try:
            self._transact(
                [self._conversation_write(before, after), *self._counter_writes(after.tenant_id, before, after)]
            )
        except ConditionsFailedError as failed:
            raise ConcurrentUpdateError(after.id) from failed

    def list_conversations(
        self,
        tenant_id: str,
        where: ConversationFilter,
        limit: int,
        cursor: str | None,
        order: ListOrder = ListOrder.NEWEST,
    ) -> tuple[list[Conversation], str | None]:
        """One page of conversations in `order` (newest activity first unless told).

        The most selective view answers the query, read forwards or backwards, on its index by
        activity or by urgency; any other filter is applied on it. A page costs at most
        MAX_QUERY_ROUNDS reads whatever the table holds, and may come back short with a cursor
        when combined filters are sparse. By status, each status is its own group (STATUS_ORDER).
        """
        if order is ListOrder.STATUS:
            if where.status is None:
                return self._list_by_status(tenant_id, where, limit, cursor)
            order = ListOrder.NEWEST  # one status: one group
        query = _view_query(tenant_id, where, order)
        start = _checked_start(decode_cursor(cursor), tenant_id, query) if cursor else None
        found, start, _ = self._read_view(query, limit, start, MAX_QUERY_ROUNDS)
        return found, encode(start) if start else None

    def _list_by_status(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None
    ) -> tuple[list[Conversation], str | None]:
        """The groups of STATUS_ORDER one after the other; the cursor is {status, start in it}."""
        group, start = 0, None
        if cursor:
            state = decode_cursor(cursor)
            if not (isinstance(state, dict) and set(state) == {"status", "start"} and state["status"] in STATUS_ORDER):
                raise InvalidInputError("cursor", "does not continue this list")
            group = STATUS_ORDER.index(state["status"])
            if state["start"] is not None:
                start = _checked_start(
                    state["start"], tenant_id, _view_query(tenant_id, replace(where, status=STATUS_ORDER[group]))
                )
        found: list[Conversation] = []
        rounds = MAX_QUERY_ROUNDS + len(STATUS_ORDER) - 1  # an empty group costs one read
        for position in range(group, len(STATUS_ORDER)):
            query = _view_query(tenant_id, replace(where, status=STATUS_ORDER[position]))
            page, start, used = self._read_view(query, limit - len(found), start, rounds)
            found, rounds = found + page, rounds - used
            if start:
                return found, encode({"status": STATUS_ORDER[position], "start": start})
            if (len(found) >= limit or rounds <= 0) and position + 1 < len(STATUS_ORDER):
                return found, encode({"status": STATUS_ORDER[position + 1], "start": None})
        return found, None

    def _read_view(
        self, query: dict[str, Any], limit: int, start: dict[str, Any] | None, rounds: int
    ) -> tuple[list[Conversation], dict[str, Any] | None, int]:
        """Up to `limit` conversations in at most `rounds` reads: them, where to go on, reads made."""
        found: list[Conversation] = []
        used = 0
        while used < rounds:
            used += 1
            extra = {"ExclusiveStartKey": start} if start else {}
            page = self._call("query", TableName=self._table, Limit=limit - len(found), **query, **extra)
            found += [ConversationItem.read(unmarshal(i)) for i in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        return found, start, used

    def _conversation_write(self, before: Conversation | None, after: Conversation) -> dict[str, Any]:
        """The conversation's item with its view keys, if its version is still `before`'s."""
        item = ConversationItem.of(after, version=(before.version + 1) if before else 1)
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
        messages = [MessageItem.read(item) for item in reversed(items)]
        earlier = items[-1]["SK"] if page.get("LastEvaluatedKey") and items else None
        return messages, encode(earlier) if earlier else None

    def get_message(
        self, tenant_id: str, conversation_id: str, received_at: datetime, message_id: str
    ) -> Message | None:
        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.message_sk(received_at, message_id))
        return MessageItem.read(item) if item else None

    def set_media(self, message: Message, attachments: list[Attachment], defects: list[str]) -> None:
        """The files fetched for a message, in place of the links it arrived with."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=key(*MessageItem.primary_key(message)),
            UpdateExpression="SET attachments = :files, defects = :defects, pending_media = :none",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues={
                ":files": serializer.serialize([a.model_dump(mode="json") for a in attachments]),
                ":defects": serializer.serialize(defects),
                ":none": {"L": []},
            },
        )

    # ------------------------------------------------------------------ notes

    def add_note(self, note: Note) -> None:
        pk = keys.conversation_pk(note.tenant_id, note.conversation_id)
        item = item_of(pk, keys.note_sk(note.created_at, note.id), "note", note)
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
        return [Note.model_validate(fields_of(unmarshal(item))) for item in reversed(page.get("Items", []))]


def _view_query(tenant_id: str, where: ConversationFilter, order: ListOrder = ListOrder.NEWEST) -> dict[str, Any]:
    """The Query (without its page's limit and start) that lists `where` in `order`."""
    # The Snoozed view is the same views under SNOOZED# (ConversationItem.snoozed), but a contact's
    # and a project's, which hold their snoozed conversations too: there they are a filter.
    view_pk = keys.snoozed_view_pk if where.snoozed else keys.view_pk
    every_pk = keys.snoozed_conversations_pk if where.snoozed else keys.all_conversations_pk
    wanted = {
        "assignee_key": "none" if where.unassigned else where.assignee_id,
        "contact_id": where.contact_id,
        "folder_key": where.folder_id,
        "channel": where.channel,
        "status": where.status,
        "project_id": where.project_id,
    }
    views = _VIEWS[1:] if order is ListOrder.URGENCY else _VIEWS
    index, partition = next(
        (
            (index, view_pk(tenant_id, name, wanted[attribute]))
            for index, name, attribute in views
            if wanted[attribute] and not (where.snoozed and name in ("CONTACT", "PROJECT"))
        ),
        ("GSI1", every_pk(tenant_id)),
    )
    view_attribute = next((a for i, _, a in _VIEWS if i == index), None)
    filters = {a: str(v) for a, v in wanted.items() if v and a != view_attribute}
    query: dict[str, Any] = {
        "IndexName": f"{index}U" if order is ListOrder.URGENCY else index,
        "KeyConditionExpression": f"{index}PK = :pk",
        "ExpressionAttributeValues": {":pk": {"S": partition}},
        "ScanIndexForward": order is ListOrder.OLDEST,
    }
    if filters:
        query["FilterExpression"] = " AND ".join(f"#{a} = :{a}" for a in filters)
        query["ExpressionAttributeNames"] = {f"#{a}": a for a in filters}
        query["ExpressionAttributeValues"].update({f":{a}": {"S": v} for a, v in filters.items()})
    return query


def _checked_start(start: Any, tenant_id: str, query: dict[str, Any]) -> dict[str, Any]:
    """A cursor's start key, if it continues `query` (its index, partition and tenant)."""
    return check_list_start(start, tenant_id, query["IndexName"], query["ExpressionAttributeValues"][":pk"]["S"])
