"""Follow-ups (issue 13, item 6): each under its conversation (`FOLLOWUP#id`), and, while it is still
to fire, in its creator's list of scheduled follow-ups (GSI1, by due time).

Stored form: a follow-up's item is the FollowUp under its keys and the GSI1 attributes of
FollowUpItem while it is scheduled; every write checks and bumps its version, so a fire claims it
once however often its schedule invokes the function."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import (
    ConditionsFailedError,
    Table,
    fields_of,
    item_of,
    key,
    put,
)
from inbox.errors import ConcurrentUpdateError, NotFoundError
from inbox.models.follow_up import FollowUp, FollowUpState

MAX_PER_CONVERSATION = 200  # a conversation's follow-ups listed at most (newest first)


@dataclass(frozen=True)
class FollowUpItem:
    """GSI1 while scheduled (sparse afterwards): the creator's list, soonest first."""

    TYPE: ClassVar[str] = "follow_up"

    GSI1PK: str | None = None
    activity: str | None = None

    @classmethod
    def of(cls, follow_up: FollowUp, version: int) -> dict[str, Any]:
        t = follow_up.tenant_id
        listed = follow_up.state is FollowUpState.SCHEDULED
        record = cls(
            GSI1PK=keys.scheduled_follow_ups_pk(t, follow_up.created_by) if listed else None,
            activity=keys.follow_up_due(follow_up.due_at, follow_up.id) if listed else None,
        )
        stored = follow_up.model_copy(update={"version": version})
        beyond = {name: value for name, value in asdict(record).items() if value is not None}
        pk = keys.conversation_pk(t, follow_up.conversation_id)
        return item_of(pk, keys.follow_up_sk(follow_up.id), cls.TYPE, stored, beyond)

    @classmethod
    def read(cls, item: dict[str, Any]) -> FollowUp:
        return FollowUp.model_validate(fields_of(item, cls))


class FollowUpStore(Table):
    def create_follow_up(self, follow_up: FollowUp) -> FollowUp:
        """Store a new follow-up, with its conversation only (one being deleted would outlive it)."""
        item = FollowUpItem.of(follow_up, version=1)
        exists = {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": key(keys.conversation_pk(follow_up.tenant_id, follow_up.conversation_id), keys.CONVERSATION),
                "ConditionExpression": "attribute_exists(PK)",
            }
        }
        try:
            self._transact([put(self._table, item, "attribute_not_exists(PK)"), exists])
        except ConditionsFailedError as failed:
            if 1 in failed.indexes:
                raise NotFoundError(f"conversation {follow_up.conversation_id}") from failed
            raise
        return follow_up.model_copy(update={"version": 1})

    def get_follow_up(self, tenant_id: str, conversation_id: str, follow_up_id: str) -> FollowUp | None:
        item = self._get(keys.conversation_pk(tenant_id, conversation_id), keys.follow_up_sk(follow_up_id))
        return FollowUpItem.read(item) if item else None

    def save_follow_up(self, before: FollowUp, after: FollowUp) -> FollowUp:
        """Write `after` if nobody changed the follow-up since `before` was read (ConcurrentUpdateError
        otherwise): a state moves once."""
        item = FollowUpItem.of(after, version=before.version + 1)
        try:
            self._transact([put(self._table, item, "version = :version", version=before.version)])
        except ConditionsFailedError as failed:
            raise ConcurrentUpdateError(f"follow-up {after.id}") from failed
        return after.model_copy(update={"version": before.version + 1})

    def list_follow_ups(self, tenant_id: str, conversation_id: str) -> list[FollowUp]:
        """A conversation's follow-ups, newest first (ids sort by creation)."""
        pk = keys.conversation_pk(tenant_id, conversation_id)
        items = self._first_with_prefix(pk, keys.FOLLOW_UP_PREFIX, MAX_PER_CONVERSATION, newest_first=True)
        return [FollowUpItem.read(item) for item in items]

    def scheduled_follow_ups(
        self, tenant_id: str, user_id: str, limit: int, cursor: str | None = None
    ) -> tuple[list[FollowUp], str | None]:
        """The follow-ups a person scheduled that are still to fire, soonest first."""
        partition = keys.scheduled_follow_ups_pk(tenant_id, user_id)
        prefix = keys.conversation_pk_prefix(tenant_id)
        items, next_cursor = self._item_list_page(partition, prefix, keys.FOLLOW_UP_PREFIX, limit, cursor)
        return [FollowUpItem.read(item) for item in items], next_cursor
