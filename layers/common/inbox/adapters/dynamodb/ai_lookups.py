"""The AI's lookups in the table (issue 16, item 1): a tenant's lookups in one partition
(keys.ai_lookups_pk), each the AiLookup under its keys and nothing more (its secret sealed).

`parameters` is kept as JSON text: DynamoDB gives a map's numbers back as Decimal (an enum of
integers would then fail the model's check) and refuses floats. A lookup stored before as a map
still reads: its Decimals are turned back into ints and floats."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, key, marshal, put
from inbox.errors import ConflictError, NotFoundError
from inbox.models.ai_lookup import AiLookup

AI_LOOKUP = "ai_lookup"


class AiLookupStore(Table):
    def lookups(self, tenant_id: str) -> list[AiLookup]:
        """The tenant's lookups, oldest first (ids sort by creation)."""
        items = self._query_prefix(keys.ai_lookups_pk(tenant_id), keys.AI_LOOKUP_PREFIX, ConsistentRead=True)
        return [_lookup_of(item) for item in items]

    def lookup(self, tenant_id: str, lookup_id: str) -> AiLookup | None:
        item = self._get(keys.ai_lookups_pk(tenant_id), keys.ai_lookup_sk(lookup_id))
        return _lookup_of(item) if item else None

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
    item = item_of(keys.ai_lookups_pk(lookup.tenant_id), keys.ai_lookup_sk(lookup.id), AI_LOOKUP, lookup)
    item["parameters"] = json.dumps(item["parameters"], ensure_ascii=False, separators=(",", ":"))
    return item


def _lookup_of(item: dict[str, Any]) -> AiLookup:
    fields = fields_of(item)
    parameters = fields.get("parameters")
    fields["parameters"] = json.loads(parameters) if isinstance(parameters, str) else _numbers(parameters)
    return AiLookup.model_validate(fields)


def _numbers(value: Any) -> Any:
    """A map of the first form with DynamoDB's Decimals turned back into ints and floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {name: _numbers(inner) for name, inner in value.items()}
    if isinstance(value, list):
        return [_numbers(inner) for inner in value]
    return value
