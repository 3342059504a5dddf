"""The single DynamoDB table: every item a tenant owns has a key that starts with `T#<tenant>`.

Layout (PK / SK):
  T#t                          / INTEGRATION#id        an integration (secrets as ciphertext)
  T#t                          / COUNTER#FOLDER#key    a folder's total and unread counters
  T#t#CONTACT#id               / CONTACT               a contact
  T#t#IDENTITY#email:x         / IDENTITY              email or phone -> contact (conditional put)
  T#t#CONV#id                  / CONV                  a conversation (versioned), GSI1..GSI5 views
  T#t#CONV#id                  / MSG#<time>#id         its messages, oldest first
  T#t#CONV#id                  / NOTE#<time>#id        its internal notes
  T#t#DELIVERY#integration#ext / DELIVERY              dedupe: an external id seen once
  T#t#THREAD#integration#key   / THREAD                a thread key -> its conversation
  T#t#STATS                    / DAY#yyyy-mm-dd        the day's counters
  ROUTE#INTEGRATION#id         / ROUTE                 the one item without a tenant prefix: it maps
                                                       the id in a public webhook URL to its tenant
Conversation views share the sort key `activity` (`<last activity>#<id>`), newest first:
GSI1 all, GSI2 by folder, GSI3 by status, GSI4 by assignee (sparse), GSI5 by contact.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from inbox.domain.conversations import FolderDelta, counter_deltas, day_of, folder_key
from inbox.errors import ConflictError, InvalidInputError, TransientError
from inbox.models import Contact, Conversation, Integration, Message, Note

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

MAX_QUERY_ROUNDS = 5  # a filtered page stops after this many reads and hands back a cursor


class DuplicateDeliveryError(ConflictError):
    """This external id was ingested already."""


class ConcurrentUpdateError(ConflictError):
    """Someone else changed the conversation (or its thread) since we read it: read again."""


@dataclass(frozen=True)
class ConversationFilter:
    folder_id: str | None = None
    status: str | None = None
    channel: str | None = None
    assignee_id: str | None = None
    unassigned: bool = False
    contact_id: str | None = None


@dataclass(frozen=True)
class Delivery:
    message_id: str
    conversation_id: str


def _tenant(tenant_id: str) -> str:
    return f"T#{tenant_id}"


def _conversation_pk(tenant_id: str, conversation_id: str) -> str:
    return f"T#{tenant_id}#CONV#{conversation_id}"


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def _marshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def _unmarshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def _strip_keys(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not (k in ("PK", "SK", "activity", "type") or k.startswith("GSI"))}


class InboxStore:
    """Every read and write of the table. Queries only; no Scan anywhere."""

    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    # ------------------------------------------------------------------ integrations

    def create_integration(self, integration: Integration) -> None:
        item = {
            "PK": _tenant(integration.tenant_id),
            "SK": f"INTEGRATION#{integration.id}",
            "type": "integration",
            **integration.model_dump(mode="json"),
        }
        route = {
            "PK": f"ROUTE#INTEGRATION#{integration.id}",
            "SK": "ROUTE",
            "type": "route",
            "tenant_id": integration.tenant_id,
            "integration_id": integration.id,
        }
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _marshal(item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _marshal(route),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )

    def replace_integration(self, integration: Integration) -> None:
        item = {
            "PK": _tenant(integration.tenant_id),
            "SK": f"INTEGRATION#{integration.id}",
            "type": "integration",
            **integration.model_dump(mode="json"),
        }
        self._call("put_item", TableName=self._table, Item=_marshal(item), ConditionExpression="attribute_exists(PK)")

    def delete_integration(self, tenant_id: str, integration_id: str) -> None:
        self._transact(
            [
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": _key(_tenant(tenant_id), f"INTEGRATION#{integration_id}"),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
                {"Delete": {"TableName": self._table, "Key": _key(f"ROUTE#INTEGRATION#{integration_id}", "ROUTE")}},
            ]
        )

    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None:
        item = self._get(_tenant(tenant_id), f"INTEGRATION#{integration_id}")
        return Integration.model_validate(_strip_keys(item)) if item else None

    def list_integrations(self, tenant_id: str) -> list[Integration]:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": _tenant(tenant_id)}, ":prefix": {"S": "INTEGRATION#"}},
        )
        return [Integration.model_validate(_strip_keys(item)) for item in items]

    def tenant_of_integration(self, integration_id: str) -> str | None:
        item = self._get(f"ROUTE#INTEGRATION#{integration_id}", "ROUTE")
        return item["tenant_id"] if item else None

    # ------------------------------------------------------------------ contacts

    def find_contact(self, tenant_id: str, identities: Iterable[str]) -> Contact | None:
        for identity in identities:
            pointer = self._get(f"T#{tenant_id}#IDENTITY#{identity}", "IDENTITY")
            if pointer:
                item = self._get(f"T#{tenant_id}#CONTACT#{pointer['contact_id']}", "CONTACT")
                if item:
                    return Contact.model_validate(_strip_keys(item))
        return None

    def create_contact(self, contact: Contact, identities: list[str]) -> bool:
        """Create the contact and claim its identities; False if another writer claimed one first."""
        item = {
            "PK": f"T#{contact.tenant_id}#CONTACT#{contact.id}",
            "SK": "CONTACT",
            "type": "contact",
            **contact.model_dump(mode="json"),
        }
        writes = [{"Put": {"TableName": self._table, "Item": _marshal(item)}}]
        for identity in identities:
            pointer = {
                "PK": f"T#{contact.tenant_id}#IDENTITY#{identity}",
                "SK": "IDENTITY",
                "type": "identity",
                "contact_id": contact.id,
            }
            writes.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": _marshal(pointer),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        try:
            self._transact(writes)
        except ConflictError:
            return False
        return True

    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None:
        item = self._get(f"T#{tenant_id}#CONTACT#{contact_id}", "CONTACT")
        return Contact.model_validate(_strip_keys(item)) if item else None

    # ------------------------------------------------------------------ ingest

    def get_delivery(self, tenant_id: str, integration_id: str, external_id: str) -> Delivery | None:
        item = self._get(f"T#{tenant_id}#DELIVERY#{integration_id}#{external_id}", "DELIVERY")
        return Delivery(item["message_id"], item["conversation_id"]) if item else None

    def get_thread(self, tenant_id: str, integration_id: str, thread_key: str) -> str | None:
        item = self._get(f"T#{tenant_id}#THREAD#{integration_id}#{thread_key}", "THREAD")
        return item["conversation_id"] if item else None

    def commit_inbound(
        self,
        message: Message,
        before: Conversation | None,
        after: Conversation,
        thread_key: str,
        thread_was: str | None,
    ) -> None:
        """Store a message and its conversation's new state in one transaction.

        The delivery record makes a second delivery of the same external id fail as a duplicate;
        the conversation's version and the thread pointer's expected value make a concurrent
        writer fail so that the caller reads again and retries. Counters move in the same
        transaction, so they are exact.
        """
        tenant = message.tenant_id
        delivery = {
            "PK": f"T#{tenant}#DELIVERY#{message.integration_id}#{message.external_id}",
            "SK": "DELIVERY",
            "type": "delivery",
            "message_id": message.id,
            "conversation_id": message.conversation_id,
        }
        writes: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _marshal(delivery),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {
                "Put": {
                    "TableName": self._table,
                    "Item": _marshal(self._message_item(message)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            self._conversation_write(before, after),
        ]
        if thread_was != after.id:
            pointer = {
                "PK": f"T#{tenant}#THREAD#{message.integration_id}#{thread_key}",
                "SK": "THREAD",
                "type": "thread",
                "conversation_id": after.id,
            }
            put: dict[str, Any] = {"TableName": self._table, "Item": _marshal(pointer)}
            if thread_was is None:
                put["ConditionExpression"] = "attribute_not_exists(PK)"
            else:
                put["ConditionExpression"] = "conversation_id = :was"
                put["ExpressionAttributeValues"] = {":was": {"S": thread_was}}
            writes.append({"Put": put})
        writes += self._counter_writes(tenant, before, after)
        stats_add = {"messages_in": 1, f"messages_in_{message.channel}": 1}
        if before is None:
            stats_add["conversations_created"] = 1
        writes.append(self._stats_write(tenant, day_of(message.received_at), stats_add))
        try:
            self._call("transact_write_items", TransactItems=writes)
        except ClientError as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise DuplicateDeliveryError(message.external_id) from error
            if "ConditionalCheckFailed" in reasons or error.response["Error"]["Code"] == "TransactionConflict":
                raise ConcurrentUpdateError(after.id) from error
            raise

    # ------------------------------------------------------------------ conversations

    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None:
        item = self._get(_conversation_pk(tenant_id, conversation_id), "CONV")
        return Conversation.model_validate(_strip_keys(item)) if item else None

    def get_conversation_thread(
        self, tenant_id: str, conversation_id: str
    ) -> tuple[Conversation, list[Message], list[Note]] | None:
        """The conversation with its messages and notes, in one query."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": _conversation_pk(tenant_id, conversation_id)}},
            ConsistentRead=True,
        )
        conversation, messages, notes = None, [], []
        for item in items:
            kind = item.get("type")
            if kind == "conversation":
                conversation = Conversation.model_validate(_strip_keys(item))
            elif kind == "message":
                messages.append(Message.model_validate(_strip_keys(item)))
            elif kind == "note":
                notes.append(Note.model_validate(_strip_keys(item)))
        return (conversation, messages, notes) if conversation else None

    def save_conversation(self, before: Conversation, after: Conversation) -> None:
        """Write a changed conversation if nobody changed it since `before` was read."""
        writes = [self._conversation_write(before, after), *self._counter_writes(after.tenant_id, before, after)]
        try:
            self._call("transact_write_items", TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("TransactionCanceledException", "TransactionConflict"):
                raise ConcurrentUpdateError(after.id) from error
            raise

    def add_note(self, note: Note) -> None:
        item = {
            "PK": _conversation_pk(note.tenant_id, note.conversation_id),
            "SK": f"NOTE#{note.created_at.isoformat()}#{note.id}",
            "type": "note",
            **note.model_dump(mode="json"),
        }
        self._call(
            "put_item", TableName=self._table, Item=_marshal(item), ConditionExpression="attribute_not_exists(PK)"
        )

    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None
    ) -> tuple[list[Conversation], str | None]:
        """One page of conversations, newest activity first.

        The most selective view answers the query; any other filter is applied on it. A page
        costs at most MAX_QUERY_ROUNDS reads whatever the table holds, and may come back short
        with a cursor when the filters are sparse.
        """
        index, partition, filters = self._plan(tenant_id, where)
        query: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": f"{index}PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "ScanIndexForward": False,
        }
        if filters:
            expressions, names, values = zip(*filters, strict=True)
            query["FilterExpression"] = " AND ".join(expressions)
            query["ExpressionAttributeNames"] = {k: v for n in names for k, v in n.items()}
            for value in values:
                query["ExpressionAttributeValues"].update(value)
            if not query["ExpressionAttributeNames"]:
                del query["ExpressionAttributeNames"]
        start = _decode_cursor(cursor, f"{index}PK", partition) if cursor else None
        found: list[Conversation] = []
        for _ in range(MAX_QUERY_ROUNDS):
            if start:
                query["ExclusiveStartKey"] = start
            page = self._call("query", TableName=self._table, Limit=limit - len(found), **query)
            found += [Conversation.model_validate(_strip_keys(_unmarshal(i))) for i in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        return found, _encode_cursor(start) if start else None

    def folder_counters(self, tenant_id: str) -> dict[str, dict[str, int]]:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": _tenant(tenant_id)}, ":prefix": {"S": "COUNTER#FOLDER#"}},
        )
        return {
            item["SK"].removeprefix("COUNTER#FOLDER#"): {
                "total": int(item.get("total", 0)),
                "unread": int(item.get("unread", 0)),
            }
            for item in items
        }

    def day_stats(self, tenant_id: str, day: str) -> dict[str, int]:
        item = self._get(f"T#{tenant_id}#STATS", f"DAY#{day}") or {}
        return {k: int(v) for k, v in _strip_keys(item).items()}

    # ------------------------------------------------------------------ internals

    def _plan(self, tenant_id: str, where: ConversationFilter) -> tuple[str, str, list[tuple]]:
        t = _tenant(tenant_id)
        candidates = [
            ("GSI4", where.assignee_id and f"{t}#ASSIGNEE#{where.assignee_id}", "assignee_id", where.assignee_id),
            ("GSI5", where.contact_id and f"{t}#CONTACT#{where.contact_id}", "contact_id", where.contact_id),
            ("GSI2", where.folder_id and f"{t}#FOLDER#{where.folder_id}", "folder_key", where.folder_id),
            ("GSI3", where.status and f"{t}#STATUS#{where.status}", "status", where.status),
        ]
        chosen = next(((index, pk) for index, pk, _, _ in candidates if pk), ("GSI1", f"{t}#CONVS"))
        filters = [
            (f"#{attr} = :{attr}", {f"#{attr}": attr}, {f":{attr}": {"S": value}})
            for index, pk, attr, value in candidates
            if pk and index != chosen[0]
        ]
        if where.channel:
            filters.append(("#channel = :channel", {"#channel": "channel"}, {":channel": {"S": where.channel}}))
        if where.unassigned:
            filters.append(("attribute_not_exists(assignee_id)", {}, {}))
        return chosen[0], chosen[1], filters

    def _message_item(self, message: Message) -> dict[str, Any]:
        return {
            "PK": _conversation_pk(message.tenant_id, message.conversation_id),
            "SK": f"MSG#{message.received_at.isoformat()}#{message.id}",
            "type": "message",
            **message.model_dump(mode="json"),
        }

    def _conversation_write(self, before: Conversation | None, after: Conversation) -> dict[str, Any]:
        t = _tenant(after.tenant_id)
        item = {
            "PK": _conversation_pk(after.tenant_id, after.id),
            "SK": "CONV",
            "type": "conversation",
            **after.model_dump(mode="json"),
            "version": (before.version + 1) if before else 1,
            "folder_key": folder_key(after.folder_id),
            "activity": f"{after.last_activity_at.isoformat()}#{after.id}",
            "GSI1PK": f"{t}#CONVS",
            "GSI2PK": f"{t}#FOLDER#{folder_key(after.folder_id)}",
            "GSI3PK": f"{t}#STATUS#{after.status}",
            "GSI4PK": f"{t}#ASSIGNEE#{after.assignee_id}" if after.assignee_id else None,
            "GSI5PK": f"{t}#CONTACT#{after.contact_id}",
        }
        put: dict[str, Any] = {"TableName": self._table, "Item": _marshal(item)}
        if before is None:
            put["ConditionExpression"] = "attribute_not_exists(PK)"
        else:
            put["ConditionExpression"] = "version = :version"
            put["ExpressionAttributeValues"] = {":version": {"N": str(before.version)}}
        return {"Put": put}

    def _counter_writes(self, tenant_id: str, before: Conversation | None, after: Conversation) -> list[dict]:
        return [self._folder_write(tenant_id, delta) for delta in counter_deltas(before, after)]

    def _folder_write(self, tenant_id: str, delta: FolderDelta) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": _key(_tenant(tenant_id), f"COUNTER#FOLDER#{delta.folder}"),
                "UpdateExpression": "ADD #total :total, #unread :unread",
                "ExpressionAttributeNames": {"#total": "total", "#unread": "unread"},
                "ExpressionAttributeValues": {":total": {"N": str(delta.total)}, ":unread": {"N": str(delta.unread)}},
            }
        }

    def _stats_write(self, tenant_id: str, day: str, counters: dict[str, int]) -> dict[str, Any]:
        names = {f"#c{i}": name for i, name in enumerate(counters)}
        values = {f":c{i}": {"N": str(value)} for i, value in enumerate(counters.values())}
        return {
            "Update": {
                "TableName": self._table,
                "Key": _key(f"T#{tenant_id}#STATS", f"DAY#{day}"),
                "UpdateExpression": "ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counters))),
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self._call("get_item", TableName=self._table, Key=_key(pk, sk), ConsistentRead=True)
        return _unmarshal(response["Item"]) if "Item" in response else None

    def _query_all(self, **query: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = self._call("query", TableName=self._table, **query)
            items += [_unmarshal(item) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return items
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _transact(self, writes: list[dict[str, Any]]) -> None:
        try:
            self._call("transact_write_items", TransactItems=writes)
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                raise ConflictError("the item exists already or was changed") from error
            raise

    def _call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "ConditionalCheckFailedException":
                raise ConflictError("the item exists already or was changed") from error
            if code in (
                "ProvisionedThroughputExceededException",
                "ThrottlingException",
                "RequestLimitExceeded",
                "InternalServerError",
                "ServiceUnavailable",
            ):
                raise TransientError(f"DynamoDB {operation}: {code}") from error
            raise


def _encode_cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, partition_attribute: str, partition: str) -> dict[str, Any]:
    """A cursor only continues the query it came from: another view or tenant is refused."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        valid = isinstance(key, dict) and key.get(partition_attribute) == {"S": partition}
    except (ValueError, binascii.Error):
        valid = False
    if not valid:
        raise InvalidInputError("cursor", "does not continue this list")
    return key
