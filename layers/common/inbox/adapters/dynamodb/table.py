"""The table client: reads, queries, transactions, and how DynamoDB's errors become ours;
marshalling, and the cursors that continue a paginated read."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from inbox.actor import STAMP_FIELD, current_actor
from inbox.adapters.dynamodb import keys
from inbox.errors import ConcurrentUpdateError, ConflictError, InvalidInputError, PermanentError, TransientError

if TYPE_CHECKING:
    from pydantic import BaseModel

serializer = TypeSerializer()
_deserializer = TypeDeserializer()

MAX_QUERY_ROUNDS = 5  # a filtered page stops after this many reads and hands back a cursor
_THROTTLED = frozenset(
    (
        "ProvisionedThroughputExceeded",
        "ProvisionedThroughputExceededException",
        "ThrottlingError",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    )
)
# where an item is, what kind of item it is, and who wrote it last (inbox.actor: read by the audit only)
ITEM_KEYS = frozenset(("PK", "SK", "type", STAMP_FIELD))


class ConditionsFailedError(ConflictError):
    """Some conditions of a transaction failed; `indexes` says which writes."""

    def __init__(self, indexes: list[int]):
        super().__init__("the item exists already or was changed")
        self.indexes = indexes


def key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def marshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: serializer.serialize(v) for k, v in item.items() if v is not None}


def unmarshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


# ------------------------------------------------------------------ items that store a domain model
#
# Such an item is the model's fields as JSON under its keys and its `type`. What it holds beyond
# them (index keys, a pointer to remove with it) is declared once, by a storage record: a dataclass
# in the aggregate's module whose fields are those attributes (conversations.ConversationItem, say).


def item_of(pk: str, sk: str, kind: str, model: BaseModel, beyond: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The item that stores `model`, with the attributes `beyond` it that only the table reads."""
    return {"PK": pk, "SK": sk, "type": kind, **model.model_dump(mode="json"), **(beyond or {})}


def fields_of(item: dict[str, Any], record: type | None = None) -> dict[str, Any]:
    """What of an item is its domain model's: all but the keys, `type`, and the attributes that
    `record` (a storage record) declares."""
    dropped = ITEM_KEYS | declared(record) if record else ITEM_KEYS
    return {k: v for k, v in item.items() if k not in dropped}


@cache
def declared(record: type) -> frozenset[str]:
    """The attributes a storage record declares: its dataclass fields."""
    return frozenset(f.name for f in fields(record))


def put(table: str, item: dict[str, Any], condition: str | None = None, **values: Any) -> dict[str, Any]:
    """A transaction's Put (its "Put" part is a put_item's arguments)."""
    write: dict[str, Any] = {"TableName": table, "Item": marshal(item)}
    if condition:
        write["ConditionExpression"] = condition
    if values:
        write["ExpressionAttributeValues"] = {f":{k}": serializer.serialize(v) for k, v in values.items()}
    return {"Put": write}


class Table:
    """The table and its client; every store mixin reads and writes through these."""

    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self._call("get_item", TableName=self._table, Key=key(pk, sk), ConsistentRead=True)
        return unmarshal(response["Item"]) if "Item" in response else None

    def _query_all(self, **query: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = self._call("query", TableName=self._table, **query)
            items += [unmarshal(item) for item in page.get("Items", [])]
            if "LastEvaluatedKey" not in page:
                return items
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _query_prefix(self, pk: str, prefix: str, **options: Any) -> list[dict[str, Any]]:
        """Every item of a partition whose sort key starts with `prefix`."""
        return self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": pk}, ":prefix": {"S": prefix}},
            **options,
        )

    def _first_with_prefix(self, pk: str, prefix: str, limit: int, newest_first: bool = False) -> list[dict[str, Any]]:
        """At most `limit` items of a partition whose sort key starts with `prefix`, read consistently,
        in sort-key order (or the reverse): the bounded children of an item (a conversation's tasks)."""
        page = self._call(
            "query",
            TableName=self._table,
            Limit=limit,
            ConsistentRead=True,
            ScanIndexForward=not newest_first,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": pk}, ":prefix": {"S": prefix}},
        )
        return [unmarshal(item) for item in page.get("Items", [])]

    def _item_list_page(
        self, partition: str, pk_prefix: str, sk_prefix: str, limit: int, cursor: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """A page of a GSI1 item list (GSI1PK = `partition`, by `activity` ascending) and the cursor
        that continues it; a cursor of another list is refused (check_item_list_start)."""
        query: dict[str, Any] = {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "ScanIndexForward": True,
            "Limit": limit,
        }
        if cursor:
            query["ExclusiveStartKey"] = check_item_list_start(decode_cursor(cursor), partition, pk_prefix, sk_prefix)
        page = self._call("query", TableName=self._table, **query)
        start = page.get("LastEvaluatedKey")
        return [unmarshal(item) for item in page.get("Items", [])], encode(start) if start else None

    def _transact(self, writes: list[dict[str, Any]]) -> None:
        """One transaction; its cancellation reasons become our errors (DynamoDB reports the cause
        of a cancelled transaction per item, never in the top-level error code)."""
        for write in writes:
            if "Delete" in write:
                self._stamp_before_delete(write["Delete"]["Key"])
        try:
            self._client.transact_write_items(TransactItems=[stamped_write(w) for w in writes])
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise _provider_error("transact_write_items", error) from error
            reasons = [r.get("Code") or "None" for r in error.response.get("CancellationReasons", [])]
            if "ValidationError" in reasons:  # an item over 400 KB, say: trying again changes nothing
                raise PermanentError("DynamoDB refused an item of this write as invalid or too large") from error
            if _THROTTLED.intersection(reasons):
                raise TransientError("DynamoDB is throttling this tenant's writes") from error
            if "TransactionConflict" in reasons:
                raise ConcurrentUpdateError("another transaction is writing the same items") from error
            failed = [i for i, reason in enumerate(reasons) if reason == "ConditionalCheckFailed"]
            if failed:
                raise ConditionsFailedError(failed) from error
            raise

    def _stamp_before_delete(self, item_key: dict[str, Any]) -> None:
        """A DeleteItem cannot say who deletes: an audited item (a folder, an integration...) is stamped
        first, so that its removal in the stream carries its deleter as its last `changed_by`, marked as
        a removal's (inbox.actor.REMOVING): the audit records no removal without it."""
        audited = item_key["SK"]["S"].startswith(_AUDITED_DELETES)
        if not (audited or item_key["PK"]["S"].endswith(_AUDITED_DELETE_PARTITIONS)):
            return
        try:
            self._client.update_item(
                **_stamped_update(
                    {"TableName": self._table, "Key": item_key, "ConditionExpression": "attribute_exists(PK)"},
                    current_actor().removal_stamp,
                )
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":  # gone already: the delete says so
                raise _provider_error("update_item", error) from error

    def _call(self, operation: str, **kwargs: Any) -> Any:
        if operation in _STAMPED:
            kwargs = _STAMPED[operation](kwargs)
        elif operation == "delete_item":
            self._stamp_before_delete(kwargs["Key"])
        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            raise _provider_error(operation, error) from error


# ------------------------------------------------------------------ who wrote it (the audit, issue 14)
#
# Every Put and Update the store sends carries `changed_by` = the acting party's stamp
# (inbox.actor), so that the audit trail, reading the stream, knows who made each change.

_SET = re.compile(r"(?<![#:\w])SET\b", re.IGNORECASE)  # the SET clause's keyword, not a name like :set
_NAME, _VALUE = "#audit_changed_by", ":audit_changed_by"


def _stamped_put(put_: dict[str, Any]) -> dict[str, Any]:
    return {**put_, "Item": {**put_["Item"], STAMP_FIELD: {"S": current_actor().stamp}}}


def _stamped_update(update: dict[str, Any], stamp: str | None = None) -> dict[str, Any]:
    """The update with `changed_by` set too (`stamp`, else the acting party's): in its SET clause if it
    has one (an expression takes one SET clause), else in a SET clause of its own (clauses may come in
    any order)."""
    expression = update.get("UpdateExpression", "")
    assignment = f"{_NAME} = {_VALUE}"
    match = _SET.search(expression)
    if match:
        expression = f"{expression[: match.end()]} {assignment},{expression[match.end() :]}"
    else:
        expression = f"{expression} SET {assignment}".strip()
    return {
        **update,
        "UpdateExpression": expression,
        "ExpressionAttributeNames": {**update.get("ExpressionAttributeNames", {}), _NAME: STAMP_FIELD},
        "ExpressionAttributeValues": {
            **update.get("ExpressionAttributeValues", {}),
            _VALUE: {"S": stamp or current_actor().stamp},
        },
    }


def _stamped_batch(batch: dict[str, Any]) -> dict[str, Any]:
    requests = {
        table: [{"PutRequest": _stamped_put(r["PutRequest"])} if "PutRequest" in r else r for r in writes]
        for table, writes in batch["RequestItems"].items()
    }
    return {**batch, "RequestItems": requests}


def stamped_write(write: dict[str, Any]) -> dict[str, Any]:
    """A transaction's write with `changed_by` (a Put's item, an Update's expression); others as they are."""
    if "Put" in write:
        return {**write, "Put": _stamped_put(write["Put"])}
    if "Update" in write:
        return {**write, "Update": _stamped_update(write["Update"])}
    return write


# The items whose removal the audit records (the people's changes of the tenant's configuration).
_AUDITED_DELETES = (
    keys.FOLDER_PREFIX,
    keys.INTEGRATION_PREFIX,
    keys.webhook_sk(""),
    keys.knowledge_document_sk(""),
    keys.task_sk(""),
    keys.ai_lookup_sk(""),
)
# ... and those whose partition says what they are (a saved reply's key is TEAM#id or USER#owner#id).
_AUDITED_DELETE_PARTITIONS = (keys.saved_replies_pk("").removeprefix("T#"),)
_STAMPED = {"put_item": _stamped_put, "update_item": _stamped_update, "batch_write_item": _stamped_batch}


def _provider_error(operation: str, error: ClientError) -> Exception:
    code = error.response["Error"]["Code"]
    if code == "ConditionalCheckFailedException":
        return ConflictError("the item exists already or was changed")
    if code in _THROTTLED:
        return TransientError(f"DynamoDB {operation}: {code}")
    if code == "ValidationException" and "size" in error.response["Error"].get("Message", ""):
        return PermanentError(f"DynamoDB {operation}: an item is over the 400 KB limit")
    return error  # anything else is our bug: let it be a 500 with its trace


# ------------------------------------------------------------------ cursors


def encode(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return None


def decode_cursor(cursor: str) -> Any:
    """A cursor's content, unchecked (None if it is not one of ours): the caller checks its shape."""
    return _decode(cursor)


def check_list_start(start: Any, tenant_id: str, index: str, partition: str) -> dict[str, Any]:
    """A list's ExclusiveStartKey from a cursor, if it is one of `index`'s keys in `partition`: a
    cursor only continues the query it came from, and another view, tenant or shape is refused."""
    index_pk = index.removesuffix("U")  # GSInU reads GSInPK, sorted by urgency (`priority`)
    sort_key = "priority" if index.endswith("U") else "activity"
    valid = (
        isinstance(start, dict)
        and set(start) == {"PK", "SK", sort_key, f"{index_pk}PK"}
        and all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in start.values())
        and start[f"{index_pk}PK"]["S"] == partition
        and start["PK"]["S"].startswith(keys.conversation_pk_prefix(tenant_id))
        and start["SK"]["S"] == keys.CONVERSATION
    )
    if not valid:
        raise InvalidInputError("cursor", "does not continue this list")
    return start


def check_item_list_start(start: Any, partition: str, pk_prefix: str, sk_prefix: str) -> dict[str, Any]:
    """A GSI1 list's ExclusiveStartKey from a cursor, if it is a key of that list: GSI1PK is `partition`
    (the tenant's, the person's, the state's), PK and SK start as that list's items do. A cursor only
    continues the list it came from; another tenant's, list's or shape is refused."""
    valid = (
        isinstance(start, dict)
        and set(start) == {"PK", "SK", "activity", "GSI1PK"}
        and all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in start.values())
        and start["GSI1PK"]["S"] == partition
        and start["PK"]["S"].startswith(pk_prefix)
        and start["SK"]["S"].startswith(sk_prefix)
    )
    if not valid:
        raise InvalidInputError("cursor", "does not continue this list")
    return start


def decode_message_cursor(cursor: str) -> str:
    sort_key = _decode(cursor)
    if not (isinstance(sort_key, str) and sort_key.startswith(keys.MESSAGE_PREFIX) and len(sort_key) < 200):
        raise InvalidInputError("before", "does not continue this conversation")
    return sort_key
