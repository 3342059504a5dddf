"""Folders (order, rules, AI filter, auto-reply) and their counters of total and unread
conversations, which move in the same transaction as the conversations they count; the views by
assignee (Mine, Unassigned) keep the same two numbers the same way (COUNTER#ASSIGNEE#<user|none>).

Stored forms: a folder's item is the Folder under its keys (its version bumped by each write),
nothing more; a counter holds its two numbers alone, moved by ADD."""

from __future__ import annotations

from typing import Any

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import Table, fields_of, item_of, key, put
from inbox.domain.conversations import FolderDelta, counter_deltas, view_assignee
from inbox.errors import ConcurrentUpdateError, ConflictError
from inbox.models import Conversation, Folder


class FolderStore(Table):
    def list_folders(self, tenant_id: str) -> list[Folder]:
        """A tenant's folders in their order (position, then name)."""
        items = self._query_prefix(keys.tenant(tenant_id), keys.FOLDER_PREFIX, ConsistentRead=True)
        folders = [Folder.model_validate(fields_of(item)) for item in items]
        return sorted(folders, key=lambda folder: (folder.position, folder.name.casefold(), folder.id))

    def get_folder(self, tenant_id: str, folder_id: str) -> Folder | None:
        item = self._get(keys.tenant(tenant_id), keys.folder_sk(folder_id))
        return Folder.model_validate(fields_of(item)) if item else None

    def save_folder(self, folder: Folder, before: Folder | None) -> None:
        """Create (before is None) or replace a folder, if nobody changed it since it was read."""
        stored = folder.model_copy(update={"version": (before.version + 1) if before else 1})
        item = item_of(keys.tenant(folder.tenant_id), keys.folder_sk(folder.id), "folder", stored)
        if before is None:
            self._call("put_item", **put(self._table, item, "attribute_not_exists(PK)")["Put"])
        else:
            try:
                self._call("put_item", **put(self._table, item, "version = :v", v=before.version)["Put"])
            except ConflictError as error:
                raise ConcurrentUpdateError(folder.id) from error

    def delete_folder(self, tenant_id: str, folder_id: str) -> None:
        self._call(
            "delete_item",
            TableName=self._table,
            Key=key(keys.tenant(tenant_id), keys.folder_sk(folder_id)),
            ConditionExpression="attribute_exists(PK)",
        )

    # ------------------------------------------------------------------ counters

    def folder_counters(self, tenant_id: str) -> dict[str, dict[str, int]]:
        items = self._query_prefix(keys.tenant(tenant_id), keys.COUNTER_PREFIX)
        return {
            keys.folder_of_counter(item["SK"]): {
                "total": int(item.get("total", 0)),
                "unread": int(item.get("unread", 0)),
            }
            for item in items
        }

    def _counter_writes(self, tenant_id: str, before: Conversation | None, after: Conversation | None) -> list[dict]:
        """The counter updates that a conversation's change from `before` to `after` makes."""
        by_folder = [self._folder_write(tenant_id, delta) for delta in counter_deltas(before, after)]
        by_assignee = [
            self._folder_write(tenant_id, delta, keys.assignee_counter_sk(delta.folder))
            for delta in counter_deltas(before, after, view_assignee)
        ]
        return by_folder + by_assignee

    def assignee_counters(self, tenant_id: str, assignees: list[str]) -> dict[str, dict[str, int]]:
        """The counters of these assignee views (a user's id, or `none`): Mine and Unassigned."""
        counters = {}
        for assignee in assignees:
            item = self._get(keys.tenant(tenant_id), keys.assignee_counter_sk(assignee)) or {}
            counters[assignee] = {"total": int(item.get("total", 0)), "unread": int(item.get("unread", 0))}
        return counters

    def _folder_write(self, tenant_id: str, delta: FolderDelta, counter: str | None = None) -> dict[str, Any]:
        return {
            "Update": {
                "TableName": self._table,
                "Key": key(keys.tenant(tenant_id), counter or keys.counter_sk(delta.folder)),
                "UpdateExpression": "ADD #total :total, #unread :unread",
                "ExpressionAttributeNames": {"#total": "total", "#unread": "unread"},
                "ExpressionAttributeValues": {":total": {"N": str(delta.total)}, ":unread": {"N": str(delta.unread)}},
            }
        }
