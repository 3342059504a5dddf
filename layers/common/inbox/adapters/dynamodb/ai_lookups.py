"""The AI's lookups in the table (issue 16, item 1): a tenant's lookups in one partition
(keys.ai_lookups_pk), each the AiLookup under its keys and nothing more (its secret sealed), and
beside them each name's claim (keys.ai_lookup_name_sk: the id of the lookup that holds it), written
in the same transaction as the lookup that takes the name: two creations of one name racing each
other store one lookup, not two (a check of the list first could not tell). A lookup stored before
the claims holds no claim until it is renamed; the service's check of the list still covers it.

`parameters` is kept as JSON text: DynamoDB gives a map's numbers back as Decimal (an enum of
integers would then fail the model's check) and refuses floats. A lookup stored before as a map
still reads: its Decimals are turned back into ints and floats."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import ConditionsFailedError, Table, fields_of, item_of, key, put
from inbox.errors import ConcurrentUpdateError, NotFoundError
from inbox.models.ai_lookup import AiLookup

AI_LOOKUP = "ai_lookup"
AI_LOOKUP_NAME = "ai_lookup_name"  # a name's claim: not audited (the lookup's own item is)


class AiLookupStore(Table):
    def lookups(self, tenant_id: str) -> list[AiLookup]:
        """The tenant's lookups, oldest first (ids sort by creation)."""
        items = self._query_prefix(keys.ai_lookups_pk(tenant_id), keys.AI_LOOKUP_PREFIX, ConsistentRead=True)
        return [_lookup_of(item) for item in items]

    def lookup(self, tenant_id: str, lookup_id: str) -> AiLookup | None:
        item = self._get(keys.ai_lookups_pk(tenant_id), keys.ai_lookup_sk(lookup_id))
        return _lookup_of(item) if item else None

    def save_lookup(self, lookup: AiLookup) -> bool:
        """Store a new lookup and claim its name, at once; False (nothing stored) when another lookup
        of the tenant holds the name."""
        writes = [put(self._table, _item(lookup), "attribute_not_exists(PK)"), self._claim(lookup)]
        return self._write_claiming(lookup, writes, claim_at=1)

    def replace_lookup(self, lookup: AiLookup, renamed_from: str | None = None) -> bool:
        """Write a changed lookup; one deleted meanwhile (a PATCH racing a DELETE) is not brought back
        (NotFoundError). Renamed: its new name claimed and its old one let go, at once; False (nothing
        written) when another lookup holds the new name."""
        writes = [put(self._table, _item(lookup), "attribute_exists(PK)")]
        if renamed_from is not None and renamed_from != lookup.name:
            writes.append(self._claim(lookup))
            if self._holder(lookup.tenant_id, renamed_from) == lookup.id:
                writes.append(self._release(lookup.tenant_id, renamed_from, lookup.id))
        try:
            return self._write_claiming(lookup, writes, claim_at=1)
        except ConditionsFailedError as failed:
            if 0 in failed.indexes:
                raise NotFoundError(f"lookup {lookup.id}") from failed
            raise

    def delete_lookup(self, tenant_id: str, lookup_id: str) -> None:
        """Remove a lookup and let go of its name (when it holds it), at once; gone already: fine."""
        lookup = self.lookup(tenant_id, lookup_id)
        if lookup is None:
            return
        lookup_key = key(keys.ai_lookups_pk(tenant_id), keys.ai_lookup_sk(lookup_id))
        writes: list[dict[str, Any]] = [{"Delete": {"TableName": self._table, "Key": lookup_key}}]
        if self._holder(tenant_id, lookup.name) == lookup_id:
            writes.append(self._release(tenant_id, lookup.name, lookup_id))
        self._transact(writes)

    def _write_claiming(self, lookup: AiLookup, writes: list[dict[str, Any]], claim_at: int) -> bool:
        """Write, the name's claim at `claim_at` among the writes; False when another lookup holds the
        name. A claim whose holder is gone or bears another name now (left by a rename racing a delete)
        is let go and the write tried once more, so that no name stays taken by nothing. Two writes
        colliding twice: False when the other has taken the name meanwhile, else ConcurrentUpdateError."""
        claiming = len(writes) > claim_at
        for attempt in range(2):
            try:
                self._transact(writes)
                return True
            except ConcurrentUpdateError:
                if not attempt:  # two writers of one name at the same instant: once more, the condition decides
                    continue
                if claiming and self._taken(lookup, self._holder(lookup.tenant_id, lookup.name)):
                    return False
                raise
            except ConditionsFailedError as failed:
                if failed.indexes != [claim_at] or not claiming:
                    raise
                holder_id = self._holder(lookup.tenant_id, lookup.name)
                if attempt or self._taken(lookup, holder_id):
                    return False
                if holder_id:
                    self._release_stale(lookup.tenant_id, lookup.name, holder_id)
        return False

    def _taken(self, lookup: AiLookup, holder_id: str | None) -> bool:
        """Whether the claim of `lookup`'s name is another lookup's that bears the name still (not a leftover)."""
        if not holder_id or holder_id == lookup.id:
            return False
        holder = self.lookup(lookup.tenant_id, holder_id)
        return holder is not None and holder.name == lookup.name

    def _holder(self, tenant_id: str, name: str) -> str | None:
        claim = self._get(keys.ai_lookups_pk(tenant_id), keys.ai_lookup_name_sk(name))
        return claim["lookup_id"] if claim else None

    def _claim(self, lookup: AiLookup) -> dict[str, Any]:
        item = {
            "PK": keys.ai_lookups_pk(lookup.tenant_id),
            "SK": keys.ai_lookup_name_sk(lookup.name),
            "type": AI_LOOKUP_NAME,
            "lookup_id": lookup.id,
        }
        return put(self._table, item, "attribute_not_exists(PK) OR lookup_id = :id", id=lookup.id)

    def _release(self, tenant_id: str, name: str, lookup_id: str) -> dict[str, Any]:
        return {
            "Delete": {
                "TableName": self._table,
                "Key": key(keys.ai_lookups_pk(tenant_id), keys.ai_lookup_name_sk(name)),
                "ConditionExpression": "attribute_not_exists(PK) OR lookup_id = :id",
                "ExpressionAttributeValues": {":id": {"S": lookup_id}},
            }
        }

    def _release_stale(self, tenant_id: str, name: str, holder_id: str) -> None:
        try:
            self._transact([self._release(tenant_id, name, holder_id)])
        except ConditionsFailedError:
            return  # claimed again meanwhile: the retry says by whom


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
