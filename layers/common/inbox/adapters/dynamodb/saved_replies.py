"""Saved replies (issue 16, item 4), all of a tenant's in one partition: the team's under `TEAM#id`,
a person's own under `USER#<owner>#id`, so a person's read names its owner in the key and can never
reach another person's.

Stored form: a saved reply's item is the SavedReply under its keys, nothing more."""

from __future__ import annotations

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, key, put
from inbox.errors import ConflictError, NotFoundError
from inbox.models.saved_reply import SavedReply, SavedReplyScope

SAVED_REPLY_TYPE = "saved_reply"


def _sk(reply: SavedReply) -> str:
    if reply.scope is SavedReplyScope.TEAM:
        return keys.saved_team_reply_sk(reply.id)
    return keys.saved_personal_reply_sk(reply.owner_id, reply.id)


class SavedReplyStore(Table):
    def team_replies(self, tenant_id: str) -> list[SavedReply]:
        items = self._query_prefix(keys.saved_replies_pk(tenant_id), keys.SAVED_TEAM_PREFIX, ConsistentRead=True)
        return [SavedReply.model_validate(fields_of(item)) for item in items]

    def personal_replies(self, tenant_id: str, user_id: str) -> list[SavedReply]:
        prefix = keys.saved_personal_prefix(user_id)
        items = self._query_prefix(keys.saved_replies_pk(tenant_id), prefix, ConsistentRead=True)
        return [SavedReply.model_validate(fields_of(item)) for item in items]

    def get_saved_reply(self, tenant_id: str, user_id: str, reply_id: str) -> SavedReply | None:
        """The team's reply `reply_id`, else `user_id`'s own; never another person's."""
        pk = keys.saved_replies_pk(tenant_id)
        item = self._get(pk, keys.saved_team_reply_sk(reply_id)) or self._get(
            pk, keys.saved_personal_reply_sk(user_id, reply_id)
        )
        return SavedReply.model_validate(fields_of(item)) if item else None

    def create_saved_reply(self, reply: SavedReply) -> None:
        item = item_of(keys.saved_replies_pk(reply.tenant_id), _sk(reply), SAVED_REPLY_TYPE, reply)
        self._call("put_item", **put(self._table, item, "attribute_not_exists(PK)")["Put"])

    def replace_saved_reply(self, reply: SavedReply) -> None:
        """Write a changed reply; one deleted meanwhile is not brought back."""
        item = item_of(keys.saved_replies_pk(reply.tenant_id), _sk(reply), SAVED_REPLY_TYPE, reply)
        try:
            self._call("put_item", **put(self._table, item, "attribute_exists(PK)")["Put"])
        except ConflictError as error:
            raise NotFoundError(f"saved reply {reply.id}") from error

    def delete_saved_reply(self, reply: SavedReply) -> None:
        self._call("delete_item", TableName=self._table, Key=key(keys.saved_replies_pk(reply.tenant_id), _sk(reply)))
