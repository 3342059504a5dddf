"""The single DynamoDB table: every item a tenant owns has a key that starts with `T#<tenant>`.

Layout (PK / SK):
  T#t                          / INTEGRATION#id        an integration (secrets as ciphertext)
  T#t                          / FOLDER#id             a folder: its order, rules, AI filter, auto-reply
  T#t                          / SETTINGS#AI           the tenant's model, base URL and sealed API key
  T#t                          / COUNTER#FOLDER#key    a folder's total and unread conversations
  T#t#CONTACT#id               / CONTACT               a contact
  T#t#IDENTITY#email:x         / IDENTITY              email or phone -> contact (conditional put)
  T#t#CONV#id                  / CONV                  a conversation (versioned), in the views below
  T#t#CONV#id                  / MSG#<time>#id         its messages
  T#t#CONV#id                  / NOTE#<time>#id        its internal notes
  T#t#CONV#id                  / DECISION#message      how a message was classified (once per message)
  T#t#CONV#id                  / #DELETING             a deleted conversation whose remains are being removed
  T#t#DELIVERY#integration#h   / DELIVERY              dedupe: a provider message id seen once
  T#t#THREAD#integration#h     / THREAD                a thread key -> its conversation
  T#t#MSGID#h                  / MSGID                 an email Message-ID -> its conversation (threading)
  T#t#SENT#integration#h       / SENT                  a provider's id for what we sent -> the message
                                                       (status webhooks)
  T#t#SMSPART#integration#h    / PART#nnn              a part of a long SMS until all are here, then only
                                                       its id and conversation (TTL 2 days)
  T#t#STATS                    / DAY#yyyy-mm-dd        the day's counters
  T#t                          / SYNC#integration      a mailbox's sync: lease, folder cursors, progress
  ROUTE#INTEGRATION#id         / ROUTE                 the items without a tenant prefix: they map the id
  ROUTE#NUMBER#kind#+e164      / ROUTE                 in a public webhook URL, or the number a provider's
                                                       webhook names, to its tenant (GetItem, no index);
                                                       one per kind (sms, whatsapp): a claim on a number
                                                       for one never blocks or takes it for the other
(h: SHA-256 of a provider's id, thread key or Message-ID, whose length we do not control.)
Conversation views share the sort key `activity` (`<last activity>#<id>`), newest first:
GSI1 all, GSI2 by folder, GSI3 by status, GSI4 by assignee (`none` when unassigned),
GSI5 by contact, GSI6 by channel. GSI1 also holds `SYNC#DUE`: every mailbox by the time its next
sync is due, the one cross-tenant view, read by the scheduler only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Literal

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from inbox.domain.blob_keys import delivery_blobs
from inbox.domain.conversations import FolderDelta, counter_deltas, view_folder
from inbox.errors import (
    ConcurrentUpdateError,
    ConflictError,
    DuplicateDeliveryError,
    InvalidInputError,
    NotFoundError,
    PermanentError,
    TransientError,
)
from inbox.models import (
    Attachment,
    Channel,
    Contact,
    Conversation,
    ConversationFilter,
    ConversationRemains,
    Delivery,
    DeliveryState,
    Direction,
    Folder,
    FolderCursor,
    Integration,
    Message,
    Note,
    NumberRoute,
    SmsPartItem,
    SyncState,
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

MAX_QUERY_ROUNDS = 5  # a filtered page stops after this many reads and hands back a cursor
_DELETING = "#DELETING"  # a deleted conversation's marker; "#" sorts before its children's keys
_BATCH_ATTEMPTS = 8  # rounds of a batch write's unprocessed items before the caller is told
type _Pointer = tuple[str, str, Literal["delete", "strip"]]  # an item naming a deleted conversation's message
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
# Which view answers which filter, most selective first; the others become filters on it.
_VIEWS = (
    ("GSI4", "ASSIGNEE", "assignee_key"),
    ("GSI5", "CONTACT", "contact_id"),
    ("GSI2", "FOLDER", "folder_key"),
    ("GSI6", "CHANNEL", "channel"),
    ("GSI3", "STATUS", "status"),
)


class _ConditionsFailedError(ConflictError):
    """Some conditions of a transaction failed; `indexes` says which writes."""

    def __init__(self, indexes: list[int]):
        super().__init__("the item exists already or was changed")
        self.indexes = indexes


def _tenant(tenant_id: str) -> str:
    return f"T#{tenant_id}"


def _conversation_pk(tenant_id: str, conversation_id: str) -> str:
    return f"T#{tenant_id}#CONV#{conversation_id}"


def _stamp(moment: datetime) -> str:
    """A UTC time that sorts as text: always the same length, always microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _integration_route_pk(integration_id: str) -> str:
    return f"ROUTE#INTEGRATION#{integration_id}"


def _number_route_pk(kind: Channel, number: str) -> str:
    """The route of a number for one kind of message: SMS and WhatsApp claims never meet."""
    if kind not in (Channel.SMS, Channel.WHATSAPP):
        raise ValueError(f"no number routes for {kind}")
    return f"ROUTE#NUMBER#{kind}#{number}"


def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}}


def _marshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def _unmarshal(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


def _strip_keys(item: dict[str, Any]) -> dict[str, Any]:
    storage_only = ("PK", "SK", "activity", "type", "folder_key", "assignee_key", "thread_pk")
    return {k: v for k, v in item.items() if not (k in storage_only or k.startswith("GSI"))}


def _put(table: str, item: dict[str, Any], condition: str | None = None, **values: str) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table, "Item": _marshal(item)}
    if condition:
        put["ConditionExpression"] = condition
    if values:
        put["ExpressionAttributeValues"] = {f":{k}": _serializer.serialize(v) for k, v in values.items()}
    return {"Put": put}


class InboxStore:
    """Every read and write of the table. Queries only; no Scan anywhere."""

    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    # ------------------------------------------------------------------ integrations

    def create_integration(self, integration: Integration, numbers: Iterable[NumberRoute] = ()) -> None:
        """The integration, the route from its id in webhook URLs, and one route per (kind, phone
        number) it owns: a number belongs, for SMS or for WhatsApp, to one integration of one tenant,
        or the create fails."""
        route = {
            "PK": _integration_route_pk(integration.id),
            "SK": "ROUTE",
            "type": "route",
            "tenant_id": integration.tenant_id,
            "integration_id": integration.id,
        }
        numbers = list(numbers)
        writes = [
            _put(self._table, self._integration_item(integration), "attribute_not_exists(PK)"),
            _put(self._table, route, "attribute_not_exists(PK)"),
            *(self._number_route(integration, *number) for number in numbers),
        ]
        self._transact_numbers(writes, numbers, first=2)

    def replace_integration(
        self,
        integration: Integration,
        add_numbers: Iterable[NumberRoute] = (),
        remove_numbers: Iterable[NumberRoute] = (),
    ) -> None:
        add_numbers, remove_numbers = list(add_numbers), list(remove_numbers)
        put = _put(self._table, self._integration_item(integration), "attribute_exists(PK)")
        if not (add_numbers or remove_numbers):
            self._call("put_item", **put["Put"])
            return
        writes = [
            put,
            *(self._number_route(integration, *number) for number in add_numbers),
            *(self._number_route_delete(integration.id, *number) for number in remove_numbers),
        ]
        self._transact_numbers(writes, add_numbers, first=1)

    def delete_integration(self, tenant_id: str, integration_id: str, numbers: Iterable[NumberRoute] = ()) -> None:
        self._transact(
            [
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": _key(_tenant(tenant_id), f"INTEGRATION#{integration_id}"),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
                {"Delete": {"TableName": self._table, "Key": _key(_integration_route_pk(integration_id), "ROUTE")}},
                # A mailbox's sync goes with it, or the scheduler would queue it forever.
                {"Delete": {"TableName": self._table, "Key": _key(_tenant(tenant_id), f"SYNC#{integration_id}")}},
                *(self._number_route_delete(integration_id, *number) for number in numbers),
            ]
        )

    def integration_by_number(self, kind: Channel, number: str) -> tuple[str, str] | None:
        """(tenant, integration) that owns an E.164 number for `kind` (sms or whatsapp): how a
        provider's webhook finds its tenant."""
        item = self._get(_number_route_pk(kind, number), "ROUTE")
        return (item["tenant_id"], item["integration_id"]) if item else None

    def _integration_item(self, integration: Integration) -> dict[str, Any]:
        return {
            "PK": _tenant(integration.tenant_id),
            "SK": f"INTEGRATION#{integration.id}",
            "type": "integration",
            **integration.model_dump(mode="json"),
        }

    def _number_route(self, integration: Integration, kind: Channel, number: str) -> dict[str, Any]:
        route = {
            "PK": _number_route_pk(kind, number),
            "SK": "ROUTE",
            "type": "route",
            "tenant_id": integration.tenant_id,
            "integration_id": integration.id,
        }
        return _put(self._table, route, "attribute_not_exists(PK)")

    def _number_route_delete(self, integration_id: str, kind: Channel, number: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": _key(_number_route_pk(kind, number), "ROUTE"),
                # Only our own route: another tenant's claim on the number is not ours to drop.
                "ConditionExpression": "attribute_not_exists(PK) OR integration_id = :mine",
                "ExpressionAttributeValues": {":mine": {"S": integration_id}},
            }
        }

    def _transact_numbers(self, writes: list[dict[str, Any]], numbers: list[NumberRoute], first: int) -> None:
        try:
            self._transact(writes)
        except _ConditionsFailedError as failed:
            taken = [numbers[i - first] for i in failed.indexes if first <= i < first + len(numbers)]
            if taken:
                kind, number = taken[0]
                raise ConflictError(f"{number} is already connected to another integration for {kind}") from failed
            raise

    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None:
        item = self._get(_tenant(tenant_id), f"INTEGRATION#{integration_id}")
        return Integration.model_validate(_strip_keys(item)) if item else None

    def list_integrations(self, tenant_id: str) -> list[Integration]:
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": _tenant(tenant_id)}, ":prefix": {"S": "INTEGRATION#"}},
        )
        return [Integration.model_validate(_strip_keys(item)) for item in items]

    def save_access_token(self, integration: Integration, sealed: dict[str, str], expires_at: datetime) -> bool:
        """Keep a fresh access token (and a rotated refresh token) without touching anything else, only
        if the integration is still the one `integration` was read as: an edit in between (a moved
        host, a new refresh token) bumps `updated_at`, and a token got for the settings before must
        not be stored on the settings after. False when it was not stored."""
        names = {f"#s{i}": field for i, field in enumerate(sealed)}
        values = {f":s{i}": {"S": value} for i, value in enumerate(sealed.values())}
        read_at = integration.model_dump(mode="json", include={"updated_at"})["updated_at"]
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=_key(_tenant(integration.tenant_id), f"INTEGRATION#{integration.id}"),
                UpdateExpression="SET "
                + ", ".join(f"secrets.#s{i} = :s{i}" for i in range(len(sealed)))
                + ", settings.oauth.access_token_expires_at = :expires",
                ConditionExpression="attribute_exists(PK) AND updated_at = :read_at",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={
                    **values,
                    ":expires": {"S": expires_at.isoformat()},
                    ":read_at": {"S": read_at},
                },
            )
        except ConflictError:
            return False
        return True

    def tenant_of_integration(self, integration_id: str) -> str | None:
        item = self._get(_integration_route_pk(integration_id), "ROUTE")
        return item["tenant_id"] if item else None

    # ------------------------------------------------------------------ folders

    def list_folders(self, tenant_id: str) -> list[Folder]:
        """A tenant's folders in their order (position, then name)."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": _tenant(tenant_id)}, ":prefix": {"S": "FOLDER#"}},
            ConsistentRead=True,
        )
        folders = [Folder.model_validate(_strip_keys(item)) for item in items]
        return sorted(folders, key=lambda folder: (folder.position, folder.name.casefold(), folder.id))

    def get_folder(self, tenant_id: str, folder_id: str) -> Folder | None:
        item = self._get(_tenant(tenant_id), f"FOLDER#{folder_id}")
        return Folder.model_validate(_strip_keys(item)) if item else None

    def save_folder(self, folder: Folder, before: Folder | None) -> None:
        """Create (before is None) or replace a folder, if nobody changed it since it was read."""
        item = {"PK": _tenant(folder.tenant_id), "SK": f"FOLDER#{folder.id}", "type": "folder"}
        item |= folder.model_dump(mode="json") | {"version": (before.version + 1) if before else 1}
        if before is None:
            self._call("put_item", **_put(self._table, item, "attribute_not_exists(PK)")["Put"])
        else:
            try:
                self._call("put_item", **_put(self._table, item, "version = :v", v=before.version)["Put"])
            except ConflictError as error:
                raise ConcurrentUpdateError(folder.id) from error

    def delete_folder(self, tenant_id: str, folder_id: str) -> None:
        self._call(
            "delete_item",
            TableName=self._table,
            Key=_key(_tenant(tenant_id), f"FOLDER#{folder_id}"),
            ConditionExpression="attribute_exists(PK)",
        )

    # ------------------------------------------------------------------ settings

    def get_ai_settings(self, tenant_id: str) -> dict[str, Any] | None:
        item = self._get(_tenant(tenant_id), "SETTINGS#AI")
        return _strip_keys(item) if item else None

    def save_ai_settings(self, tenant_id: str, settings: dict[str, Any]) -> None:
        item = {"PK": _tenant(tenant_id), "SK": "SETTINGS#AI", "type": "settings", **settings}
        self._call("put_item", TableName=self._table, Item=_marshal(item))

    # ------------------------------------------------------------------ mailbox sync

    def schedule_sync(self, state: SyncState) -> None:
        """Start following a mailbox (on creation): its sync is due at `next_sync_at`."""
        self._call("put_item", **_put(self._table, self._sync_item(state), "attribute_not_exists(PK)")["Put"])

    def get_sync_state(self, tenant_id: str, integration_id: str) -> SyncState | None:
        item = self._get(_tenant(tenant_id), f"SYNC#{integration_id}")
        return SyncState.model_validate(_strip_keys(item)) if item else None

    def mailboxes_due(self, now: datetime, limit: int = 1000) -> list[tuple[str, str]]:
        """(tenant, integration) of every mailbox whose sync is due, oldest first."""
        page = self._call(
            "query",
            TableName=self._table,
            IndexName="GSI1",
            Limit=limit,
            KeyConditionExpression="GSI1PK = :due AND activity <= :now",
            ExpressionAttributeValues={":due": {"S": "SYNC#DUE"}, ":now": {"S": f"{_stamp(now)}#~"}},
        )
        return [(i["tenant_id"]["S"], i["integration_id"]["S"]) for i in page.get("Items", [])]

    def reschedule_sync(self, tenant_id: str, integration_id: str, at: datetime) -> None:
        """Make a mailbox due at `at`, forgetting its failures' backoff."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=_key(_tenant(tenant_id), f"SYNC#{integration_id}"),
            UpdateExpression="SET next_sync_at = :at, activity = :due, failures = :zero",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues={
                ":at": {"S": at.isoformat()},
                ":due": {"S": f"{_stamp(at)}#{tenant_id}#{integration_id}"},
                ":zero": {"N": "0"},
            },
        )

    def acquire_sync_lease(
        self, tenant_id: str, integration_id: str, owner: str, now: datetime, until: datetime
    ) -> bool:
        """Take the mailbox for one run; False while another run holds an unexpired lease."""
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=_key(_tenant(tenant_id), f"SYNC#{integration_id}"),
                UpdateExpression="SET lease_owner = :owner, lease_until = :until, running = :true",
                ConditionExpression="attribute_exists(PK) AND "
                "(attribute_not_exists(lease_until) OR lease_until < :now)",
                ExpressionAttributeValues={
                    ":owner": {"S": owner},
                    ":until": {"S": _stamp(until)},
                    ":now": {"S": _stamp(now)},
                    ":true": {"BOOL": True},
                },
            )
        except ConflictError:
            return False
        return True

    def checkpoint_folder(
        self, tenant_id: str, integration_id: str, owner: str, folder: str, cursor: FolderCursor
    ) -> None:
        """Record how far a folder was read, only while this run still holds the lease."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=_key(_tenant(tenant_id), f"SYNC#{integration_id}"),
            UpdateExpression="SET folders.#folder = :cursor",
            ConditionExpression="lease_owner = :owner",
            ExpressionAttributeNames={"#folder": folder},
            ExpressionAttributeValues={
                ":cursor": _serializer.serialize(cursor.model_dump(mode="json")),
                ":owner": {"S": owner},
            },
        )

    def finish_sync(self, state: SyncState, owner: str) -> None:
        """Write the run's outcome and release the lease (if it is still ours)."""
        item = self._sync_item(state.model_copy(update={"lease_owner": None, "lease_until": None, "running": False}))
        self._call("put_item", **_put(self._table, item, "lease_owner = :owner", owner=owner)["Put"])

    def _sync_item(self, state: SyncState) -> dict[str, Any]:
        return {
            "PK": _tenant(state.tenant_id),
            "SK": f"SYNC#{state.integration_id}",
            "type": "sync",
            **state.model_dump(mode="json"),
            "GSI1PK": "SYNC#DUE",
            "activity": f"{_stamp(state.next_sync_at)}#{state.tenant_id}#{state.integration_id}",
        }

    # ------------------------------------------------------------------ contacts

    def find_contact(self, tenant_id: str, identities: Iterable[str]) -> Contact | None:
        for identity in identities:
            pointer = self._get(f"T#{tenant_id}#IDENTITY#{identity}", "IDENTITY")
            if pointer:
                return self.get_contact(tenant_id, pointer["contact_id"])
        return None

    def create_contact(self, contact: Contact, identities: list[str]) -> bool:
        """Create the contact and claim its identities; False if another writer claimed one first."""
        item = {
            "PK": f"T#{contact.tenant_id}#CONTACT#{contact.id}",
            "SK": "CONTACT",
            "type": "contact",
            **contact.model_dump(mode="json"),
        }
        writes = [_put(self._table, item)]
        for identity in identities:
            pointer = {
                "PK": f"T#{contact.tenant_id}#IDENTITY#{identity}",
                "SK": "IDENTITY",
                "type": "identity",
                "contact_id": contact.id,
            }
            writes.append(_put(self._table, pointer, "attribute_not_exists(PK)"))
        try:
            self._transact(writes)
        except _ConditionsFailedError:
            return False
        return True

    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None:
        item = self._get(f"T#{tenant_id}#CONTACT#{contact_id}", "CONTACT")
        return Contact.model_validate(_strip_keys(item)) if item else None

    # ------------------------------------------------------------------ ingest

    def get_delivery(self, tenant_id: str, integration_id: str, external_id: str) -> Delivery | None:
        item = self._get(self._delivery_pk(tenant_id, integration_id, external_id), "DELIVERY")
        if not item:
            return None
        received = item.get("received_at")
        return Delivery(
            item["message_id"], item["conversation_id"], datetime.fromisoformat(received) if received else None
        )

    def get_thread(self, tenant_id: str, integration_id: str, thread_key: str) -> str | None:
        item = self._get(self._thread_pk(tenant_id, integration_id, thread_key), "THREAD")
        return item["conversation_id"] if item else None

    def find_by_message_id(self, tenant_id: str, message_id: str) -> str | None:
        item = self._get(f"T#{tenant_id}#MSGID#{_digest(message_id)}", "MSGID")
        return item["conversation_id"] if item else None

    def commit_inbound(
        self,
        message: Message,
        before: Conversation | None,
        after: Conversation,
        thread_key: str | None,
        thread_was: str | None,
    ) -> None:
        """Store a message and its conversation's new state in one transaction.

        The delivery record makes a second delivery of the same provider id fail as a duplicate;
        the conversation's version and the thread pointer's expected value make a concurrent
        writer fail, so that the caller reads again and retries. The folder counters move in
        the same transaction, so they stay exact.
        """
        tenant = message.tenant_id
        delivery = {
            "PK": self._delivery_pk(tenant, message.integration_id, message.external_id or message.id),
            "SK": "DELIVERY",
            "type": "delivery",
            "external_id": message.external_id,
            "message_id": message.id,
            "conversation_id": message.conversation_id,
            "received_at": message.received_at.isoformat(),
        }
        # The message that points a thread key here remembers which pointer it wrote: the key is
        # not stored, and deleting the conversation must find the pointer without a Scan.
        points = thread_key is not None and thread_was != after.id
        thread_pk = self._thread_pk(tenant, message.integration_id, thread_key) if points else None
        writes = [
            _put(self._table, delivery, "attribute_not_exists(PK)"),
            _put(self._table, self._message_item(message) | {"thread_pk": thread_pk}, "attribute_not_exists(PK)"),
            self._conversation_write(before, after),
        ]
        if message.message_id:
            index = {
                "PK": f"T#{tenant}#MSGID#{_digest(message.message_id)}",
                "SK": "MSGID",
                "type": "msgid",
                "conversation_id": after.id,
                "message_id": message.id,
            }
            writes.append(_put(self._table, index))
        if thread_pk:
            pointer = {
                "PK": thread_pk,
                "SK": "THREAD",
                "type": "thread",
                "conversation_id": after.id,
            }
            if thread_was is None:
                writes.append(_put(self._table, pointer, "attribute_not_exists(PK)"))
            else:
                writes.append(_put(self._table, pointer, "conversation_id = :was", was=thread_was))
        writes += self._counter_writes(tenant, before, after)
        try:
            self._transact(writes)
        except _ConditionsFailedError as failed:
            if 0 in failed.indexes:
                raise DuplicateDeliveryError(message.external_id) from failed
            raise ConcurrentUpdateError(after.id) from failed

    def commit_outbound(self, message: Message, before: Conversation, after: Conversation) -> None:
        """Store a reply before it is sent. Its Message-ID is indexed, so the customer's answer
        threads back here, and recorded as delivered, so its copy in the Sent folder is not
        imported again as if a customer had written it."""
        writes = [
            _put(self._table, self._message_item(message), "attribute_not_exists(PK)"),
            self._conversation_write(before, after),
            *self._counter_writes(message.tenant_id, before, after),
        ]
        if message.message_id:
            writes += [
                _put(
                    self._table,
                    {
                        "PK": f"T#{message.tenant_id}#MSGID#{_digest(message.message_id)}",
                        "SK": "MSGID",
                        "type": "msgid",
                        "conversation_id": after.id,
                        "message_id": message.id,
                    },
                ),
                _put(
                    self._table,
                    {
                        "PK": self._delivery_pk(message.tenant_id, message.integration_id, message.message_id),
                        "SK": "DELIVERY",
                        "type": "delivery",
                        "external_id": message.message_id,
                        "message_id": message.id,
                        "conversation_id": after.id,
                    },
                ),
            ]
        try:
            self._transact(writes)
        except _ConditionsFailedError as failed:
            raise ConcurrentUpdateError(after.id) from failed

    def set_delivery(self, message: Message) -> None:
        """Record how sending went, on the stored message; with the provider's id for it, so that the
        provider's status webhooks find the message. Nothing is recorded for a message deleted with its
        conversation while it was being sent: an update would write it back as a fragment."""
        update = {
            "Update": {
                "TableName": self._table,
                "Key": _key(*self._message_key(message)),
                "UpdateExpression": (
                    "SET delivery = :state, delivery_error = :error, sent_at = :sent, provider_id = :pid"
                ),
                "ConditionExpression": "attribute_exists(PK)",
                "ExpressionAttributeValues": {
                    ":state": {"S": str(message.delivery)},
                    ":error": {"S": message.delivery_error} if message.delivery_error else {"NULL": True},
                    ":sent": {"S": message.sent_at.isoformat()} if message.sent_at else {"NULL": True},
                    ":pid": {"S": message.provider_id} if message.provider_id else {"NULL": True},
                },
            }
        }
        # A failed condition means the message is gone (its conversation deleted): nothing to record it on.
        if not message.provider_id:
            with suppress(ConflictError):
                self._call("update_item", **update["Update"])
            return
        pointer = {
            "PK": self._sent_pk(message.tenant_id, message.integration_id, message.provider_id),
            "SK": "SENT",
            "type": "sent",
            "conversation_id": message.conversation_id,
            "message_id": message.id,
            "received_at": message.received_at.isoformat(),
        }
        with suppress(_ConditionsFailedError):
            self._transact([update, _put(self._table, pointer)])

    def advance_delivery(
        self, tenant_id: str, integration_id: str, provider_id: str, state: DeliveryState, error: str | None
    ) -> bool | None:
        """Move a sent message's delivery forward to `state` (never back: statuses come out of order).
        None when no message of ours has this provider id; False when it was already as far."""
        pointer = self._get(self._sent_pk(tenant_id, integration_id, provider_id), "SENT")
        if pointer is None:
            return None
        earlier = [s for s in DeliveryState if s.rank < state.rank]
        values = {f":s{i}": {"S": str(s)} for i, s in enumerate(earlier)}
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=_key(
                    _conversation_pk(tenant_id, pointer["conversation_id"]),
                    f"MSG#{_stamp(datetime.fromisoformat(pointer['received_at']))}#{pointer['message_id']}",
                ),
                UpdateExpression="SET delivery = :state, delivery_error = :error",
                ConditionExpression=f"attribute_exists(PK) AND delivery IN ({', '.join(values)})",
                ExpressionAttributeValues={
                    **values,
                    ":state": {"S": str(state)},
                    ":error": {"S": error} if error else {"NULL": True},
                },
            )
        except ConflictError:
            return False
        return True

    def get_message(
        self, tenant_id: str, conversation_id: str, received_at: datetime, message_id: str
    ) -> Message | None:
        item = self._get(_conversation_pk(tenant_id, conversation_id), f"MSG#{_stamp(received_at)}#{message_id}")
        return Message.model_validate(_strip_keys(item)) if item else None

    def set_media(self, message: Message, attachments: list[Attachment], defects: list[str]) -> None:
        """The files fetched for a message, in place of the links it arrived with."""
        self._call(
            "update_item",
            TableName=self._table,
            Key=_key(*self._message_key(message)),
            UpdateExpression="SET attachments = :files, defects = :defects, pending_media = :none",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeValues={
                ":files": _serializer.serialize([a.model_dump(mode="json") for a in attachments]),
                ":defects": _serializer.serialize(defects),
                ":none": {"L": []},
            },
        )

    # ------------------------------------------------------------------ long SMS

    def add_sms_part(
        self, tenant_id: str, integration_id: str, group: str, part: SmsPartItem, stale_before: datetime
    ) -> list[SmsPartItem] | None:
        """Keep one part of a long SMS and return the parts of its group not assembled yet; None when
        another, recent message holds that part's place (a clash of the sender's reference numbers).
        A part delivered again is kept once; after its message was assembled, it is a duplicate."""
        pk = f"T#{tenant_id}#SMSPART#{integration_id}#{_digest(group)}"
        sk = f"PART#{part.number:03d}"
        item = {"PK": pk, "SK": sk, "type": "sms_part", **asdict(part)}
        item["expires_at"] = int(part.received_at.timestamp()) + 2 * 86_400
        item["received_at"] = part.received_at.isoformat()
        try:
            self._call(
                "put_item",
                **_put(
                    self._table,
                    item,
                    "attribute_not_exists(PK) OR (provider_id <> :id AND (assembled = :yes OR received_at < :stale))",
                    id=part.provider_id,
                    yes=True,
                    stale=stale_before.isoformat(),
                )["Put"],
            )
        except ConflictError:
            held = self._get(pk, sk) or {}
            if held.get("provider_id") != part.provider_id:
                return None
            if held.get("assembled"):
                raise DuplicateDeliveryError(part.provider_id, conversation_id=held.get("conversation_id")) from None
        return self.sms_parts(tenant_id, integration_id, group, stale_before)

    def sms_parts(self, tenant_id: str, integration_id: str, group: str, stale_before: datetime) -> list[SmsPartItem]:
        """The recent parts of a long SMS that no message holds yet."""
        pk = f"T#{tenant_id}#SMSPART#{integration_id}#{_digest(group)}"
        items = self._query_all(
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
            ConsistentRead=True,
        )
        parts = []
        for found in items:
            if found.get("assembled") or found["received_at"] < stale_before.isoformat():
                continue
            parts.append(
                SmsPartItem(
                    number=int(found["number"]),
                    provider_id=found["provider_id"],
                    text=found.get("text", ""),
                    received_at=datetime.fromisoformat(found["received_at"]),
                    raw_key=found.get("raw_key"),
                )
            )
        return parts

    def mark_sms_parts_assembled(
        self, tenant_id: str, integration_id: str, group: str, parts: list[SmsPartItem], conversation_id: str
    ) -> None:
        """The parts are in a message now: each keeps its id (a part delivered again is a duplicate)
        and the conversation it went to, not its text, which lives on only in the message (and goes
        when its conversation is deleted)."""
        pk = f"T#{tenant_id}#SMSPART#{integration_id}#{_digest(group)}"
        for part in parts:
            try:
                self._call(
                    "update_item",
                    TableName=self._table,
                    Key=_key(pk, f"PART#{part.number:03d}"),
                    UpdateExpression="SET assembled = :yes, conversation_id = :conversation REMOVE #text",
                    ConditionExpression="provider_id = :id",
                    ExpressionAttributeNames={"#text": "text"},
                    ExpressionAttributeValues={
                        ":yes": {"BOOL": True},
                        ":id": {"S": part.provider_id},
                        ":conversation": {"S": conversation_id},
                    },
                )
            except ConflictError:
                continue  # a newer message took the place: it is not ours to mark

    def count_inbound(self, tenant_id: str, day: str, channel: str, new_conversation: bool) -> None:
        """The day's statistics, outside the ingest transaction: every message of a tenant
        touches this item, and a transaction on it would collide with each concurrent one."""
        counters = {"messages_in": 1, f"messages_in_{channel}": 1}
        if new_conversation:
            counters["conversations_created"] = 1
        self._add_to_day(tenant_id, day, counters)

    # ------------------------------------------------------------------ classification

    def has_classification(self, tenant_id: str, conversation_id: str, message_id: str) -> bool:
        return self._get(_conversation_pk(tenant_id, conversation_id), f"DECISION#{message_id}") is not None

    def record_classification(
        self, decision: dict[str, Any], before: Conversation, after: Conversation, again: bool = False
    ) -> None:
        """The decision about one message and the conversation it changed, together. A decision
        already recorded for that message fails the write (DuplicateDeliveryError) unless `again`."""
        item = {
            "PK": _conversation_pk(after.tenant_id, after.id),
            "SK": f"DECISION#{decision['message_id']}",
            "type": "decision",
            **decision,
        }
        writes = [_put(self._table, item, None if again else "attribute_not_exists(PK)")]
        if after != before:
            writes += [self._conversation_write(before, after), *self._counter_writes(after.tenant_id, before, after)]
        else:  # the conversation must still be there: a decision written after its deletion would outlive it
            writes.append(self._conversation_exists(after.tenant_id, after.id))
        try:
            self._transact(writes)
        except _ConditionsFailedError as failed:
            if 0 in failed.indexes:
                raise DuplicateDeliveryError(decision["message_id"]) from failed
            raise ConcurrentUpdateError(after.id) from failed

    def count_classification(self, tenant_id: str, day: str, counters: dict[str, int]) -> None:
        """Decisions and corrections of the day, by decider and folder (AI accuracy)."""
        self._add_to_day(tenant_id, day, counters)

    def _add_to_day(self, tenant_id: str, day: str, counters: dict[str, int]) -> None:
        """Atomic ADDs to the day's statistics item."""
        names = {f"#c{i}": name for i, name in enumerate(counters)}
        values = {f":c{i}": {"N": str(value)} for i, value in enumerate(counters.values())}
        self._call(
            "update_item",
            TableName=self._table,
            Key=_key(f"T#{tenant_id}#STATS", f"DAY#{day}"),
            UpdateExpression="ADD " + ", ".join(f"#c{i} :c{i}" for i in range(len(counters))),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    # ------------------------------------------------------------------ conversations

    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None:
        item = self._get(_conversation_pk(tenant_id, conversation_id), "CONV")
        return Conversation.model_validate(_strip_keys(item)) if item else None

    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]:
        """The latest `limit` messages (oldest first), and a cursor to the earlier ones if any."""
        pk = _conversation_pk(tenant_id, conversation_id)
        query: dict[str, Any] = {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": pk}, ":prefix": {"S": "MSG#"}},
            "ScanIndexForward": False,
            "Limit": limit,
            "ConsistentRead": True,
        }
        if before:
            query["ExclusiveStartKey"] = _key(pk, _decode_message_cursor(before))
        page = self._call("query", TableName=self._table, **query)
        items = [_unmarshal(item) for item in page.get("Items", [])]
        messages = [Message.model_validate(_strip_keys(item)) for item in reversed(items)]
        earlier = items[-1]["SK"] if page.get("LastEvaluatedKey") and items else None
        return messages, _encode(earlier) if earlier else None

    def get_notes(self, tenant_id: str, conversation_id: str, limit: int = 200) -> list[Note]:
        page = self._call(
            "query",
            TableName=self._table,
            Limit=limit,
            ConsistentRead=True,
            ScanIndexForward=False,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={
                ":pk": {"S": _conversation_pk(tenant_id, conversation_id)},
                ":prefix": {"S": "NOTE#"},
            },
        )
        return [Note.model_validate(_strip_keys(_unmarshal(item))) for item in reversed(page.get("Items", []))]

    def save_conversation(self, before: Conversation, after: Conversation) -> None:
        """Write a changed conversation if nobody changed it since `before` was read."""
        try:
            self._transact(
                [self._conversation_write(before, after), *self._counter_writes(after.tenant_id, before, after)]
            )
        except _ConditionsFailedError as failed:
            raise ConcurrentUpdateError(after.id) from failed

    def delete_conversation(self, conversation: Conversation) -> None:
        """Take the conversation away in one transaction (if nobody changed it since it was read):
        its item goes, so every view and read stops showing it, its folder's counters follow, and a
        DELETING marker stays in its place until `conversation_remains` comes back empty, so that
        what it held (messages, notes, decisions, pointers, files) is removed in the background and
        a deletion cut short can be found and resumed."""
        t = conversation.tenant_id
        pk = _conversation_pk(t, conversation.id)
        remove = {
            "Delete": {
                "TableName": self._table,
                "Key": _key(pk, "CONV"),
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": {":version": {"N": str(conversation.version)}},
            }
        }
        marker = {
            "PK": pk,
            "SK": _DELETING,
            "type": "deleting",
            "tenant_id": t,
            "conversation_id": conversation.id,
            "deleted_at": _stamp(datetime.now(UTC)),
        }
        counters = [self._folder_write(t, delta) for delta in counter_deltas(conversation, None)]
        try:
            self._transact([remove, _put(self._table, marker), *counters])
        except _ConditionsFailedError as failed:
            raise ConcurrentUpdateError(conversation.id) from failed

    def deletion_pending(self, tenant_id: str, conversation_id: str) -> bool:
        """A conversation deleted whose remains are not all removed yet."""
        return self._get(_conversation_pk(tenant_id, conversation_id), _DELETING) is not None

    def conversation_remains(self, tenant_id: str, conversation_id: str, limit: int = 50) -> ConversationRemains:
        """The next `limit` items a deleted conversation still holds, with the files and pointers
        of its messages (read before the messages go: they are the only record of them)."""
        pk = _conversation_pk(tenant_id, conversation_id)
        page = self._call(
            "query",
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND SK > :marker",  # the marker sorts first: it goes last
            ExpressionAttributeValues={":pk": {"S": pk}, ":marker": {"S": _DELETING}},
            ConsistentRead=True,
            Limit=limit,
        )
        items = [_unmarshal(item) for item in page.get("Items", [])]
        blobs: list[str] = []
        pointers: list[_Pointer] = []
        for item in items:
            if item.get("type") != "message":
                continue
            message = Message.model_validate(_strip_keys(item))
            blobs += [k for k in (message.body_key, message.raw_key, *message.part_raw_keys) if k]
            blobs += [a.key for a in message.attachments]
            if message.external_id and message.direction is Direction.INBOUND:
                # What every try of its delivery wrote, even one whose stub does not point at it.
                named = delivery_blobs(tenant_id, message.channel, message.integration_id, message.external_id)
                blobs += [named.raw, named.body, named.attachments]
            pointers += self._pointers_of(message, item.get("thread_pk"))
        return ConversationRemains(
            tenant_id=tenant_id,
            conversation_id=conversation_id,
            item_keys=tuple((item["PK"], item["SK"]) for item in items),
            blob_keys=tuple(dict.fromkeys(blobs)),
            pointers=tuple(dict.fromkeys(pointers)),
        )

    def forget_remains(self, remains: ConversationRemains) -> None:
        """Drop the pointers to a page of remains, then the items themselves. A pointer that another
        conversation took over since is left to it; a delivery record stays, stripped of the
        provider's id and time, so a provider delivering the message again is still told it is a
        duplicate instead of bringing the conversation back. Everything is done or an error raised:
        nothing is dropped silently, and running it again is harmless."""
        mine = {":c": {"S": remains.conversation_id}}
        for pk, sk, action in remains.pointers:
            change: dict[str, Any] = {"TableName": self._table, "Key": _key(pk, sk)}
            change["ConditionExpression"] = "conversation_id = :c"
            try:
                if action == "strip":
                    self._call(
                        "update_item",
                        **change,
                        UpdateExpression="SET deleted = :yes REMOVE external_id, received_at",
                        ExpressionAttributeValues={**mine, ":yes": {"BOOL": True}},
                    )
                else:
                    self._call("delete_item", **change, ExpressionAttributeValues=mine)
            except ConflictError:
                continue  # gone already, or it leads to another conversation now
        for start in range(0, len(remains.item_keys), 25):  # batch_write_item takes at most 25
            requests = [{"DeleteRequest": {"Key": _key(pk, sk)}} for pk, sk in remains.item_keys[start : start + 25]]
            pending: dict[str, Any] = {self._table: requests}
            for attempt in range(_BATCH_ATTEMPTS):
                pending = self._call("batch_write_item", RequestItems=pending).get("UnprocessedItems") or {}
                if not pending:
                    break
                time.sleep(min(0.05 * 2**attempt, 1.0))  # DynamoDB left them unprocessed: it is throttling
            else:
                left = sum(len(requests) for requests in pending.values())
                raise TransientError(f"DynamoDB left {left} item(s) of a deleted conversation; try again")

    def finish_deletion(self, tenant_id: str, conversation_id: str) -> None:
        """The deleted conversation holds nothing any more: its marker goes last."""
        pk = _conversation_pk(tenant_id, conversation_id)
        self._call("delete_item", TableName=self._table, Key=_key(pk, _DELETING))

    def _pointers_of(self, message: Message, thread_pk: str | None) -> list[_Pointer]:
        """The items outside the conversation that name this message: what threads mail to it, what
        routes a provider's status to it, and the delivery records that deduplicate it."""
        t = message.tenant_id
        pointers = []
        if message.message_id:
            pointers.append((f"T#{t}#MSGID#{_digest(message.message_id)}", "MSGID", "delete"))
        if thread_pk:
            pointers.append((thread_pk, "THREAD", "delete"))
        if message.provider_id:
            pointers.append((self._sent_pk(t, message.integration_id, message.provider_id), "SENT", "delete"))
        # An inbound message is deduplicated by its provider's id; a reply of ours by its Message-ID.
        for seen in dict.fromkeys(filter(None, (message.external_id or message.id, message.message_id))):
            pointers.append((self._delivery_pk(t, message.integration_id, seen), "DELIVERY", "strip"))
        return pointers

    def add_note(self, note: Note) -> None:
        item = {
            "PK": _conversation_pk(note.tenant_id, note.conversation_id),
            "SK": f"NOTE#{_stamp(note.created_at)}#{note.id}",
            "type": "note",
            **note.model_dump(mode="json"),
        }
        try:
            self._transact(
                [
                    _put(self._table, item, "attribute_not_exists(PK)"),
                    # With its conversation only: a note added as it is deleted would outlive it.
                    self._conversation_exists(note.tenant_id, note.conversation_id),
                ]
            )
        except _ConditionsFailedError as failed:
            if 1 in failed.indexes:
                raise NotFoundError(f"conversation {note.conversation_id}") from failed
            raise

    def _conversation_exists(self, tenant_id: str, conversation_id: str) -> dict[str, Any]:
        return {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": _key(_conversation_pk(tenant_id, conversation_id), "CONV"),
                "ConditionExpression": "attribute_exists(PK)",
            }
        }

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
        t = _tenant(tenant_id)
        index, partition = next(
            ((index, f"{t}#{name}#{wanted[attribute]}") for index, name, attribute in _VIEWS if wanted[attribute]),
            ("GSI1", f"{t}#CONVS"),
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
        start = _decode_list_cursor(cursor, tenant_id, index, partition) if cursor else None
        found: list[Conversation] = []
        for _ in range(MAX_QUERY_ROUNDS):
            if start:
                query["ExclusiveStartKey"] = start
            page = self._call("query", TableName=self._table, Limit=limit - len(found), **query)
            found += [Conversation.model_validate(_strip_keys(_unmarshal(i))) for i in page.get("Items", [])]
            start = page.get("LastEvaluatedKey")
            if not start or len(found) >= limit:
                break
        return found, _encode(start) if start else None

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

    def stats_between(self, tenant_id: str, first_day: str, last_day: str) -> dict[str, dict[str, int]]:
        """The day counters from `first_day` to `last_day` (ISO dates), in one Query."""
        items = self._query_all(
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": {"S": f"T#{tenant_id}#STATS"},
                ":first": {"S": f"DAY#{first_day}"},
                ":last": {"S": f"DAY#{last_day}"},
            },
        )
        return {item["SK"].removeprefix("DAY#"): {k: int(v) for k, v in _strip_keys(item).items()} for item in items}

    def day_stats(self, tenant_id: str, day: str) -> dict[str, int]:
        item = self._get(f"T#{tenant_id}#STATS", f"DAY#{day}") or {}
        return {k: int(v) for k, v in _strip_keys(item).items()}

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _delivery_pk(tenant_id: str, integration_id: str, external_id: str) -> str:
        return f"T#{tenant_id}#DELIVERY#{integration_id}#{_digest(external_id)}"

    @staticmethod
    def _sent_pk(tenant_id: str, integration_id: str, provider_id: str) -> str:
        return f"T#{tenant_id}#SENT#{integration_id}#{_digest(provider_id)}"

    @staticmethod
    def _thread_pk(tenant_id: str, integration_id: str, thread_key: str) -> str:
        return f"T#{tenant_id}#THREAD#{integration_id}#{_digest(thread_key)}"

    @staticmethod
    def _message_key(message: Message) -> tuple[str, str]:
        return (
            _conversation_pk(message.tenant_id, message.conversation_id),
            f"MSG#{_stamp(message.received_at)}#{message.id}",
        )

    @staticmethod
    def _message_item(message: Message) -> dict[str, Any]:
        pk, sk = InboxStore._message_key(message)
        return {"PK": pk, "SK": sk, "type": "message", **message.model_dump(mode="json")}

    def _conversation_write(self, before: Conversation | None, after: Conversation) -> dict[str, Any]:
        t = _tenant(after.tenant_id)
        assignee = after.assignee_id or "none"
        item = {
            "PK": _conversation_pk(after.tenant_id, after.id),
            "SK": "CONV",
            "type": "conversation",
            **after.model_dump(mode="json"),
            "version": (before.version + 1) if before else 1,
            "folder_key": view_folder(after),
            "assignee_key": assignee,
            "activity": f"{_stamp(after.last_activity_at)}#{after.id}",
            "GSI1PK": f"{t}#CONVS",
            "GSI2PK": f"{t}#FOLDER#{view_folder(after)}",
            "GSI3PK": f"{t}#STATUS#{after.status}",
            "GSI4PK": f"{t}#ASSIGNEE#{assignee}",
            "GSI5PK": f"{t}#CONTACT#{after.contact_id}",
            "GSI6PK": f"{t}#CHANNEL#{after.channel}",
        }
        if before is None:
            return _put(self._table, item, "attribute_not_exists(PK)")
        return _put(self._table, item, "version = :version", version=before.version)

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
        """One transaction; its cancellation reasons become our errors (DynamoDB reports the cause
        of a cancelled transaction per item, never in the top-level error code)."""
        try:
            self._client.transact_write_items(TransactItems=writes)
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
                raise _ConditionsFailedError(failed) from error
            raise

    def _call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._client, operation)(**kwargs)
        except ClientError as error:
            raise _provider_error(operation, error) from error


def _provider_error(operation: str, error: ClientError) -> Exception:
    code = error.response["Error"]["Code"]
    if code == "ConditionalCheckFailedException":
        return ConflictError("the item exists already or was changed")
    if code in _THROTTLED:
        return TransientError(f"DynamoDB {operation}: {code}")
    if code == "ValidationException" and "size" in error.response["Error"].get("Message", ""):
        return PermanentError(f"DynamoDB {operation}: an item is over the 400 KB limit")
    return error  # anything else is our bug: let it be a 500 with its trace


def _encode(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return None


def _decode_list_cursor(cursor: str, tenant_id: str, index: str, partition: str) -> dict[str, Any]:
    """A cursor only continues the query it came from: another view, tenant or shape is refused."""
    key = _decode(cursor)
    valid = (
        isinstance(key, dict)
        and set(key) == {"PK", "SK", "activity", f"{index}PK"}
        and all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in key.values())
        and key[f"{index}PK"]["S"] == partition
        and key["PK"]["S"].startswith(f"{_tenant(tenant_id)}#CONV#")
        and key["SK"]["S"] == "CONV"
    )
    if not valid:
        raise InvalidInputError("cursor", "does not continue this list")
    return key


def _decode_message_cursor(cursor: str) -> str:
    sort_key = _decode(cursor)
    if not (isinstance(sort_key, str) and sort_key.startswith("MSG#") and len(sort_key) < 200):
        raise InvalidInputError("before", "does not continue this conversation")
    return sort_key
