"""Section 1 of the email benchmarks: mail import, ours against mbsync, on the same Dovecot.

mbsync fetches and writes files. Ours is the sync worker's own `MailboxSync` (prefetch, parse, raw copies
stored) on a first sync of the mailbox, with an Ingestor that stops after the raw copy: the same
`BlobStore.put` the worker makes, to an S3 endpoint on loopback (moto's server, in a process of its own as
S3 is a service of its own), so every PutObject is a real HTTP request. The rest of ingest (DynamoDB, SQS)
is section 3's.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.mail_corpus import Mailbox as Corpus
from inbox.adapters.blobs import BlobStore
from inbox.adapters.imap import FolderStatus, Mailbox, ServerSettings
from inbox.adapters.outbound import Destinations
from inbox.domain.email_message import parse_email
from inbox.models import FolderCursor, InboundMessage, Integration, SyncState
from inbox.services import sync_mailbox
from inbox.services.ingest import Ingestor, IngestResult
from inbox.services.sync_mailbox import MailboxSync
from inbox.services.sync_pipeline import RAW_PUT_THREADS
from servers.dovecot import Mailbox as DovecotUser

THROUGHPUT_GOAL = 1.0  # ours / mbsync, messages per second (issue 15, item 1)
FETCH_BATCH = 50  # what MailboxSync fetches per round trip
TENANT = "tenant-bench"
BUCKET = "bench-blobs"
LOOPBACK = Destinations(allow_loopback=True)  # Dovecot and the counting proxy listen on 127.0.0.1
LABEL = 54


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def imap_settings(user: DovecotUser, port: int | None = None) -> ServerSettings:
    """Implicit TLS, as mbsync_config() uses, trusting the test CA; `port` to go through a proxy."""
    return ServerSettings(
        host=user.host, port=port or user.imaps_port, tls="implicit", username=user.username, ca_cert=user.ca_pem
    )


@dataclass
class PullRun:
    seconds: float
    parse_seconds: float = 0.0  # ours only: the share of the time spent in parse_email
    cpu_seconds: float = 0.0  # the puller's own CPU (user + system): mbsync's process, or ours


@dataclass
class Throughput:
    messages: int
    mbsync: list[PullRun] = field(default_factory=list)
    ours: list[PullRun] = field(default_factory=list)  # fetch + parse + raw stored (the goal)
    unstored: list[PullRun] = field(default_factory=list)  # fetch + parse only, as measured before issue 15
    puts_alone: list[PullRun] = field(default_factory=list)  # the raw copies alone, the sync's way

    @staticmethod
    def best(runs: list[PullRun]) -> PullRun:
        return min(runs, key=lambda r: r.seconds)

    def rate(self, runs: list[PullRun]) -> float:
        return self.messages / self.best(runs).seconds

    @property
    def ratio(self) -> float:
        return self.rate(self.ours) / self.rate(self.mbsync)


# --------------------------------------------------------------------------- the S3 endpoint


@contextmanager
def s3_endpoint() -> Iterator[BlobStore]:
    """moto's S3 server on a free loopback port, in its own process, with a versioned bucket (as the
    template's); the BlobStore over a client configured as `inbox.wiring.client` configures it."""
    import boto3
    from botocore.config import Config

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto's S3 server did not start") from None
                time.sleep(0.1)
        session = boto3.session.Session(
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto's fake keys, never a real account's
            region_name="eu-west-3",
        )
        config = Config(
            retries={"mode": "standard", "max_attempts": 3},
            connect_timeout=3,
            read_timeout=10,
            signature_version="s3v4",
        )
        client = session.client("s3", endpoint_url=f"http://127.0.0.1:{port}", config=config)
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        client.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        yield BlobStore(client, BUCKET)
    finally:
        server.terminate()
        server.wait(timeout=10)


class _NoQueue:
    def send(self, jobs: Any) -> None:
        pass


class RawOnlyIngestor(Ingestor):
    """The Ingestor stopping after the raw copy (`keep_raw`, the worker's own call), with no table."""

    def __init__(self, blobs: BlobStore):
        super().__init__(store=None, blobs=blobs, classify_queue=_NoQueue())  # type: ignore[arg-type]
        self.stored = 0

    def writes_raw_ahead(self, inbound: InboundMessage) -> bool:
        return True  # no table to find a delivery in: every message is new

    def _ingest(self, inbound: InboundMessage) -> IngestResult:
        kept = self.keep_raw(inbound)
        if kept.raw_key is None:
            raise RuntimeError("a message came without its raw copy")
        self.stored += 1
        return IngestResult(message_id=kept.external_id, conversation_id="bench")


class MemorySyncStore:
    """The SyncStore of one mailbox, in memory, from `state`; by default a mailbox never synced, whose first
    sync reads the 14-day window."""

    def __init__(self, integration: Integration, state: SyncState | None = None):
        self.integration = integration
        self.state = state or SyncState(
            tenant_id=integration.tenant_id, integration_id=integration.id, next_sync_at=datetime.now(UTC)
        )
        self.cursors: list[FolderCursor] = []

    def get_integration(self, tenant_id: str, integration_id: str) -> Integration:
        return self.integration

    def get_sync_state(self, tenant_id: str, integration_id: str) -> SyncState:
        return self.state

    def acquire_sync_lease(self, *_: Any) -> bool:
        return True

    def checkpoint_folder(self, tenant_id: str, integration_id: str, owner: str, folder: str, cursor: Any) -> None:
        self.cursors.append(cursor)

    def finish_sync(self, state: SyncState, owner: str) -> None:
        self.state = state


def bench_integration(integration_id: str, host: str, port: int, username: str) -> Integration:
    now = datetime.now(UTC)
    return Integration(
        id=integration_id,
        tenant_id=TENANT,
        kind="email",
        name="Support",
        settings={
            "address": "support@shop.test",
            "imap": {"host": host, "port": port, "tls": "implicit", "username": username},
            "smtp": {"host": host, "port": 587, "tls": "starttls", "username": username},  # never used
        },
        created_at=now,
        updated_at=now,
    )


# --------------------------------------------------------------------------- the pullers


def pull_with_mbsync(user: DovecotUser, expected: int) -> PullRun:
    """mbsync pulls INBOX into an empty Maildir: a first full sync, as fast as it goes (no fsync)."""
    with tempfile.TemporaryDirectory(prefix="bench-mbsync-") as directory:
        local = Path(directory)
        config = user.mbsync_config(local, folders="INBOX")
        config.write_text("FSync no\n\n" + config.read_text())  # a global option: before any section
        cpu_before = _children_cpu()
        started = time.perf_counter()
        result = subprocess.run(
            ["mbsync", "-q", "-c", str(config), "-a"], capture_output=True, text=True, timeout=600, check=False
        )
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        if result.returncode:
            raise RuntimeError(f"mbsync failed ({result.returncode}): {result.stderr.strip()}")
        pulled = sum(len(os.listdir(local / "mail" / "INBOX" / sub)) for sub in ("cur", "new"))
    if pulled != expected:
        raise RuntimeError(f"mbsync pulled {pulled} messages, the mailbox holds {expected}")
    return PullRun(seconds, cpu_seconds=cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # of the children waited for: mbsync here
    return usage.ru_utime + usage.ru_stime


@contextmanager
def timed_parse() -> Iterator[list[float]]:
    """Adds the time of each parse_email the sync makes to the list it yields."""
    spent = [0.0]
    real = sync_mailbox.parse_email

    def timed(raw: bytes) -> Any:
        before = time.perf_counter()
        try:
            return real(raw)
        finally:
            spent[0] += time.perf_counter() - before

    sync_mailbox.parse_email = timed
    try:
        yield spent
    finally:
        sync_mailbox.parse_email = real


def pull_with_ours(user: DovecotUser, blobs: BlobStore, expected: int, run: int) -> PullRun:
    """The sync worker's MailboxSync on a first sync of INBOX: open, EXAMINE, SEARCH the window, sizes,
    FETCH by 50 (the next batch read while this one is handled), parse, raw copies stored."""
    integration = bench_integration(f"bench-pull-{run}", user.host, user.imaps_port, user.username)
    store, ingestor = MemorySyncStore(integration), RawOnlyIngestor(blobs)
    sync = MailboxSync(store, ingestor, lambda _: Mailbox.open(imap_settings(user), user.password, LOOPBACK))
    with timed_parse() as parse_seconds:
        cpu_before, started = time.process_time(), time.perf_counter()
        report = sync.sync(TENANT, integration.id, lambda: 900)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    if (report.outcome, report.imported, ingestor.stored) != ("synced", expected, expected):
        raise RuntimeError(f"our sync ended {report} with {ingestor.stored} raw copies; the mailbox holds {expected}")
    return PullRun(seconds, parse_seconds[0], cpu)


def pull_unstored(user: DovecotUser, expected: int) -> tuple[PullRun, FolderStatus, int]:
    """Fetch and parse alone, as section 1 measured before issue 15: open, EXAMINE, SEARCH, FETCH by 50, parse."""
    parse_seconds, parsed = 0.0, 0
    started = time.perf_counter()
    with Mailbox.open(imap_settings(user), user.password, LOOPBACK) as mailbox:
        status = mailbox.examine("INBOX")
        uids = mailbox.uids_since((datetime.now(UTC) - timedelta(days=14)).date())
        for start in range(0, len(uids), FETCH_BATCH):
            for _uid, raw, *_received in mailbox.fetch(uids[start : start + FETCH_BATCH]):
                before = time.perf_counter()
                parse_email(raw)
                parse_seconds += time.perf_counter() - before
                parsed += 1
    seconds = time.perf_counter() - started
    if parsed != expected:
        raise RuntimeError(f"our path parsed {parsed} messages, the mailbox holds {expected}")
    return PullRun(seconds, parse_seconds), status, max(uids)


def puts_alone(blobs: BlobStore, corpus: Corpus, run: int) -> PullRun:
    """The same raw copies stored with no IMAP and no parse, as many at a time as the sync puts them:
    what the S3 endpoint allows, the ceiling of `ours` here."""
    threads = RAW_PUT_THREADS
    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for future in [
            pool.submit(blobs.put, f"{TENANT}/raw/email/alone-{run}/{n}.eml", raw, "message/rfc822")
            for n, raw in enumerate(corpus.raws)
        ]:
            future.result()
    return PullRun(time.perf_counter() - started)


def measure_throughput(user: DovecotUser, corpus: Corpus, repeats: int) -> tuple[Throughput, FolderStatus, int]:
    messages = len(corpus.raws)
    result = Throughput(messages)
    with s3_endpoint() as blobs:
        for n in range(1, repeats + 1):  # interleaved, so that a slow moment of the machine hits each
            result.mbsync.append(pull_with_mbsync(user, messages))
            progress(f"  run {n}/{repeats}: mbsync {result.mbsync[-1].seconds:.2f} s")
            result.ours.append(pull_with_ours(user, blobs, messages, n))
            run = result.ours[-1]
            progress(f"  run {n}/{repeats}: ours {run.seconds:.2f} s (parse_email {run.parse_seconds:.2f} s)")
            unstored, status, last_uid = pull_unstored(user, messages)
            result.unstored.append(unstored)
            result.puts_alone.append(puts_alone(blobs, corpus, n))
            progress(
                f"  run {n}/{repeats}: fetch + parse alone {unstored.seconds:.2f} s,"
                f" raw copies alone {result.puts_alone[-1].seconds:.2f} s"
            )
    return result, status, last_uid


def report_throughput(t: Throughput, corpus: Corpus, repeats: int) -> list[str]:
    best, mbsync_rate = t.best(t.ours), t.rate(t.mbsync)
    unstored = t.best(t.unstored)
    threads = RAW_PUT_THREADS
    without_parse = t.messages / max(best.seconds - best.parse_seconds, 1e-9) / mbsync_rate
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())

    def line(label: str, runs: list[PullRun], note: str = "") -> str:
        return f"   {label:<{LABEL}}{t.rate(runs):>9,.0f}{t.best(runs).seconds:>10.2f}{note}"

    return [
        f"1. Throughput: {t.messages:,} messages ({corpus.size / 1e6:.1f} MB), same Dovecot, implicit TLS,"
        f" best of {repeats} each (load average {load})",
        f"   {'':<{LABEL}}{'msg/s':>9}{'seconds':>10}",
        line("mbsync -a into an empty Maildir (FSync no)", t.mbsync),
        line(
            "ours: MailboxSync, fetch + parse + raw copy in S3",
            t.ours,
            f"   (parse_email {best.parse_seconds:.2f} s of it, {best.parse_seconds / t.messages * 1000:.2f} ms"
            f" per message, {best.parse_seconds / best.seconds:.0%})",
        ),
        f"   {'ratio ours / mbsync':<{LABEL}}{t.ratio:>9.2f}{'':>10}   goal >= {THROUGHPUT_GOAL}   "
        f"{verdict(t.ratio >= THROUGHPUT_GOAL)}",
        f"   {'ratio with parse_email time taken out / mbsync':<{LABEL}}{without_parse:>9.2f}",
        line(
            "fetch + parse alone, nothing stored (before issue 15)",
            t.unstored,
            f"   (parse_email {unstored.parse_seconds:.2f} s; ratio {t.rate(t.unstored) / mbsync_rate:.2f})",
        ),
        line(f"raw copies alone, {threads} at a time (the S3 endpoint)", t.puts_alone),
        f"   CPU per message, the puller's own process: mbsync {_cpu_ms(t.mbsync, t.messages):.2f} ms,"
        f" ours {_cpu_ms(t.ours, t.messages):.2f} ms (TLS, IMAP, parse, boto3's PutObject; the servers not counted)",
    ]


def _cpu_ms(runs: list[PullRun], messages: int) -> float:
    return min(r.cpu_seconds for r in runs) / messages * 1000
