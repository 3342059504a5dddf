"""The tenant's business hours and each conversation's nudge state (issue 13, item 6).

Stored forms: SETTINGS#BUSINESS_HOURS under the tenant is the StoredBusinessHours, nothing more;
NUDGE under a conversation is the NudgeState, nothing more (removed with its conversation)."""

from __future__ import annotations

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, key, put
from inbox.errors import ConflictError
from inbox.models.business_hours import StoredBusinessHours
from inbox.models.nudge import NudgeState

NUDGE_TYPE = "nudge"  # the item `type` of a conversation's nudge state


class NudgeStore(Table):
    def get_business_hours(self, tenant_id: str) -> StoredBusinessHours | None:
        item = self._get(keys.tenant(tenant_id), keys.BUSINESS_HOURS)
        return StoredBusinessHours.model_validate(fields_of(item)) if item else None

    def save_business_hours(self, tenant_id: str, hours: StoredBusinessHours) -> None:
        item = item_of(keys.tenant(tenant_id), keys.BUSINESS_HOURS, "business_hours", hours)
        self._call("put_item", **put(self._table, item)["Put"])

    def get_nudge(self, tenant_id: str, conversation_id: str) -> NudgeState | None:
        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.NUDGE)
        return NudgeState.model_validate(fields_of(item)) if item else None

    def save_nudge(self, state: NudgeState) -> None:
        item = item_of(keys.conversation_pk(state.tenant_id, state.conversation_id), keys.NUDGE, NUDGE_TYPE, state)
        self._call("put_item", **put(self._table, item)["Put"])

    def claim_nudge(self, state: NudgeState) -> bool:
        """Count one more nudge for `state`'s reply, if nobody did since it was read: of two fires of
        one job, one alone goes on to send."""
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=key(keys.conversation_pk(state.tenant_id, state.conversation_id), keys.NUDGE),
                UpdateExpression="SET #sent = :next",
                ConditionExpression="#reply = :reply AND #sent = :sent",
                ExpressionAttributeNames={"#sent": "sent", "#reply": "reply_id"},
                ExpressionAttributeValues={
                    ":next": {"N": str(state.sent + 1)},
                    ":sent": {"N": str(state.sent)},
                    ":reply": {"S": state.reply_id},
                },
            )
        except ConflictError:
            return False
        return True

    def move_nudge(self, state: NudgeState, schedule: str) -> bool:
        """Record that `state`'s nudge is now fired by the schedule `schedule`, if the state is still
        about the same reply and count (a newer reply's state is left alone); whether it was."""
        try:
            self._call(
                "update_item",
                TableName=self._table,
                Key=key(keys.conversation_pk(state.tenant_id, state.conversation_id), keys.NUDGE),
                UpdateExpression="SET #schedule = :schedule",
                ConditionExpression="#reply = :reply AND #sent = :sent",
                ExpressionAttributeNames={"#schedule": "schedule", "#sent": "sent", "#reply": "reply_id"},
                ExpressionAttributeValues={
                    ":schedule": {"S": schedule},
                    ":sent": {"N": str(state.sent)},
                    ":reply": {"S": state.reply_id},
                },
            )
        except ConflictError:
            return False
        return True

    def end_nudge(self, tenant_id: str, conversation_id: str, reply_id: str | None = None) -> bool:
        """Remove the state (only while it is about `reply_id`, when given); whether this call removed it."""
        condition = {"ConditionExpression": "attribute_exists(PK)"}
        if reply_id is not None:
            condition = {
                "ConditionExpression": "#reply = :reply",
                "ExpressionAttributeNames": {"#reply": "reply_id"},
                "ExpressionAttributeValues": {":reply": {"S": reply_id}},
            }
        try:
            self._call(
                "delete_item",
                TableName=self._table,
                Key=key(keys.conversation_pk(tenant_id, conversation_id), keys.NUDGE),
                **condition,
            )
        except ConflictError:
            return False
        return True
