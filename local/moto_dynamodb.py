"""A patch of moto's DynamoDB so a TransactWriteItems costs what its items cost, not the table's history.

moto keeps a rollback copy of the table for each item of a transaction: `copy.deepcopy(table)`,
once per item, and the table holds its stream's every record (old and new images of each write since
the start). With the inbox's one table after the browser tests (~1500 writes), one transaction took
0.7 s of moto's one-request-at-a-time lock, and a live update's reads queued behind it (issue 11).

Here a transaction copies each table once, without the stream's records: the copy shares the live
stream shard. moto rolls back by putting the copy in the table's place; the records the failed
transaction had added to the shard are then dropped (AWS streams nothing of a failed transaction)
and the shard points at the restored table. Items are still deep-copied: their rollback is moto's.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

_transaction = threading.local()


class _TransactionCopies:
    """Stands in for the `copy` module inside moto.dynamodb.models: during a transaction, a table's
    rollback copy is made once and leaves the stream shard shared."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        copies = getattr(_transaction, "copies", None)
        if copies is None or not isinstance(value, Table):
            return copy.deepcopy(value, memo)
        if id(value) not in copies:
            shard = value.stream_shard
            copies[id(value)] = copy.deepcopy(value, {id(shard): shard} if shard is not None else None)
        return copies[id(value)]


def _light_transactions(transact_write_items: Any) -> Any:
    def transact(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> Any:
        before = dict(backend.tables)
        streamed = {name: len(t.stream_shard.items) for name, t in before.items() if t.stream_shard is not None}
        _transaction.copies = {}
        try:
            return transact_write_items(backend, transact_items)
        finally:
            _transaction.copies = None
            for name, length in streamed.items():
                table = backend.tables.get(name)
                if table is not None and table is not before[name] and table.stream_shard is not None:
                    del table.stream_shard.items[length:]  # rolled back: nothing of it is streamed
                    table.stream_shard.table = table

    transact.light = True  # type: ignore[attr-defined]
    return transact


def patch_moto_dynamodb() -> None:
    """Install the patch (once; the server calls it before answering)."""
    if getattr(DynamoDBBackend.transact_write_items, "light", False):
        return
    dynamodb_models.copy = _TransactionCopies()  # type: ignore[assignment]
    DynamoDBBackend.transact_write_items = _light_transactions(DynamoDBBackend.transact_write_items)  # type: ignore[method-assign]
