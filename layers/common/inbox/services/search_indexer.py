"""Search (issue 14, item 1): the feed, from the table's stream to SearchQueue, and the indexer, from
SearchQueue to the tenant's index.

SearchQueue is FIFO with one message group per tenant, so one indexer at a time works on a tenant's
index, in the order the writes happened. The indexer turns one batch of a tenant's jobs into ONE new
segment and ONE conditional commit of the manifest; a commit that finds the manifest changed since it
was read (another indexer, a merge) reads it again and applies its change again, so none is lost.
Then, past a number of segments, it merges the newest ones (the manifest says which), and hands the
segments a merge replaced to the purge worker (the one function that deletes from the bucket), to
remove once no reader can still be using them - never before the commit that stopped naming them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from inbox.domain.events import ItemWrite
from inbox.domain.search_documents import (
    MAX_JOB_BYTES,
    contact_conversation_job,
    document_of,
    job_bytes,
    message_job,
    message_text,
    search_jobs,
)
from inbox.domain.search_manifest import RETIRED_GRACE, SearchManifest, SegmentRef
from inbox.domain.search_text import SearchDocument
from inbox.errors import ConcurrentUpdateError, ConflictError, NotFoundError, TransientError
from inbox.models import Contact, Conversation, ConversationFilter, Message
from inbox.models.jobs import (
    MAX_PURGED_BLOBS,
    ForgetConversationJob,
    IndexDocumentJob,
    PurgeBlobsJob,
    ReindexContactJob,
    SearchJob,
)
from inbox.observability import logger

COMMIT_ATTEMPTS = 8
MAX_CONTACT_CONVERSATIONS = 1_000  # a renamed contact's conversations indexed again (its newest)


class Queue(Protocol):
    def send(self, jobs: Sequence[tuple[Any, str, str]]) -> None: ...


class PurgeQueue(Protocol):
    def send(self, jobs: Sequence[PurgeBlobsJob], delay_seconds: int = 0) -> None: ...


class SearchFeed:
    """The stream's reader for search: the writes that change what is searchable, as SearchQueue jobs.
    A batch read twice sends the same deduplication ids: SQS drops the copies (within 5 minutes;
    a later copy indexes the same document again, which changes nothing)."""

    def __init__(self, queue: Queue):
        self._queue = queue

    def take(self, writes: Iterable[ItemWrite]) -> int:
        entries = []
        for write in writes:
            for number, job in enumerate(search_jobs(write)):
                if isinstance(job, IndexDocumentJob) and job_bytes(job) > MAX_JOB_BYTES:
                    # Never a message's (sent as its key); a conversation's subject of many KB: one
                    # document left out rather than the stream's batch refused for every reader.
                    logger.error("search job too large: not indexed", extra={"record_id": write.record_id})
                    continue
                entries.append((job, write.tenant_id, _deduplication_id(write.record_id, number)))
        if entries:
            self._queue.send(entries)
        return len(entries)


def _deduplication_id(record_id: str, number: int) -> str:
    # SQS allows 128 characters: a record id we do not control the length of is hashed.
    name = f"{record_id}#{number}"
    return name if len(name) <= 128 else hashlib.sha256(name.encode()).hexdigest()


class Manifests(Protocol):
    def get_search_manifest(self, tenant_id: str) -> SearchManifest: ...
    def commit_search_manifest(self, manifest: SearchManifest) -> SearchManifest: ...


class Segments(Protocol):
    def write(self, tenant_id: str, documents: Sequence[SearchDocument]) -> SegmentRef: ...
    def merge(self, tenant_id: str, segments: Sequence[SegmentRef], forgotten: Iterable[str]) -> SegmentRef | None: ...


class Blobs(Protocol):
    def get_json(self, key: str) -> Any: ...


class Messages(Protocol):
    """The table: a message too long for its job, a renamed contact and its conversations."""

    def get_contact(self, tenant_id: str, contact_id: str) -> Contact | None: ...
    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None
    ) -> tuple[list[Conversation], str | None]: ...
    def get_message(
        self, tenant_id: str, conversation_id: str, received_at: Any, message_id: str
    ) -> Message | None: ...


@dataclass(frozen=True)
class Indexed:
    """What one batch did to a tenant's index (logged)."""

    tenant_id: str
    documents: int
    forgotten: int
    segments: int  # live after the batch
    merged: int  # segments merged into one (0: no merge), handed to the purge worker
    version: int


class SearchIndexer:
    def __init__(
        self,
        manifests: Manifests,
        segments: Segments,
        blobs: Blobs,
        purge_queue: Callable[[], PurgeQueue],
        messages: Messages | None = None,
    ):
        self._manifests = manifests
        self._messages: Messages = messages or manifests  # type: ignore[assignment]  # the store is both
        self._segments = segments
        self._blobs = blobs
        self._purge_queue = purge_queue

    def index(self, tenant_id: str, jobs: Sequence[SearchJob]) -> Indexed:
        """One batch of a tenant's jobs, in their order: one segment, one commit (and maybe a merge)."""
        documents: list[SearchDocument] = []
        forgotten: list[str] = []
        for job in jobs:
            if job.tenant_id != tenant_id:
                raise ValueError("a batch indexes one tenant's jobs")
            if isinstance(job, ForgetConversationJob):
                forgotten.append(job.conversation_id)
                continue
            if isinstance(job, ReindexContactJob):
                documents += self._contact_documents(job)
                continue
            if job.read_message:  # too long for the queue: its message, read now
                job = self._read_message(job)
                if job is None:
                    continue  # its conversation was deleted since
            text = None
            if job.body_key:
                try:
                    body = self._blobs.get_json(job.body_key)
                except NotFoundError:
                    continue  # its conversation was deleted and purged since
                text = message_text(body.get("text") or "", body.get("html"))
            documents.append(document_of(job, text))
        segment = self._segments.write(tenant_id, documents) if documents else None
        manifest = self._commit_batch(tenant_id, lambda m: m.with_batch(segment, forgotten))
        merged = 0
        try:
            manifest, merged = self._merge(tenant_id, manifest)
        except Exception:
            # The batch is committed: failing it would index it again (duplicate segments) and again.
            # The next batch finds the same plan and tries the merge again.
            logger.exception("search segments not merged: the next batch tries again", extra={"tenant_id": tenant_id})
        outcome = Indexed(tenant_id, len(documents), len(forgotten), len(manifest.segments), merged, manifest.version)
        logger.info("search index updated", extra=outcome.__dict__)
        return outcome

    def _merge(self, tenant_id: str, manifest: SearchManifest) -> tuple[SearchManifest, int]:
        """Past a number of segments, the newest merged into one: (the manifest, segments merged)."""
        plan = manifest.merge_plan()
        if not plan:
            return manifest, 0
        into = self._segments.merge(tenant_id, plan.segments, plan.forgotten)
        after = self._commit(tenant_id, lambda m: m.merged(plan, into))
        if after is None:  # another merge came first: ours is named nowhere
            self._dispose(tenant_id, [into.key] if into else [])
            return manifest, 0
        self._dispose(tenant_id, [s.key for s in plan.segments])  # only now that nothing names them
        return after, len(plan.segments)

    def _contact_documents(self, job: ReindexContactJob) -> list[SearchDocument]:
        """Its conversations' own documents with the contact's words as they are now: a Query of the
        contact's conversations (GSI5), never a Scan."""
        contact = self._messages.get_contact(job.tenant_id, job.contact_id)
        if contact is None or contact.merged_into:
            return []  # gone, or merged: the survivor's change brings its conversations
        documents: list[SearchDocument] = []
        cursor: str | None = None
        while len(documents) < MAX_CONTACT_CONVERSATIONS:
            page, cursor = self._messages.list_conversations(
                job.tenant_id, ConversationFilter(contact_id=contact.id), 100, cursor
            )
            documents += [document_of(contact_conversation_job(c, contact)) for c in page]
            if not cursor:
                break
        return documents[:MAX_CONTACT_CONVERSATIONS]

    def _read_message(self, job: IndexDocumentJob) -> IndexDocumentJob | None:
        assert job.message_id is not None
        message = self._messages.get_message(job.tenant_id, job.conversation_id, job.at, job.message_id)
        return message_job(message) if message else None

    def _dispose(self, tenant_id: str, keys: list[str]) -> None:
        """Segments nothing names any more, to the purge worker (the one function that deletes from the
        bucket), visible to it only after RETIRED_GRACE: a reader that read the manifest before may
        still be opening them. Not queued (SQS down), they stay as unused objects: logged, not retried,
        as the commit is done and the batch must not be indexed again for them."""
        jobs = [
            PurgeBlobsJob(tenant_id=tenant_id, keys=tuple(keys[start : start + MAX_PURGED_BLOBS]))
            for start in range(0, len(keys), MAX_PURGED_BLOBS)
        ]
        if not jobs:
            return
        try:
            self._purge_queue().send(jobs, delay_seconds=int(RETIRED_GRACE.total_seconds()))
        except TransientError:
            logger.exception("replaced search segments left in the bucket", extra={"tenant_id": tenant_id})

    def _commit_batch(self, tenant_id: str, change: Callable[[SearchManifest], SearchManifest]) -> SearchManifest:
        committed = self._commit(tenant_id, change)
        if committed is None:  # never: a batch's change applies to any manifest
            raise ConcurrentUpdateError(f"search manifest of {tenant_id}")
        return committed

    def _commit(
        self, tenant_id: str, change: Callable[[SearchManifest], SearchManifest | None]
    ) -> SearchManifest | None:
        """`change` applied to the newest manifest and committed if nobody committed meanwhile;
        otherwise read again and applied again. None: the change no longer applies."""
        for _ in range(COMMIT_ATTEMPTS):
            current = self._manifests.get_search_manifest(tenant_id)
            changed = change(current)
            if changed is None:
                return None
            try:
                return self._manifests.commit_search_manifest(changed)
            except ConflictError:
                logger.info("search manifest changed meanwhile: read again", extra={"tenant_id": tenant_id})
        raise ConcurrentUpdateError(f"search manifest of {tenant_id}")
