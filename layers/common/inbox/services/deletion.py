"""Deleting a conversation: it disappears at once, what it held is removed in the background.

The request takes the conversation away in one transaction (views, reads and folder counters see
it gone) and queues a purge job; the purge worker removes, page by page, the files its messages
point at, the pointers that lead to it, then its items, and the marker last. Every step can run
again, so a purge cut short (a throttled table, S3 down, the worker's time up) is simply resumed.

The purge worker is the only function allowed to delete from the bucket (every version of an
object: the bucket is versioned). Others that find a copy nothing refers to (a webhook sent again
after its conversation was deleted, files fetched for a message deleted meanwhile) queue a
`purge_blobs` job for it with `BlobDisposal`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from inbox.domain.blob_keys import upload_prefix
from inbox.errors import ConcurrentUpdateError, ConflictError, NotFoundError, TransientError
from inbox.models import Conversation, ConversationRemains, Principal
from inbox.models.jobs import MAX_PURGED_BLOBS, PurgeBlobsJob, PurgeConversationJob, PurgeJob
from inbox.observability import logger
from inbox.services.follow_ups import follow_up_schedule
from inbox.services.nudges import schedule_of as nudge_schedule
from inbox.services.snoozes import snooze_schedule
from inbox.services.tasks import task_schedule

PAGE = 50  # items of a deleted conversation read, and their files removed, per round
SPARE_MS = 20_000  # a purge hands the rest to a new job when the worker has less time than this left


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def delete_conversation(self, conversation: Conversation) -> None: ...
    def deletion_pending(self, tenant_id: str, conversation_id: str) -> bool: ...
    def conversation_remains(self, tenant_id: str, conversation_id: str, limit: int) -> ConversationRemains: ...
    def forget_remains(self, remains: ConversationRemains) -> None: ...
    def finish_deletion(self, tenant_id: str, conversation_id: str) -> None: ...


class Blobs(Protocol):
    def delete(self, keys: Iterable[str]) -> None: ...


class Queue(Protocol):
    def send(self, jobs: Sequence[PurgeJob]) -> None: ...


class Schedules(Protocol):
    def cancel(self, name: str) -> None: ...


class BlobDisposal:
    """Copies to remove, handed to the purge worker: the caller holds no right to delete from the
    bucket. A failure to queue is a TransientError, so the caller's own retry asks again."""

    def __init__(self, purge_queue: Callable[[], Queue]):
        self._queue = purge_queue  # built on first use: most requests never discard anything

    def discard(self, tenant_id: str, keys: Iterable[str | None]) -> None:
        wanted = list(dict.fromkeys(key for key in keys if key))
        jobs = [
            PurgeBlobsJob(tenant_id=tenant_id, keys=tuple(wanted[start : start + MAX_PURGED_BLOBS]))
            for start in range(0, len(wanted), MAX_PURGED_BLOBS)
        ]
        if jobs:
            self._queue().send(jobs)
            logger.info("copies queued for removal", files=len(wanted))


class ConversationDeletion:
    def __init__(
        self, store: Store, blobs: Blobs, purge_queue: Callable[[], Queue], schedules: Callable[[], Schedules]
    ):
        self._store = store
        self._blobs = blobs
        self._queue = purge_queue  # built on first use: reading a conversation never needs it
        self._schedules = schedules  # the purge's alone

    def delete(self, who: Principal, conversation_id: str) -> None:
        """Gone from every view at once, its folder's counters with it; what it held is queued for
        removal. Deleting again while that runs (or after it could not be queued) queues it again."""
        for attempt in range(4):
            conversation = self._store.get_conversation(who.tenant_id, conversation_id)
            if conversation is None:
                if not self._store.deletion_pending(who.tenant_id, conversation_id):
                    raise NotFoundError(f"conversation {conversation_id}")
                break
            try:
                self._store.delete_conversation(conversation)
                break
            except ConcurrentUpdateError:
                time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security
        else:
            raise ConflictError("the conversation is being changed by someone else; try again")
        job = PurgeConversationJob(tenant_id=who.tenant_id, conversation_id=conversation_id)
        try:
            self._queue().send([job])
        except TransientError as error:
            raise TransientError(
                "the conversation is deleted but removing what it held could not be scheduled; delete it again"
            ) from error
        logger.info("conversation deleted", conversation_id=conversation_id)

    def purge_blobs(self, job: PurgeBlobsJob) -> str:
        """Remove copies nothing refers to, every version of them; one already gone is no error."""
        self._blobs.delete(job.keys)
        logger.info("copies removed", files=len(job.keys))
        return "removed"

    def purge(self, job: PurgeConversationJob, remaining_ms: Callable[[], int]) -> str:
        """Remove a deleted conversation's remains: files first (the messages are the only record
        of their keys) and the one-time schedules its tasks, follow-ups, nudge and snooze may still
        have (their items hold the names), then the pointers and items of the page. An error leaves
        the rest for the job's retry; time running out hands the rest to a new job."""
        removed = 0
        while True:
            remains = self._store.conversation_remains(job.tenant_id, job.conversation_id, PAGE)
            if remains.empty:
                # Files uploaded for a reply and never sent: no item names them (the lifecycle rule would, a day on).
                self._blobs.delete([upload_prefix(job.tenant_id, job.conversation_id)])
                self._schedules().cancel(snooze_schedule(job.tenant_id, job.conversation_id))
                self._store.finish_deletion(job.tenant_id, job.conversation_id)
                logger.info("conversation purged", conversation_id=job.conversation_id, items=removed)
                return "purged"
            self._blobs.delete(remains.blob_keys)
            self._cancel_schedules(remains)
            self._store.forget_remains(remains)
            removed += len(remains.item_keys)
            if remaining_ms() < SPARE_MS:
                self._queue().send([job])
                logger.info("conversation purge continues", conversation_id=job.conversation_id, items=removed)
                return "continues"

    def _cancel_schedules(self, remains: ConversationRemains) -> None:
        """A schedule left behind would fire for nothing (each fire finds its item gone), but it
        would stay in the group until then, up to a year; one gone already is fine."""
        t = remains.tenant_id
        names = [task_schedule(t, task_id) for task_id in remains.task_ids]
        names += [follow_up_schedule(t, follow_up_id) for follow_up_id in remains.follow_up_ids]
        if remains.nudge is not None:
            names.append(nudge_schedule(remains.nudge))
        for name in names:
            self._schedules().cancel(name)
        if names:
            logger.info("schedules cancelled", conversation_id=remains.conversation_id, schedules=len(names))
