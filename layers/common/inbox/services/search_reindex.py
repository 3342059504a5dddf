"""A tenant's search index built again from the table (issue 14 review, search item 5): for messages
stored before search was deployed, or jobs a failure lost. Run by hand (`python -m inbox.admin
reindex`). Every conversation and message goes to SearchQueue as the feed would send it; the
indexer's segments then hold their current version (a newer segment's document wins, merges drop
the older). Reads are Queries: the tenant's conversation list (GSI1, snoozed ones apart) and each
conversation's messages, never a Scan of the table."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, Protocol

from inbox.domain.search_documents import conversation_job, fitted, message_job
from inbox.models import Conversation, ConversationFilter, Message
from inbox.models.jobs import IndexDocumentJob

PAGE = 100


class Store(Protocol):
    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None
    ) -> tuple[list[Conversation], str | None]: ...
    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]: ...


class Queue(Protocol):
    def send(self, jobs: Any) -> None: ...


def reindex_tenant(store: Store, queue: Queue, tenant_id: str, run: str) -> int:
    """Queue every document of the tenant again; `run` names this run (SearchQueue's deduplication
    ids, so an earlier run's jobs do not hide this one's). Answers the number of jobs queued."""
    sent = 0
    batch: list[tuple[IndexDocumentJob, str, str]] = []
    for job in _jobs(store, tenant_id):
        name = f"reindex#{run}#{job.conversation_id}#{job.message_id or ''}"
        batch.append((job, tenant_id, hashlib.sha256(name.encode()).hexdigest()))
        if len(batch) == PAGE:
            queue.send(batch)
            sent, batch = sent + len(batch), []
    if batch:
        queue.send(batch)
    return sent + len(batch)


def _jobs(store: Store, tenant_id: str) -> Iterator[IndexDocumentJob]:
    for where in (ConversationFilter(), ConversationFilter(snoozed=True)):
        cursor: str | None = None
        while True:
            conversations, cursor = store.list_conversations(tenant_id, where, PAGE, cursor)
            for conversation in conversations:
                yield conversation_job(conversation)
                yield from _message_jobs(store, tenant_id, conversation.id)
            if not cursor:
                break


def _message_jobs(store: Store, tenant_id: str, conversation_id: str) -> Iterator[IndexDocumentJob]:
    before: str | None = None
    while True:
        messages, before = store.get_messages(tenant_id, conversation_id, PAGE, before)
        for message in messages:
            yield fitted(message_job(message))  # a long one as its key, like the feed's
        if not before:
            return
