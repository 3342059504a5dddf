"""Sync one mailbox: read what is new in each folder and ingest it, resumably.

One run holds a lease on the mailbox, so a scheduled run and a manual one never overlap. Each
folder is read by UID from where the last run stopped; after every batch the cursor is saved,
so a crash or a timeout resumes there and Message-ID dedupe absorbs the overlap. A new mailbox,
or a folder whose UIDVALIDITY changed, is read from a recent window instead of its whole past.
The next batch is read while this one is parsed and ingested, and raw copies go to S3 a few at a
time (services/sync_pipeline.py); ingest stays in UID order and the checkpoints where they were.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from inbox.adapters.imap import FolderStatus, MailboxError, MailboxFolderError
from inbox.domain.email_message import parse_email
from inbox.errors import InvalidInputError
from inbox.models import (
    FolderCursor,
    Integration,
    SyncState,
)
from inbox.models.jobs import SyncJob
from inbox.observability import logger
from inbox.services.email_inbound import UNKNOWN_SENDER, inbound_from_email, stub_from_email
from inbox.services.ingest import Ingestor
from inbox.services.oauth import OAuthError
from inbox.services.sync_pipeline import (
    PARSED_AHEAD,
    PARSED_AHEAD_BYTES,
    Prepared,
    Reading,
    SyncPipeline,
    batches,
    failed_parse,
    reading_of,
    stored_later,
)

# What one FETCH may bring into a 1 GB function, parsing included; a batch is read ahead only when
# it and the batch before it hold no more than this together, so the bound holds with the read-ahead.
MAX_BATCH_BYTES = 40 * 1024 * 1024
LEASE = timedelta(minutes=15)  # longer than a worker's timeout: a crashed run frees it by expiring
MAX_BACKOFF = timedelta(hours=1)
MAX_MESSAGE_BYTES = 25 * 1024 * 1024  # a larger mail is kept as "not imported" from its headers alone
MESSAGE_ATTEMPTS = 3  # runs that may fail on one message before it is kept as "not imported"
HEADER_ATTEMPTS = 2  # then runs that may fail to keep even that, before the sync moves past it


class MailboxReader(Protocol):
    def examine(self, folder: str) -> FolderStatus: ...
    def uids_after(self, last_uid: int) -> list[int]: ...
    def uids_since(self, day) -> list[int]: ...
    def sizes(self, uids: list[int]) -> dict[int, int]: ...
    def fetch(self, uids: list[int]): ...
    def fetch_headers(self, uids: list[int]): ...


class SyncStore(Protocol):
    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None: ...
    def get_sync_state(self, tenant_id: str, integration_id: str) -> SyncState | None: ...
    def acquire_sync_lease(
        self, tenant_id: str, integration_id: str, owner: str, now: datetime, until: datetime
    ) -> bool: ...
    def checkpoint_folder(
        self, tenant_id: str, integration_id: str, owner: str, folder: str, cursor: FolderCursor
    ) -> None: ...
    def finish_sync(self, state: SyncState, owner: str) -> None: ...


OpenMailbox = Callable[[Integration], AbstractContextManager[MailboxReader]]


@dataclass
class SyncReport:
    outcome: str  # synced, partial (time ran out), busy (another run holds it), failed, gone
    imported: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def error(self) -> str | None:
        return "; ".join(self.errors) or None


@dataclass
class FolderRun:
    """One folder's sync in one run: what its batches share."""

    mailbox: MailboxReader
    pipeline: SyncPipeline
    integration: Integration
    state: SyncState
    owner: str
    folder: str
    report: SyncReport
    sizes: dict[int, int] = field(default_factory=dict)
    copies_ahead: bool = True  # raw copies put before ingest (services/sync_pipeline.py)
    read_ahead: bool = True  # the next batch fetched while this one is ingested

    @property
    def sent(self) -> bool:
        return self.folder == self.integration.settings.imap.sent_folder


class MailboxSync:
    def __init__(
        self,
        store: SyncStore,
        ingestor: Ingestor,
        open_mailbox: OpenMailbox,
        batch_size: int = 50,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._store = store
        self._ingestor = ingestor
        self._open = open_mailbox
        self._batch_size = batch_size
        self._clock = clock

    def sync(self, tenant_id: str, integration_id: str, seconds_left: Callable[[], float]) -> SyncReport:
        """Import what is new, until done or until `seconds_left()` runs low."""
        integration = self._store.get_integration(tenant_id, integration_id)
        if integration is None or integration.kind != "email":
            return SyncReport("gone")
        owner, now = uuid.uuid4().hex, self._clock()
        if not self._store.acquire_sync_lease(tenant_id, integration_id, owner, now, now + LEASE):
            return SyncReport("busy")
        state = self._store.get_sync_state(tenant_id, integration_id)  # read under the lease: it is ours now
        if state is None:
            return SyncReport("gone")
        report = SyncReport("synced")
        try:
            # The pipeline closes first: its read-ahead is over before the mailbox logs out.
            with self._open(integration) as mailbox, SyncPipeline(self._ingestor) as pipeline:
                for folder in folders_of(integration):
                    try:
                        self._sync_folder(mailbox, pipeline, integration, state, folder, owner, seconds_left, report)
                    except MailboxFolderError as error:  # one missing folder does not stop the others
                        report.errors.append(str(error))
                    if report.outcome == "partial":
                        break
        except (MailboxError, OAuthError) as error:  # recorded on the mailbox, retried after a backoff
            report.outcome = "failed"
            report.errors.append(str(error))
        except Exception as error:
            # Our own trouble (a bug, DynamoDB or S3 throttling): recorded and the lease released, then
            # raised, so that SQS retries the job and its dead-letter queue keeps it in the end.
            report.outcome = "failed"
            report.errors.append(f"internal error ({type(error).__name__}); it will be retried")
            self._store.finish_sync(self._outcome(integration, state, report), owner)
            raise
        self._store.finish_sync(self._outcome(integration, state, report), owner)
        if report.imported:
            self._ingestor.sweep_unfiled(tenant_id)
        logger.info("mailbox synced", outcome=report.outcome, imported=report.imported, integration_id=integration_id)
        return report

    def _sync_folder(
        self,
        mailbox: MailboxReader,
        pipeline: SyncPipeline,
        integration: Integration,
        state: SyncState,
        folder: str,
        owner: str,
        seconds_left: Callable[[], float],
        report: SyncReport,
    ) -> None:
        status = mailbox.examine(folder)
        cursor = state.folders.get(folder)
        run = FolderRun(mailbox, pipeline, integration, state, owner, folder, report)
        # A renumbered folder is read again whole, mostly duplicates: their raw copies are left to
        # ingest, which writes none for a duplicate, rather than checked ahead for nothing.
        run.copies_ahead = cursor is None or cursor.uidvalidity == status.uidvalidity
        # A run that follows one that died (or failed) reads nothing ahead in this folder: with one
        # failing UID per folder, a death during a read-ahead would be charged to the batch ingested
        # meanwhile; read in its turn, a batch that kills the run is charged to itself, as before.
        run.read_ahead = cursor is None or cursor.failing_uid is None
        if cursor is not None and cursor.uidvalidity == status.uidvalidity:
            if status.uidnext and status.uidnext <= cursor.last_uid + 1:
                return  # nothing new: an unchanged mailbox costs one EXAMINE
            uids = mailbox.uids_after(cursor.last_uid)
        else:
            # A new folder, or the server renumbered it: read the recent window (reaching back to the
            # last success when the mailbox was failing longer); Message-ID dedupe absorbs the overlap.
            since = self._clock() - timedelta(days=integration.settings.initial_sync_days)
            if cursor is not None and state.last_success_at:
                since = min(since, state.last_success_at - timedelta(days=1))
            uids = mailbox.uids_since(since.date())
            # Start just before the window, never at 0: from 0 the next run would read the whole past.
            start_uid = uids[0] - 1 if uids else max(status.uidnext - 1, 0)
            # A folder read for the first time: what it held is history (statistics leave it out).
            history_until = (uids[-1] if uids else start_uid) if state.folders.get(folder) is None else 0
            cursor = FolderCursor(uidvalidity=status.uidvalidity, last_uid=start_uid, history_until=history_until)
            self._checkpoint(run, cursor)
        run.sizes = mailbox.sizes(uids)
        pending = list(uids)
        try:
            while pending:
                if seconds_left() < 30:  # more than one batch's worth: the next run goes on from here
                    report.outcome = "partial"
                    return
                # A run died or failed at the next message: go one message at a time until past it.
                careful = cursor.failing_uid is not None
                most = 1 if careful else self._batch_size
                # Only the next batch is cut: the rest of a long folder is not walked again for each one.
                batch = batches(pending[:most], run.sizes, most, MAX_BATCH_BYTES)[0]
                cursor = self._attempting(run, cursor, batch[0])
                # Never after a careful batch's message: what killed a run is read alone, as before.
                following = self._next_batch(run, pending[len(batch) :], batch, seconds_left) if not careful else None
                with self._ingestor.batch():  # one SQS request per ten messages, before the checkpoint
                    self._import_batch(run, batch, cursor, following)
                cursor = cursor.model_copy(
                    update={"last_uid": max(cursor.last_uid, batch[-1]), "failing_uid": None, "failing_attempts": 0}
                )
                self._checkpoint(run, cursor)
                pending = pending[len(batch) :]
        finally:
            pipeline.ahead.drop()  # the connection is free again for the next folder, or the logout

    def _next_batch(
        self, run: FolderRun, rest: list[int], batch: list[int], seconds_left: Callable[[], float]
    ) -> Reading | None:
        """What to read ahead while `batch` is ingested: the batch the loop cuts next (one that starts
        fresh is at its first attempt: every message of it read whole unless too large), when time
        remains and both fit in MAX_BATCH_BYTES together."""
        if not run.read_ahead or not rest or seconds_left() < 60:
            return None
        following = batches(rest[: self._batch_size], run.sizes, self._batch_size, MAX_BATCH_BYTES)[0]
        if sum(run.sizes.get(uid, 0) for uid in (*batch, *following)) > MAX_BATCH_BYTES:
            return None
        return reading_of(following, run.sizes, MAX_MESSAGE_BYTES, headers_only=False)

    def _attempting(self, run: FolderRun, cursor: FolderCursor, uid: int) -> FolderCursor:
        """Say which message a batch starts at before reading it, so that a run killed on it (out of
        memory, out of time) still counts: the runs after it go carefully and give up on it in the end."""
        again = cursor.failing_uid == uid
        marked = cursor.model_copy(
            update={"failing_uid": uid, "failing_attempts": cursor.failing_attempts + 1 if again else 1}
        )
        self._checkpoint(run, marked)
        return marked

    def _import_batch(self, run: FolderRun, batch: list[int], cursor: FolderCursor, following: Reading | None) -> None:
        attempt = cursor.failing_attempts if cursor.failing_uid == batch[0] else 0
        if attempt > MESSAGE_ATTEMPTS + HEADER_ATTEMPTS:  # not even its headers could be kept
            logger.error("message skipped", uid=batch[0], folder=run.folder, integration_id=run.integration.id)
            run.report.errors.append(
                f"{run.folder}: message UID {batch[0]} could not be imported; it is still in the mailbox"
            )
            return
        importing = None  # the message being ingested, when something fails
        try:
            reading = reading_of(batch, run.sizes, MAX_MESSAGE_BYTES, headers_only=attempt > MESSAGE_ATTEMPTS)
            whole, headers = run.pipeline.ahead.read(run.mailbox, reading)
            if following is not None:
                run.pipeline.ahead.start(run.mailbox, following)  # read while this batch is parsed and stored
            # A few messages parsed ahead, their raw copies on the way, then ingested in UID order;
            # a parse's error is raised in its message's turn, so the cursor never passes a message
            # before it is stored.
            ahead: deque[Prepared] = deque()
            for at, (uid, raw, received) in enumerate(whole, start=1):
                ahead.append(self._prepare(run, uid, raw, received, uid <= cursor.history_until))
                last = at == len(whole)
                while ahead and (
                    last or len(ahead) >= PARSED_AHEAD or sum(len(p.raw) for p in ahead) > PARSED_AHEAD_BYTES
                ):
                    importing = ahead[0].uid
                    run.report.imported += self._import(run, ahead.popleft(), attempt)
            for uid, header, received in headers:
                importing = uid
                run.report.imported += self._keep_headers(run, header, uid, received, uid <= cursor.history_until)
        except Exception:
            if importing is not None and importing != cursor.failing_uid:
                # Keep what came before it and name the message itself: the next run starts there, carefully.
                at = {"last_uid": max(cursor.last_uid, importing - 1), "failing_uid": importing, "failing_attempts": 1}
                self._checkpoint(run, cursor.model_copy(update=at))
            raise

    def _prepare(self, run: FolderRun, uid: int, raw: bytes, received: datetime | None, history: bool) -> Prepared:
        """Parse a message and send its raw copy on its way; what fails is kept for its turn."""
        try:
            inbound = inbound_from_email(parse_email(raw), raw, run.integration, run.sent, received)
            inbound = inbound.model_copy(update={"history": history})  # the mailbox's past: statistics skip it
        except Exception as error:
            return Prepared(uid, raw, received, history, failed_parse(error))
        stored = run.pipeline.store_raw(inbound) if run.copies_ahead else stored_later(inbound)
        return Prepared(uid, raw, received, history, stored)

    def _keep_headers(self, run: FolderRun, header: bytes, uid: int, received: datetime | None, history: bool) -> int:
        """A mail too large to import, or that killed the runs that read it whole, from its headers alone."""
        size = run.sizes.get(uid, 0)
        reason = (
            f"{size // 2**20} MB, over the {MAX_MESSAGE_BYTES // 2**20} MB the inbox imports"
            if size > MAX_MESSAGE_BYTES
            else f"could not be read in {MESSAGE_ATTEMPTS} tries"
        )
        stub = stub_from_email(parse_email(header), None, run.integration, run.sent, received)
        stub = stub.model_copy(update={"history": history})
        result = self._ingestor.not_imported(stub, f"{reason}; the original is still in the mailbox")
        return 0 if result.duplicate else 1

    def _checkpoint(self, run: FolderRun, cursor: FolderCursor) -> None:
        self._store.checkpoint_folder(run.integration.tenant_id, run.integration.id, run.owner, run.folder, cursor)
        run.state.folders[run.folder] = cursor  # so that the run's outcome, written last, keeps it too

    def _import(self, run: FolderRun, message: Prepared, attempt: int) -> int:
        """Ingest one message; 1 if it is new. The last try of one that failed the runs before keeps
        it, flagged, as "not imported" with its raw copy: no single message stops a mailbox."""
        uid, raw, received = message.uid, message.raw, message.received
        try:
            inbound = message.stored()  # parsed and its raw copy stored, or the parse's or the put's error
            try:
                result = self._ingestor.ingest(inbound)
            except InvalidInputError as error:
                if run.sent:  # the business's own mail to nobody: no conversation to put it in
                    logger.error("message not imported", uid=uid, folder=run.folder, reason=str(error))
                    return 0
                # A sender we cannot take as a contact: the mail still comes in, flagged, from "Unknown sender".
                flagged = {"sender": UNKNOWN_SENDER, "defects": [*inbound.defects, str(error)]}
                result = self._ingestor.ingest(inbound.model_copy(update=flagged))
        except Exception as error:
            if attempt < MESSAGE_ATTEMPTS:
                raise
            logger.exception(
                "message kept as not imported", uid=uid, folder=run.folder, integration_id=run.integration.id
            )
            stub = stub_from_email(parse_email(raw), raw, run.integration, run.sent, received)
            stub = stub.model_copy(update={"history": message.history})
            result = self._ingestor.not_imported(stub, f"failed {MESSAGE_ATTEMPTS} times ({type(error).__name__})")
        return 0 if result.duplicate else 1

    def _outcome(self, integration: Integration, state: SyncState, report: SyncReport) -> SyncState:
        now = self._clock()
        interval = timedelta(seconds=integration.settings.sync_interval_seconds)
        if report.outcome == "failed":
            failures = state.failures + 1
            backoff = min(interval * 2**failures, MAX_BACKOFF)
            return state.model_copy(
                update={
                    "last_sync_at": now,
                    "last_error": report.error,
                    "failures": failures,
                    "last_imported": report.imported,
                    "imported_total": state.imported_total + report.imported,
                    "next_sync_at": now + backoff,
                }
            )
        return state.model_copy(
            update={
                "last_sync_at": now,
                "last_success_at": now,
                "last_error": report.error,  # a folder that could not be read, say
                "failures": 0,
                "last_imported": report.imported,
                "imported_total": state.imported_total + report.imported,
                # Out of time with mail left: come back at once rather than in a minute.
                "next_sync_at": now if report.outcome == "partial" else now + interval,
            }
        )


def new_sync_state(integration: Integration, now: datetime) -> SyncState:
    return SyncState(tenant_id=integration.tenant_id, integration_id=integration.id, next_sync_at=now)


class MailboxesDue(Protocol):
    def mailboxes_due(self, now: datetime, limit: int = 1000) -> list[tuple[str, str]]: ...


class JobQueue(Protocol):
    def send(self, jobs: Sequence[SyncJob]) -> None: ...


class SyncScheduler:
    """Queues one job per mailbox due; a mailbox already syncing turns its job away by its lease."""

    def __init__(self, store: MailboxesDue, queue: JobQueue):
        self._store = store
        self._queue = queue

    def queue_due(self, now: datetime) -> int:
        due = self._store.mailboxes_due(now)
        self._queue.send([SyncJob(tenant_id=tenant, integration_id=integration) for tenant, integration in due])
        return len(due)


def folders_of(integration: Integration) -> list[str]:
    imap = integration.settings.imap
    return [*imap.folders, *([imap.sent_folder] if imap.sent_folder else [])]
