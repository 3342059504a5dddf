"""A deleted conversation's remains: the conversation goes in one transaction and a marker takes
its place; its messages, notes, decisions, the pointers that name them and their files are then
removed page by page in the background, and the marker goes last.

Stored forms: the DELETING marker is no domain model's, and only its presence is read; the
remains are read by their type (conversations.MessageItem for the messages, and the tasks,
follow-ups and nudge for the pointers and one-time schedules they leave behind)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Literal

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationStore, MessageItem
from inbox.adapters.dynamodb.follow_ups import FollowUpItem
from inbox.adapters.dynamodb.nudges import NUDGE_TYPE
from inbox.adapters.dynamodb.table import ConditionsFailedError, fields_of, key, put, unmarshal
from inbox.adapters.dynamodb.tasks import TaskItem
from inbox.domain.blob_keys import delivery_blobs
from inbox.errors import ConcurrentUpdateError, ConflictError, TransientError
from inbox.models import Conversation, ConversationRemains, Direction, Message
from inbox.models.follow_up import FollowUpState
from inbox.models.nudge import NudgeState

_BATCH_ATTEMPTS = 8  # rounds of a batch write's unprocessed items before the caller is told
type _Pointer = tuple[str, str, Literal["delete", "strip"]]  # an item naming a deleted conversation's message


class DeletionStore(ConversationStore):
    def delete_conversation(self, conversation: Conversation) -> None:
        """Take the conversation away in one transaction (if nobody changed it since it was read):
        its item goes, so every view and read stops showing it, its folder's counters follow, and a
        DELETING marker stays in its place until `conversation_remains` comes back empty, so that
        what it held (messages, notes, decisions, pointers, files) is removed in the background and
        a deletion cut short can be found and resumed."""
        t = conversation.tenant_id
        pk = keys.conversation_pk(t, conversation.id)
        remove = {
            "Delete": {
                "TableName": self._table,
                "Key": key(pk, keys.CONVERSATION),
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": {":version": {"N": str(conversation.version)}},
            }
        }
        marker = {
            "PK": pk,
            "SK": keys.DELETING,
            "type": "deleting",
            "tenant_id": t,
            "conversation_id": conversation.id,
            "deleted_at": keys.stamp(datetime.now(UTC)),
        }
        counters = self._counter_writes(t, conversation, None)
        try:
            self._transact([remove, put(self._table, marker), *counters])
        except ConditionsFailedError as failed:
            raise ConcurrentUpdateError(conversation.id) from failed

    def deletion_pending(self, tenant_id: str, conversation_id: str) -> bool:
        """A conversation deleted whose remains are not all removed yet."""
        return self._get(keys.conversation_pk(tenant_id, conversation_id), keys.DELETING) is not None

    def conversation_remains(self, tenant_id: str, conversation_id: str, limit: int = 50) -> ConversationRemains:
        """The next `limit` items a deleted conversation still holds, with the files and pointers
        of its messages (read before the messages go: they are the only record of them)."""
        pk = keys.conversation_pk(tenant_id, conversation_id)
        page = self._call(
            "query",
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND SK > :marker",  # the marker sorts first: it goes last
            ExpressionAttributeValues={":pk": {"S": pk}, ":marker": {"S": keys.DELETING}},
            ConsistentRead=True,
            Limit=limit,
        )
        items = [unmarshal(item) for item in page.get("Items", [])]
        blobs: list[str] = []
        pointers: list[_Pointer] = []
        task_ids: list[str] = []
        follow_up_ids: list[str] = []
        nudge: NudgeState | None = None
        for item in items:
            kind = item.get("type")
            if kind == TaskItem.TYPE:
                task = TaskItem.read(item)
                pointers.append((keys.task_ref_pk(tenant_id, task.id), keys.TASK_REF, "delete"))
                if not task.done:
                    task_ids.append(task.id)
            elif kind == FollowUpItem.TYPE:
                follow_up = FollowUpItem.read(item)
                if follow_up.state in (FollowUpState.SCHEDULED, FollowUpState.FIRING):
                    follow_up_ids.append(follow_up.id)
            elif kind == NUDGE_TYPE:
                nudge = NudgeState.model_validate(fields_of(item))
            if kind != MessageItem.TYPE:
                continue
            message = MessageItem.read(item)
            blobs += [k for k in (message.body_key, message.raw_key, *message.part_raw_keys) if k]
            blobs += [a.key for a in message.attachments]
            if message.external_id and message.direction is Direction.INBOUND:
                # What every try of its delivery wrote, even one whose stub does not point at it.
                named = delivery_blobs(tenant_id, message.channel, message.integration_id, message.external_id)
                blobs += [named.raw, named.body, named.attachments]
            pointers += self._pointers_of(message, MessageItem.thread_pointer(item))
        return ConversationRemains(
            tenant_id=tenant_id,
            conversation_id=conversation_id,
            item_keys=tuple((item["PK"], item["SK"]) for item in items),
            blob_keys=tuple(dict.fromkeys(blobs)),
            pointers=tuple(dict.fromkeys(pointers)),
            task_ids=tuple(task_ids),
            follow_up_ids=tuple(follow_up_ids),
            nudge=nudge,
        )

    def forget_remains(self, remains: ConversationRemains) -> None:
        """Drop the pointers to a page of remains, then the items themselves. A pointer that another
        conversation took over since is left to it; a delivery record stays, stripped of the
        provider's id and time, so a provider delivering the message again is still told it is a
        duplicate instead of bringing the conversation back. Everything is done or an error raised:
        nothing is dropped silently, and running it again is harmless."""
        mine = {":c": {"S": remains.conversation_id}}
        for pk, sk, action in remains.pointers:
            change: dict[str, Any] = {"TableName": self._table, "Key": key(pk, sk)}
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
            requests = [{"DeleteRequest": {"Key": key(pk, sk)}} for pk, sk in remains.item_keys[start : start + 25]]
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
        pk = keys.conversation_pk(tenant_id, conversation_id)
        self._call("delete_item", TableName=self._table, Key=key(pk, keys.DELETING))

    @staticmethod
    def _pointers_of(message: Message, thread_pk: str | None) -> list[_Pointer]:
        """The items outside the conversation that name this message: what threads mail to it, what
        routes a provider's status to it, and the delivery records that deduplicate it."""
        t = message.tenant_id
        pointers: list[_Pointer] = []
        if message.message_id:
            pointers.append((keys.msgid_pk(t, message.message_id), keys.MSGID, "delete"))
        if thread_pk:
            pointers.append((thread_pk, keys.THREAD, "delete"))
        if message.provider_id:
            pointers.append((keys.sent_pk(t, message.integration_id, message.provider_id), keys.SENT, "delete"))
        # An inbound message is deduplicated by its provider's id; a reply of ours by its Message-ID.
        for seen in dict.fromkeys(filter(None, (message.external_id or message.id, message.message_id))):
            pointers.append((keys.delivery_pk(t, message.integration_id, seen), keys.DELIVERY, "strip"))
        return pointers
