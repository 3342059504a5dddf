"""The pipelined mailbox sync (issue 15, item 1): the next batch is read while this one is parsed and
stored, raw copies go to S3 on a pool; the cursor, the order and the dedupe are what they were."""

from __future__ import annotations

import random
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from helpers.mailbox import mail
from inbox.adapters.imap import FolderStatus, MailboxUnreachableError
from inbox.models import Delivery, FolderCursor, InboundMessage, Integration, SyncState
from inbox.services import sync_mailbox
from inbox.services.ingest import Ingestor, IngestResult
from inbox.services.sync_mailbox import MESSAGE_ATTEMPTS, MailboxSync
from inbox.services.sync_pipeline import ReadAhead, Reading

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


class FakeMailbox:
    """A mailbox whose every call checks that no other thread is using the connection at the time."""

    def __init__(self, messages: dict[int, bytes], events: list[tuple], broken_fetch: int | None = None):
        self.messages = messages
        self.events = events
        self.broken_fetch = broken_fetch  # the UID whose FETCH breaks the connection
        self.in_use = threading.Lock()
        self.logged_out = False

    @contextmanager
    def _connection(self):
        if not self.in_use.acquire(blocking=False):
            raise AssertionError("two threads used the IMAP connection at once")
        try:
            if self.logged_out:
                raise AssertionError("the connection was used after the logout")
            yield
        finally:
            self.in_use.release()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        with self._connection():
            self.logged_out = True

    def examine(self, folder):
        with self._connection():
            return FolderStatus(uidvalidity=7, uidnext=max(self.messages) + 1, highestmodseq=None, exists=0)

    def uids_since(self, day):
        with self._connection():
            return sorted(self.messages)

    def uids_after(self, last_uid):
        with self._connection():
            return [uid for uid in sorted(self.messages) if uid > last_uid]

    def sizes(self, uids):
        with self._connection():
            return {uid: len(self.messages[uid]) for uid in uids}

    def fetch(self, uids):
        with self._connection():
            self.events.append(("fetch start", uids[0]))
            time.sleep(0.01)  # the server's round trip: long enough for the overlap to show
            if self.broken_fetch in uids:
                raise MailboxUnreachableError("the connection broke")
            found = [(uid, self.messages[uid], NOW) for uid in uids]
            self.events.append(("fetch end", uids[0]))
        return iter(found)

    def fetch_headers(self, uids):
        with self._connection():
            return iter([(uid, self.messages[uid].split(b"\r\n\r\n")[0], NOW) for uid in uids])


class FakeStore:
    def __init__(self, integration: Integration, events: list[tuple]):
        self.integration = integration
        self.state = SyncState(tenant_id=integration.tenant_id, integration_id=integration.id, next_sync_at=NOW)
        self.events = events

    def get_integration(self, tenant_id, integration_id):
        return self.integration

    def get_sync_state(self, tenant_id, integration_id):
        return self.state.model_copy(deep=True)

    def acquire_sync_lease(self, *_):
        return True

    def checkpoint_folder(self, tenant_id, integration_id, owner, folder, cursor):
        self.events.append(("checkpoint", cursor.last_uid, cursor.failing_uid))
        self.state.folders[folder] = cursor

    def finish_sync(self, state, owner):
        self.state = state


class FakeIngestor:
    """Stores raw copies (slowly, at random, from any thread) and ingests, deduping by Message-ID."""

    def __init__(self, events: list[tuple], fail_on: set[str] | None = None):
        self.events = events
        self.blobs: set[str] = set()
        self.ingested: list[str] = []  # subjects, in the order ingested
        self.seen: set[str] = set()
        self.fail_on = fail_on or set()
        self.raw_puts = 0
        self._lock = threading.Lock()

    def writes_raw_ahead(self, inbound: InboundMessage) -> bool:
        # As the real one: nothing is put ahead for a known delivery (ingest decides), asked on the sync's thread.
        assert threading.current_thread() is threading.main_thread(), "the table is read by the sync's thread"
        return inbound.external_id not in self.seen

    def keep_raw(self, inbound: InboundMessage) -> InboundMessage:
        time.sleep(random.uniform(0, 0.005))  # puts end out of order
        key = f"raw/{inbound.external_id}"
        with self._lock:
            self.blobs.add(key)
            self.raw_puts += 1
        return inbound.model_copy(update={"raw_key": key})

    def ingest(self, inbound: InboundMessage) -> IngestResult:
        if inbound.subject in self.fail_on:
            raise RuntimeError("a bug this message finds")
        self.events.append(("ingest", inbound.subject))
        if inbound.external_id in self.seen:  # as the real one: a duplicate writes no copy
            return IngestResult(message_id=inbound.external_id, conversation_id="c", duplicate=True)
        inbound = self.keep_raw(inbound) if inbound.raw_key is None else inbound
        assert inbound.raw_key in self.blobs, "a message was stored before its raw copy"
        self.seen.add(inbound.external_id)
        self.ingested.append(inbound.subject)
        return IngestResult(message_id=inbound.external_id, conversation_id="c")

    def not_imported(self, inbound, reason):
        return self.ingest(inbound.model_copy(update={"subject": f"stub: {inbound.subject}"}))

    @contextmanager
    def batch(self):
        yield

    def sweep_unfiled(self, tenant_id):
        pass


def integration() -> Integration:
    return Integration(
        id="i-1",
        tenant_id="t-1",
        kind="email",
        name="Support",
        settings={
            "address": "support@shop.test",
            "imap": {"host": "imap.shop.test", "port": 993, "tls": "implicit", "username": "support"},
            "smtp": {"host": "smtp.shop.test", "port": 587, "tls": "starttls", "username": "support"},
        },
        created_at=NOW,
        updated_at=NOW,
    )


def mailbox_of(count: int) -> dict[int, bytes]:
    return {
        uid: mail(f"Question {uid}", sender=f"c{uid}@example.com", message_id=f"<q{uid}@x>")
        for uid in range(1, count + 1)
    }


def run(store, ingestor, messages, events, batch_size=5, broken_fetch=None, seconds=300.0):
    mailbox = FakeMailbox(messages, events, broken_fetch)
    sync = MailboxSync(store, ingestor, lambda _: mailbox, batch_size=batch_size, clock=lambda: NOW)
    return sync.sync("t-1", "i-1", lambda: seconds), mailbox


def ingested_uids_at_each_checkpoint(events: list[tuple]):
    """(last_uid saved, UIDs ingested by then) at every checkpoint."""
    done, found = set(), []
    for event in events:
        if event[0] == "ingest":
            done.add(int(event[1].split()[-1]))
        elif event[0] == "checkpoint":
            found.append((event[1], set(done)))
    return found


def test_pipelined_sync_ingests_in_uid_order_and_saves_the_cursor_only_after_each_batch_is_ingested():
    # GIVEN 23 messages, batches of 5, raw copies stored on the pool in any order
    events: list[tuple] = []
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events)

    # WHEN the mailbox is synced
    report, mailbox = run(store, ingestor, mailbox_of(23), events)

    # THEN every message came in once, in UID order, each after its raw copy (FakeIngestor checks)
    assert (report.outcome, report.imported) == ("synced", 23)
    assert ingestor.ingested == [f"Question {uid}" for uid in range(1, 24)]
    assert ingestor.raw_puts == 23  # one copy each, all stored ahead: ingest stored none itself
    # AND no checkpoint ever named a message not yet ingested
    for last_uid, done in ingested_uids_at_each_checkpoint(events):
        assert set(range(1, last_uid + 1)) <= done | {0}
    assert store.state.folders["INBOX"].last_uid == 23
    assert mailbox.logged_out


def test_the_next_batch_is_fetched_while_this_one_is_ingested_one_thread_at_a_time_on_the_connection():
    events: list[tuple] = []
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events)

    run(store, ingestor, mailbox_of(15), events)  # FakeMailbox fails on concurrent use of the connection

    fetches = [e[1] for e in events if e[0] == "fetch start"]
    assert fetches == [1, 6, 11]
    # The second batch's FETCH started before the first batch's last message was ingested.
    assert events.index(("fetch start", 6)) < events.index(("ingest", "Question 5"))


def test_no_read_ahead_past_the_memory_bound_nor_for_a_careful_batch(monkeypatch):
    events: list[tuple] = []
    messages = mailbox_of(10)
    # Two batches of 5 hold more than the bound together: each is read only when its turn comes.
    monkeypatch.setattr(sync_mailbox, "MAX_BATCH_BYTES", sum(len(m) for m in messages.values()) * 7 // 10)
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events)
    run(store, ingestor, messages, events)
    assert events.index(("fetch start", 6)) > events.index(("ingest", "Question 5"))
    assert ingestor.ingested == [f"Question {uid}" for uid in range(1, 11)]


def test_a_failure_mid_batch_keeps_what_came_before_and_the_next_run_resumes_there_without_duplicates():
    # GIVEN message 8 (in the second batch of 5) fails once
    events: list[tuple] = []
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events, fail_on={"Question 8"})
    messages = mailbox_of(12)

    # WHEN the first run meets it
    with pytest.raises(RuntimeError):
        run(store, ingestor, messages, events)

    # THEN the cursor keeps 1..7, names 8, and nothing after 8 was ingested though it was parsed ahead
    cursor = store.state.folders["INBOX"]
    assert (cursor.last_uid, cursor.failing_uid, cursor.failing_attempts) == (7, 8, 1)
    assert ingestor.ingested == [f"Question {uid}" for uid in range(1, 8)]
    for last_uid, done in ingested_uids_at_each_checkpoint(events):
        assert set(range(1, last_uid + 1)) <= done | {0}

    # WHEN the trouble passed and the next run goes on
    ingestor.fail_on.clear()
    report, _ = run(store, ingestor, messages, events)

    # THEN it starts at 8 and brings the rest in order, once each
    assert (report.outcome, report.imported) == ("synced", 5)
    assert ingestor.ingested == [f"Question {uid}" for uid in range(1, 13)]
    assert store.state.folders["INBOX"].last_uid == 12


def test_a_message_that_fails_every_run_is_kept_as_a_stub_in_its_turn():
    events: list[tuple] = []
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events, fail_on={"Question 3"})
    messages = mailbox_of(6)
    for _ in range(MESSAGE_ATTEMPTS - 1):
        with pytest.raises(RuntimeError):
            run(store, ingestor, messages, events)
    report, _ = run(store, ingestor, messages, events)
    assert report.outcome == "synced"
    assert ingestor.ingested == [
        "Question 1",
        "Question 2",
        "stub: Question 3",
        "Question 4",
        "Question 5",
        "Question 6",
    ]


def test_a_broken_read_ahead_fails_the_run_after_the_batch_before_it_is_saved():
    events: list[tuple] = []
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events)

    report, mailbox = run(store, ingestor, mailbox_of(12), events, broken_fetch=6)

    assert report.outcome == "failed"
    assert "connection broke" in report.error
    assert store.state.folders["INBOX"].last_uid == 5  # the first batch, ingested while the second was read
    assert ingestor.ingested == [f"Question {uid}" for uid in range(1, 6)]
    assert mailbox.logged_out  # after the read-ahead was over: FakeMailbox checks


def test_a_duplicate_read_again_is_absorbed_and_a_renumbered_folder_leaves_raw_copies_to_ingest():
    events: list[tuple] = []
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events)
    messages = mailbox_of(4)
    run(store, ingestor, messages, events)
    puts = ingestor.raw_puts

    # The server renumbers the folder: the window is read again, every message a duplicate.
    store.state.folders["INBOX"] = store.state.folders["INBOX"].model_copy(update={"uidvalidity": 1})
    report, _ = run(store, ingestor, messages, events)

    assert (report.outcome, report.imported) == ("synced", 0)
    assert ingestor.ingested == [f"Question {uid}" for uid in range(1, 5)]
    assert ingestor.raw_puts == puts == 4  # no copy written again for the duplicates


def test_a_run_that_follows_a_death_reads_nothing_ahead_so_a_death_in_a_read_is_charged_to_its_batch():
    # GIVEN the run before died at message 1 (its batch being ingested, the next one being read ahead)
    events: list[tuple] = []
    store, ingestor = FakeStore(integration(), events), FakeIngestor(events)
    store.state.folders["INBOX"] = FolderCursor(uidvalidity=7, last_uid=0, failing_uid=1, failing_attempts=1)

    run(store, ingestor, mailbox_of(12), events)

    # THEN each batch is read in its turn, after the batch before it is ingested: were it to kill the
    # run again, the death is charged to that batch's first message, not to the one before it
    assert ingestor.ingested == [f"Question {uid}" for uid in range(1, 13)]
    assert events.index(("fetch start", 7)) > events.index(("ingest", "Question 6"))
    assert events.index(("fetch start", 12)) > events.index(("ingest", "Question 11"))


def test_dropping_a_read_ahead_keeps_its_error_but_not_an_interrupt():
    class Breaking:
        def __init__(self, error):
            self.error = error

        def fetch(self, uids):
            raise self.error

    reading = Reading(whole=(1,), headers=())
    ahead = ReadAhead()
    ahead.start(Breaking(MailboxUnreachableError("the connection broke")), reading)
    ahead.drop()  # a read nobody uses: its error is not this batch's
    ahead.start(Breaking(KeyboardInterrupt()), reading)
    with pytest.raises(KeyboardInterrupt):
        ahead.drop()
    ahead.close()


class RecordingBlobs:
    def __init__(self):
        self.objects: dict[str, bytes] = {}
        self.raw_puts = 0

    def put(self, key, data, content_type):
        self.raw_puts += "/raw/" in key
        self.objects[key] = data
        return key

    def put_json(self, key, value):
        return key


class DeliveryStore:
    """The store as ingest sees it: deliveries remembered by their commit (or kept after a purge)."""

    def __init__(self, known=()):
        self.deliveries = {external_id: Delivery(message_id="m", conversation_id="c") for external_id in known}
        self.messages = []

    def get_delivery(self, tenant_id, integration_id, external_id):
        return self.deliveries.get(external_id)

    def find_contact(self, tenant_id, identities):
        return None

    def create_contact(self, contact, identities):
        return True

    def get_thread(self, *_):
        return None

    def find_by_message_id(self, *_):
        return None

    def get_conversation(self, *_):
        return None

    def commit_inbound(self, message, *_):
        self.deliveries[message.external_id] = Delivery(message_id=message.id, conversation_id="c")
        self.messages.append(message)


class NoQueue:
    def send(self, jobs):
        pass


def sync_with_real_ingest(messages, store, blobs, folders=("INBOX",), sent_folder=None):
    events: list[tuple] = []
    imap = {"host": "imap.shop.test", "port": 993, "tls": "implicit", "username": "support"}
    settings = integration().settings.model_dump()
    settings["imap"] = {**imap, "folders": list(folders), "sent_folder": sent_folder}
    fake = FakeStore(integration().model_copy(update={"settings": type(integration().settings)(**settings)}), events)
    ingestor = Ingestor(store, blobs, NoQueue(), clock=lambda: NOW)
    return run(fake, ingestor, messages, events)[0]


def test_no_raw_copy_is_put_ahead_for_a_known_delivery_nor_for_sent_mail_ingest_refuses():
    # A conversation deleted before (its delivery record stays), its mail read again in a folder
    store, blobs = DeliveryStore(known={"q1@x"}), RecordingBlobs()
    report = sync_with_real_ingest({1: mail("Q1", message_id="<q1@x>")}, store, blobs)
    assert (report.outcome, report.imported, blobs.raw_puts) == ("synced", 0, 0)

    # A Sent mail to Bcc recipients only: ingest refuses it, so no copy either
    bcc_only = mail("News", sender="support@shop.test", message_id="<n1@x>")
    bcc_only = bcc_only.replace(b"To: support@shop.test\r\n", b"Bcc: many@example.com\r\n")
    store, blobs = DeliveryStore(), RecordingBlobs()
    report = sync_with_real_ingest({1: bcc_only}, store, blobs, folders=(), sent_folder="Sent")
    assert (report.outcome, report.imported, blobs.raw_puts) == ("synced", 0, 0)


def test_a_mail_reusing_a_stored_message_id_leaves_that_messages_original_untouched():
    first = mail("First", sender="a@example.com", message_id="<same@x>", body="the first mail")
    second = mail("Second", sender="b@example.com", message_id="<same@x>", body="another mail")
    # In one run (both in one batch), then in a later run (the first stored by then)
    for runs in ({1: first, 2: second}, {1: first}), ({1: first}, {1: first, 2: second}):
        store, blobs = DeliveryStore(), RecordingBlobs()
        for messages in runs:
            sync_with_real_ingest(messages, store, blobs)
        [stored] = store.messages
        assert stored.subject == "First"
        assert blobs.objects[stored.raw_key] == first
        assert blobs.raw_puts == 1
