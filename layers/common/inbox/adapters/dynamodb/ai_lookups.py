"""The AI's lookups in the table (issue 16, item 1): a tenant's lookups in one partition
(keys.ai_lookups_pk), each the AiLookup under its keys and nothing more (its secret sealed)."""

from __future__ import annotations

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, key, marshal, put
from inbox.errors import ConflictError, NotFoundError
from inbox.models.ai_lookup import AiLookup

AI_LOOKUP = "ai_lookup"


class AiLookupStore(Table):
    def lookups(self, tenant_id: str) -> list[AiLookup]:
        """The tenant's lookups, oldest first (ids sort by creation)."""
        items = self._query_prefix(keys.ai_lookups_pk(tenant_id), keys.AI_LOOKUP_PREFIX, ConsistentRead=True)
        return [AiLookup.model_validate(fields_of(item)) for item in items]

    def lookup(self, tenant_id: str, lookup_id: str) -> AiLookup | None:
        item = self._get(keys.ai_lookups_pk(tenant_id), keys.ai_lookup_sk(lookup_id))
        return AiLookup.model_validate(fields_of(item)) if item else None

    def save_lookup(self, lookup: AiLookup) -> None:
        self._call("put_item", TableName=self._table, Item=marshal(_item(lookup)))

    def replace_lookup(self, lookup: AiLookup) -> None:
        """Write a changed lookup; one deleted meanwhile (a PATCH racing a DELETE) is not brought back."""
        try:
            self._call("put_item", **put(self._table, _item(lookup), "attribute_exists(PK)")["Put"])
        except ConflictError as error:
            raise NotFoundError(f"lookup {lookup.id}") from error

    def delete_lookup(self, tenant_id: str, lookup_id: str) -> None:
        self._call(
            "delete_item", TableName=self._table, Key=key(keys.ai_lookups_pk(tenant_id), keys.ai_lookup_sk(lookup_id))
        )


def _item(lookup: AiLookup) -> dict:
    return item_of(keys.ai_lookups_pk(lookup.tenant_id), keys.ai_lookup_sk(lookup.id), AI_LOOKUP, lookup)
