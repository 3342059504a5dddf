"""Deliveries: the one ingest transaction (a message, its conversation, its dedupe record, its
threading pointers and the folder counters), a reply stored before it is sent, and how sending
went. The pointers that find a conversation again (thread key, Message-ID) are read here too.

Stored forms: a delivery record is no domain model's (DeliveryItem declares it, and reads it as
the Delivery it tells of); the pointers (THREAD, MSGID, SENT) hold ids only, each built below."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationStore, MessageItem
from inbox.adapters.dynamodb.table import ConditionsFailedError, key, put
from inbox.errors import ConcurrentUpdateError, ConflictError, DuplicateDeliveryError
from inbox.models import Conversation, Delivery, DeliveryState, Message


@dataclass(frozen=True)
class DeliveryItem:
    """A provider's id for a message, seen once (dedupe), and where the message went. Its key is the
    id (hashed), under which a reply of ours is recorded too, by its Message-ID. `received_at` (of
    an inbound message) finds the message item; a deleted conversation's record loses it and
    `external_id` and is marked `deleted` (DeletionStore.forget_remains), and still deduplicates."""

    TYPE: ClassVar[str] = "delivery"

    external_id: str | None
    message_id: str
    conversation_id: str
    received_at: datetime | None = None

    def item(self, pk: str) -> dict[str, Any]:
        return {
            "PK": pk,
            "SK": keys.DELIVERY,
            "type": self.TYPE,
            "external_id": self.external_id,
            "message_id": self.message_id,
            "conversation_id": self.conversation_id,
            "received_at": self.received_at.isoformat() if self.received_at else None,
        }

    @staticmethod
    def read(item: dict[str, Any]) -> Delivery:
        received = item.get("received_at")
        return Delivery(
            item["message_id"], item["conversation_id"], datetime.fromisoformat(received) if received else None
        )


class DeliveryStore(ConversationStore):
    def get_delivery(self, tenant_id: str, integration_id: str, external_id: str) -> Delivery | None:
        item = self._get(keys.delivery_pk(tenant_id, integration_id, external_id), keys.DELIVERY)
        return DeliveryItem.read(item) if item else None

    def get_thread(self, tenant_id: str, integration_id: str, thread_key: str) -> str | None:
        item = self._get(keys.thread_pk(tenant_id, integration_id, thread_key), keys.THREAD)
        return item["conversation_id"] if item else None

    def find_by_message_id(self, tenant_id: str, message_id: str) -> str | None:
        item = self._get(keys.msgid_pk(tenant_id, message_id), keys.MSGID)
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
        delivery = DeliveryItem(message.external_id, message.id, message.conversation_id, message.received_at).item(
            keys.delivery_pk(tenant, message.integration_id, message.external_id or message.id)
        )
        # The message that points a thread key here remembers which pointer it wrote: the key is
        # not stored, and deleting the conversation must find the pointer without a Scan.
        points = thread_key is not None and thread_was != after.id
        thread_pk = keys.thread_pk(tenant, message.integration_id, thread_key) if points else None
        writes = [
            put(self._table, delivery, "attribute_not_exists(PK)"),
            put(self._table, MessageItem.of(message, thread_pk), "attribute_not_exists(PK)"),
            self._conversation_write(before, after),
        ]
        if message.message_id:
            writes.append(put(self._table, self._msgid_item(message, after.id)))
        if thread_pk:
            pointer = {
                "PK": thread_pk,
                "SK": keys.THREAD,
                "type": "thread",
                "conversation_id": after.id,
            }
            if thread_was is None:
                writes.append(put(self._table, pointer, "attribute_not_exists(PK)"))
            else:
                writes.append(put(self._table, pointer, "conversation_id = :was", was=thread_was))
        writes += self._counter_writes(tenant, before, after)
        try:
            self._transact(writes)
        except ConditionsFailedError as failed:
            if 0 in failed.indexes:
                raise DuplicateDeliveryError(message.external_id) from failed
            raise ConcurrentUpdateError(after.id) from failed

    def commit_outbound(self, message: Message, before: Conversation, after: Conversation) -> None:
        """Store a reply before it is sent. Its Message-ID is indexed, so the customer's answer
        threads back here, and recorded as delivered, so its copy in the Sent folder is not
        imported again as if a customer had written it."""
        writes = [
            put(self._table, MessageItem.of(message), "attribute_not_exists(PK)"),
            self._conversation_write(before, after),
            *self._counter_writes(message.tenant_id, before, after),
        ]
        if message.message_id:
            writes += [
                put(self._table, self._msgid_item(message, after.id)),
                put(
                    self._table,
                    DeliveryItem(message.message_id, message.id, after.id).item(
                        keys.delivery_pk(message.tenant_id, message.integration_id, message.message_id)
                    ),
                ),
            ]
        try:
            self._transact(writes)
        except ConditionsFailedError as failed:
            raise ConcurrentUpdateError(after.id) from failed

    @staticmethod
    def _msgid_item(message: Message, conversation_id: str) -> dict[str, Any]:
        """An email Message-ID -> its conversation (threading)."""
        return {
            "PK": keys.msgid_pk(message.tenant_id, message.message_id or ""),
            "SK": keys.MSGID,
            "type": "msgid",
            "conversation_id": conversation_id,
            "message_id": message.id,
        }

    def set_delivery(self, message: Message) -> None:
        """Record how sending went, on the stored message; with the provider's id for it, so that the
        provider's status webhooks find the message. Nothing is recorded for a message deleted with its
        conversation while it was being sent: an update would write it back as a fragment."""
        update = {
            "Update": {
                "TableName": self._table,
                "Key": key(*MessageItem.primary_key(message)),
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
            "PK": keys.sent_pk(message.tenant_id, message.integration_id, message.provider_id),
            "SK": keys.SENT,
            "type": "sent",
            "conversation_id": message.conversation_id,
            "message_id": message.id,
            "received_at": message.received_at.isoformat(),
        }
        with suppress(ConditionsFailedError):
            self._transact([update, put(self._table, pointer)])

    def advance_delivery(
        self, tenant_id: str, integration_id: str, provider_id: str, state: DeliveryState, error: str | None
    ) -> bool | None:
        """Move a sent message's delivery forward to `state` (never back: statuses come out of order).
        None when no message of ours has this provider id; False when it was already as far."""
        pointer = self._get(keys.sent_pk(tenant_id, integration_id, provider_id), keys.SENT)
        if pointer is None:
            return None
        earlier = [s for s in DeliveryState if s.rank < state.rank]
        values = {f":s{i}": {"S": str(s)} for i, s in enumerate(earlier)}
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=key(
                    keys.conversation_pk(tenant_id, pointer["conversation_id"]),
                    keys.message_sk(datetime.fromisoformat(pointer["received_at"]), pointer["message_id"]),
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
