"""The knowledge base in the table: one partition per tenant (keys.knowledge_pk) holding

  DOC#<id>        a document's KnowledgeDocument (its text is in the blob store), nothing more;
  PASSAGES#<id>   its passages: the document's title, its version and the list of passage texts;
  BASE            the base's `version`, `documents` and `characters`, moved by ADD in the transaction
                  of every write to a document, whose conditions hold the tenant's limits.

Listing the documents is one Query of DOC# (small items); the base as a prompt reads it is one
Query of PASSAGES#, in document-id order, i.e. the order they were added; and a warm function
that holds it already asks only for BASE's version (one GetItem) before each use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import ConditionsFailedError, Table, fields_of, item_of, key, marshal
from inbox.errors import ConcurrentUpdateError, ConflictError, NotFoundError, PayloadTooLargeError
from inbox.models.knowledge import KnowledgeDocument, Passage

DOCUMENT = "knowledge_document"
PASSAGES = "knowledge_passages"


@dataclass(frozen=True)
class KnowledgeLimits:
    documents: int
    characters: int


@dataclass(frozen=True)
class BaseTotals:
    version: int = 0
    documents: int = 0
    characters: int = 0


class KnowledgeStore(Table):
    def knowledge_documents(self, tenant_id: str) -> list[KnowledgeDocument]:
        """The tenant's documents in the order they were added."""
        items = self._query_prefix(keys.knowledge_pk(tenant_id), keys.KNOWLEDGE_DOCUMENT_PREFIX, ConsistentRead=True)
        return [KnowledgeDocument.model_validate(fields_of(item)) for item in items]

    def knowledge_document(self, tenant_id: str, document_id: str) -> KnowledgeDocument | None:
        item = self._get(keys.knowledge_pk(tenant_id), keys.knowledge_document_sk(document_id))
        return KnowledgeDocument.model_validate(fields_of(item)) if item else None

    def knowledge_totals(self, tenant_id: str) -> BaseTotals:
        item = self._get(keys.knowledge_pk(tenant_id), keys.KNOWLEDGE_BASE)
        if not item:
            return BaseTotals()
        return BaseTotals(int(item.get("version", 0)), int(item.get("documents", 0)), int(item.get("characters", 0)))

    def knowledge_passages(self, tenant_id: str) -> list[Passage]:
        """Every passage of the base: its documents in the order they were added, each in its order."""
        # Consistent, like the version read before it: a stale page would be cached under the new version.
        items = self._query_prefix(keys.knowledge_pk(tenant_id), keys.KNOWLEDGE_PASSAGES_PREFIX, ConsistentRead=True)
        return [
            Passage(
                document_id=item["document_id"], passage_id=f"{item['document_id']}:{n}", title=item["title"], text=text
            )
            for item in items
            for n, text in enumerate(item.get("passages", []), start=1)
        ]

    def save_knowledge_document(
        self,
        document: KnowledgeDocument,
        passages: list[str],
        before: KnowledgeDocument | None,
        limits: KnowledgeLimits,
    ) -> None:
        """Add (before is None) or replace a document and its passages, moving the base's version and
        totals, if nobody changed it since `before` was read and the base stays within `limits`."""
        pk = keys.knowledge_pk(document.tenant_id)
        doc = item_of(pk, keys.knowledge_document_sk(document.id), DOCUMENT, document)
        if before is None:
            doc_write = self._put(doc, "attribute_not_exists(PK)")
        else:
            doc_write = self._put(doc, "version = :v", {":v": {"N": str(before.version)}})
        grown = document.characters - (before.characters if before else 0)
        conditions, values = [], {}
        if before is None:
            conditions.append("(attribute_not_exists(#documents) OR #documents < :max_documents)")
            values[":max_documents"] = {"N": str(limits.documents)}
        if grown > 0:
            conditions.append("(attribute_not_exists(#characters) OR #characters <= :room)")
            values[":room"] = {"N": str(limits.characters - grown)}
        writes = [
            doc_write,
            self._put(
                {
                    "PK": pk,
                    "SK": keys.knowledge_passages_sk(document.id),
                    "type": PASSAGES,
                    "document_id": document.id,
                    "title": document.title,
                    "version": document.version,
                    "passages": passages,
                }
            ),
            self._base_write(document.tenant_id, 0 if before else 1, grown, " AND ".join(conditions), values),
        ]
        try:
            self._transact(writes)
        except ConditionsFailedError as failed:
            if 0 in failed.indexes:
                raise ConcurrentUpdateError(document.id) from failed
            totals = self.knowledge_totals(document.tenant_id)
            if before is None and totals.documents >= limits.documents:
                raise ConflictError(
                    f"the knowledge base holds {limits.documents} documents already: remove one first"
                ) from failed
            raise PayloadTooLargeError(
                f"text: the knowledge base would hold over {limits.characters:,} characters of text"
            ) from failed

    def delete_knowledge_document(self, document: KnowledgeDocument) -> None:
        pk = keys.knowledge_pk(document.tenant_id)
        writes = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": key(pk, keys.knowledge_document_sk(document.id)),
                    "ConditionExpression": "version = :v",
                    "ExpressionAttributeValues": {":v": {"N": str(document.version)}},
                }
            },
            {"Delete": {"TableName": self._table, "Key": key(pk, keys.knowledge_passages_sk(document.id))}},
            self._base_write(document.tenant_id, -1, -document.characters, "", {}),
        ]
        try:
            self._transact(writes)
        except ConditionsFailedError as failed:
            if self.knowledge_document(document.tenant_id, document.id) is None:
                raise NotFoundError(document.id) from failed
            raise ConcurrentUpdateError(document.id) from failed

    def _put(self, item: dict[str, Any], condition: str = "", values: dict[str, Any] | None = None) -> dict[str, Any]:
        write: dict[str, Any] = {"TableName": self._table, "Item": marshal(item)}
        if condition:
            write["ConditionExpression"] = condition
        if values:
            write["ExpressionAttributeValues"] = values
        return {"Put": write}

    def _base_write(
        self, tenant_id: str, documents: int, characters: int, condition: str, values: dict[str, Any]
    ) -> dict[str, Any]:
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": key(keys.knowledge_pk(tenant_id), keys.KNOWLEDGE_BASE),
            "UpdateExpression": "ADD #version :one, #documents :documents, #characters :characters SET #type = :type",
            "ExpressionAttributeNames": {
                "#version": "version",
                "#documents": "documents",
                "#characters": "characters",
                "#type": "type",
            },
            "ExpressionAttributeValues": {
                ":one": {"N": "1"},
                ":documents": {"N": str(documents)},
                ":characters": {"N": str(characters)},
                ":type": {"S": "knowledge_base"},
                **values,
            },
        }
        if condition:
            update["ConditionExpression"] = condition
        return {"Update": update}
