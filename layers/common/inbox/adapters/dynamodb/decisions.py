"""Decisions: how a message was classified, recorded once per message together with the change
it made to its conversation.

Stored form: a decision's item is the classifier's record of it (a dict) under its keys, nothing
more; it is only ever checked for, never read back."""

from __future__ import annotations

from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationStore
from inbox.adapters.dynamodb.table import ConditionsFailedError, put
from inbox.errors import ConcurrentUpdateError, DuplicateDeliveryError
from inbox.models import Conversation


class DecisionStore(ConversationStore):
    def has_classification(self, tenant_id: str, conversation_id: str, message_id: str) -> bool:
        return self._get(keys.conversation_pk(tenant_id, conversation_id), keys.decision_sk(message_id)) is not None

    def record_classification(
        self, decision: dict[str, Any], before: Conversation, after: Conversation, again: bool = False
    ) -> None:
        """The decision about one message and the conversation it changed, together. A decision
        already recorded for that message fails the write (DuplicateDeliveryError) unless `again`."""
        item = {
            "PK": keys.conversation_pk(after.tenant_id, after.id),
            "SK": keys.decision_sk(decision["message_id"]),
            "type": "decision",
            **decision,
        }
        writes = [put(self._table, item, None if again else "attribute_not_exists(PK)")]
        if after != before:
            writes += [self._conversation_write(before, after), *self._counter_writes(after.tenant_id, before, after)]
        else:  # the conversation must still be there: a decision written after its deletion would outlive it
            writes.append(self._conversation_exists(after.tenant_id, after.id))
        try:
            self._transact(writes)
        except ConditionsFailedError as failed:
            if 0 in failed.indexes:
                raise DuplicateDeliveryError(decision["message_id"]) from failed
            raise ConcurrentUpdateError(after.id) from failed
