"""The mailbox sync's pipeline (issue 15, item 1): the IMAP socket does not wait on S3.

- `ReadAhead`: the next batch is fetched on a thread of its own while the sync parses and ingests
  this one. The connection is used by one thread at a time: the sync takes (or drops) what was read
  ahead before it touches the mailbox again, and a folder's end, an error or the run's end drops it.
- Raw copies: each message's raw copy goes to S3 on a small pool as soon as the message is parsed,
  where ingest would write it (not over a known delivery's, not for a message ingest refuses, once per
  Message-ID in a run); ingest, in UID order on the sync's thread, waits for its copy before storing.

Nothing here saves a cursor: the sync still checkpoints a batch once every message of it is ingested.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from inbox.models import InboundMessage

RAW_PUT_THREADS = 8  # S3 puts at a time (within the S3 client's 10 pooled connections)
PARSED_AHEAD = 8  # messages parsed (their copies on the way) before the oldest of them is ingested
PARSED_AHEAD_BYTES = 8 * 2**20  # and at most this much raw mail among them (a large one goes alone)

Fetched = list[tuple[int, bytes, datetime | None]]


class RawKeeper(Protocol):
    def writes_raw_ahead(self, inbound: InboundMessage) -> bool: ...
    def keep_raw(self, inbound: InboundMessage) -> InboundMessage: ...


class BatchReader(Protocol):
    def fetch(self, uids: list[int]): ...
    def fetch_headers(self, uids: list[int]): ...


@dataclass(frozen=True)
class Reading:
    """What a batch reads: these messages whole, those (too large, or fatal before) by their headers."""

    whole: tuple[int, ...]
    headers: tuple[int, ...]

    def read(self, mailbox: BatchReader) -> tuple[Fetched, Fetched]:
        whole = list(mailbox.fetch(list(self.whole))) if self.whole else []
        headers = list(mailbox.fetch_headers(list(self.headers))) if self.headers else []
        return whole, headers


class ReadAhead:
    """At most one batch read ahead, on one thread."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: tuple[Reading, Future[tuple[Fetched, Fetched]]] | None = None

    def start(self, mailbox: BatchReader, reading: Reading) -> None:
        if self._pending is not None:
            raise RuntimeError("one batch is already being read ahead")
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imap-read-ahead")
        self._pending = (reading, self._pool.submit(reading.read, mailbox))

    def read(self, mailbox: BatchReader, reading: Reading) -> tuple[Fetched, Fetched]:
        """The batch: the one read ahead if it is this one (its error raised here), else read now."""
        pending, self._pending = self._pending, None
        if pending is not None:
            ahead, future = pending
            if ahead == reading:
                return future.result()
            _wait(future)  # another batch: the connection is ours again once its read is over
        return reading.read(mailbox)

    def drop(self) -> None:
        """Forget what is being read ahead, once the connection is free again."""
        pending, self._pending = self._pending, None
        if pending is not None:
            _wait(pending[1])

    def close(self) -> None:
        self.drop()
        if self._pool is not None:
            self._pool.shutdown(wait=True)


@dataclass
class SyncPipeline:
    """The threads of one sync run; used as a context manager inside the mailbox's, so that the read
    ahead is over before the mailbox logs out and no put outlives the run."""

    ingestor: RawKeeper  # its keep_raw, where writes_raw_ahead says ingest would write the copy
    ahead: ReadAhead = field(default_factory=ReadAhead)
    _puts: ThreadPoolExecutor | None = field(default=None, init=False)
    _put_ahead: set[str] = field(default_factory=set, init=False)  # deliveries (Message-IDs) put in this run

    def store_raw(self, inbound: InboundMessage) -> Future[InboundMessage]:
        """The raw copy on its way; the future gives the message pointing at it (or not: ingest decides).
        A Message-ID put once in this run is left to ingest: the second mail would overwrite the first's."""
        if inbound.external_id in self._put_ahead or not self.ingestor.writes_raw_ahead(inbound):
            return stored_later(inbound)
        self._put_ahead.add(inbound.external_id)
        if self._puts is None:
            self._puts = ThreadPoolExecutor(max_workers=RAW_PUT_THREADS, thread_name_prefix="raw-copies")
        return self._puts.submit(self.ingestor.keep_raw, inbound)  # S3 only: no table read on these threads

    def __enter__(self) -> SyncPipeline:
        return self

    def __exit__(self, *_: object) -> None:
        self.ahead.close()
        if self._puts is not None:
            self._puts.shutdown(wait=True, cancel_futures=True)


def stored_later(inbound: InboundMessage) -> Future[InboundMessage]:
    """A message whose raw copy ingest writes itself, as before the pipeline."""
    done: Future[InboundMessage] = Future()
    done.set_result(inbound)
    return done


def failed_parse(error: Exception) -> Future[InboundMessage]:
    """A message whose parse failed: its error, raised again in its turn."""
    failed: Future[InboundMessage] = Future()
    failed.set_exception(error)
    return failed


@dataclass
class Prepared:
    """A message parsed ahead of its ingest, or the error its parse raised (raised again in its turn)."""

    uid: int
    raw: bytes
    received: datetime | None
    history: bool
    inbound: Future[InboundMessage]  # stored_later, store_raw's put, or failed_parse

    def stored(self) -> InboundMessage:
        """The message once its raw copy is stored (if put ahead); its parse's or its put's error raised here."""
        return self.inbound.result()


def _wait(future: Future[Any]) -> None:
    """Wait for a read nobody will use; its error is not this batch's. Only Exception: an interrupt
    (KeyboardInterrupt, SystemExit) raised in this thread while waiting still stops the run."""
    with contextlib.suppress(Exception):
        future.result()


def reading_of(batch: list[int], sizes: dict[int, int], most_bytes: int, headers_only: bool) -> Reading:
    """A batch's messages read whole, and those read by their headers alone: larger than `most_bytes`
    (what the inbox imports), or all (`headers_only`: the message whose reading killed the runs before)."""
    whole = () if headers_only else tuple(uid for uid in batch if sizes.get(uid, 0) <= most_bytes)
    return Reading(whole=whole, headers=tuple(uid for uid in batch if uid not in whole))


def batches(uids: list[int], sizes: dict[int, int], most: int, most_bytes: int) -> list[list[int]]:
    """UIDs in order, cut into batches of at most `most` messages and `most_bytes` (a larger
    message goes alone)."""
    cut: list[list[int]] = []
    current: list[int] = []
    weight = 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if current and (len(current) == most or weight + size > most_bytes):
            cut.append(current)
            current, weight = [], 0
        current.append(uid)
        weight += size
    if current:
        cut.append(current)
    return cut
