"""The search index's commit point (issue 14, item 1): one item per tenant, written only if its version
is still the one read, so two indexers never lose each other's update; and the reads of the hits'
conversations, many at once.

Stored form: T#t#SEARCH / MANIFEST holds `version`, `segments` (key, docs, size; oldest first) and
`tombstone_count` - domain/search_manifest.py's SearchManifest but its tenant, which the key holds.
No `tenant_id`: the stream's readers pass it by. Each forgotten conversation is T#t#SEARCH /
TOMB#<id>, written before the commit that counts it (idempotent: a conversation deleted stays
deleted) and removed after the merge that dropped its documents; read only when a merge is due."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationItem
from inbox.adapters.dynamodb.table import Table, key, marshal, unmarshal
from inbox.domain.search_manifest import SearchManifest, SegmentRef
from inbox.errors import TransientError
from inbox.models import Conversation

BATCH_GET = 100  # BatchGetItem's limit
BATCH_ROUNDS = 5  # unprocessed keys asked again at most this many times
BATCH_WRITE = 25  # BatchWriteItem's limit


class SearchManifestStore(Table):
    def get_search_manifest(self, tenant_id: str) -> SearchManifest:
        """The tenant's manifest (version 0 and nothing in it if none was ever written). A strongly
        consistent read: an indexer commits on top of the newest, a reader sees the last commit."""
        item = self._get(keys.search_pk(tenant_id), keys.SEARCH_MANIFEST)
        if item is None:
            return SearchManifest(tenant_id)
        return SearchManifest(
            tenant_id=tenant_id,
            version=int(item["version"]),
            segments=tuple(SegmentRef(s["key"], int(s["docs"]), int(s["size"])) for s in item.get("segments", [])),
            tombstone_count=int(item.get("tombstone_count", 0)),
        )

    def search_tombstones(self, tenant_id: str) -> frozenset[str]:
        """Every forgotten conversation of the tenant's index (a Query: for merges)."""
        items = self._query_prefix(keys.search_pk(tenant_id), keys.SEARCH_TOMBSTONE, ConsistentRead=True)
        return frozenset(item["SK"].removeprefix(keys.SEARCH_TOMBSTONE) for item in items)

    def commit_search_manifest(self, manifest: SearchManifest) -> SearchManifest:
        """Write `manifest` as version + 1 if the stored one is still `manifest.version`; ConflictError
        if another commit came first (the caller reads again and redoes its change)."""
        written = manifest.version + 1
        pk = keys.search_pk(manifest.tenant_id)
        self._write_tombstones(pk, manifest.tombstones, put=True)
        item: dict[str, Any] = {
            "PK": pk,
            "SK": keys.SEARCH_MANIFEST,
            "type": keys.SEARCH_MANIFEST_TYPE,
            "version": written,
            "segments": [{"key": s.key, "docs": s.docs, "size": s.size} for s in manifest.segments],
            "tombstone_count": manifest.tombstone_count,
        }
        condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(PK)"}
        if manifest.version:
            condition = {
                "ConditionExpression": "version = :version",
                "ExpressionAttributeValues": {":version": {"N": str(manifest.version)}},
            }
        self._call("put_item", TableName=self._table, Item=marshal(item), **condition)
        self._write_tombstones(pk, manifest.dropped, put=False)  # only once no segment it names holds them
        committed = SearchManifest(
            manifest.tenant_id, written, manifest.segments, tombstone_count=manifest.tombstone_count
        )
        if committed.needs_tombstones():
            return replace(committed, tombstones=self.search_tombstones(manifest.tenant_id) | manifest.tombstones)
        return committed

    def _write_tombstones(self, pk: str, conversation_ids: frozenset[str], put: bool) -> None:
        requests = [
            {"PutRequest": {"Item": marshal({"PK": pk, "SK": sk, "type": keys.SEARCH_TOMBSTONE_TYPE})}}
            if put
            else {"DeleteRequest": {"Key": key(pk, sk)}}
            for sk in sorted(keys.search_tombstone_sk(c) for c in conversation_ids)
        ]
        for start in range(0, len(requests), BATCH_WRITE):
            pending: dict[str, Any] = {self._table: requests[start : start + BATCH_WRITE]}
            for _ in range(BATCH_ROUNDS):
                pending = self._call("batch_write_item", RequestItems=pending).get("UnprocessedItems") or {}
                if not pending:
                    break
            else:
                raise TransientError("DynamoDB batch_write_item: search tombstones left unprocessed")

    def conversations_by_id(self, tenant_id: str, conversation_ids: list[str]) -> dict[str, Conversation]:
        """The conversations that still exist among these (BatchGetItem, 100 a call)."""
        found: dict[str, Conversation] = {}
        ids = list(dict.fromkeys(conversation_ids))
        for start in range(0, len(ids), BATCH_GET):
            chunk = ids[start : start + BATCH_GET]
            wanted = [key(keys.conversation_pk(tenant_id, c), keys.CONVERSATION) for c in chunk]
            for _ in range(BATCH_ROUNDS):
                answer = self._call("batch_get_item", RequestItems={self._table: {"Keys": wanted}})
                for item in answer.get("Responses", {}).get(self._table, []):
                    conversation = ConversationItem.read(unmarshal(item))
                    if conversation.tenant_id == tenant_id:
                        found[conversation.id] = conversation
                wanted = answer.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
                if not wanted:
                    break
            else:
                raise TransientError("DynamoDB batch_get_item: keys left unprocessed")
        return found
