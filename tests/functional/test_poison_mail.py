"""No single message stops a mailbox: mail that cannot be stored as it is comes in bounded or as a
flagged stub with its raw copy, and the mail after it still arrives (real Dovecot, moto)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from helpers.mailbox import conversations, create_mailbox, integration, mail, run_worker
from inbox import wiring
from inbox.errors import PermanentError
from inbox.services import sync_mailbox
from inbox.services.sync_mailbox import HEADER_ATTEMPTS, LEASE, MESSAGE_ATTEMPTS, MailboxSync
from samples import ADMIN, TENANT, hostile_inbound


def poison() -> bytes:
    """What once blocked a mailbox for good: its message item passed DynamoDB's 400 KB."""
    headers = "".join(f"X-Filler-{n}: {'a' * 2000}\r\n" for n in range(190))
    cc = ", ".join(f'"Destinataire numéro {n} {"z" * 60}" <dest{n}-{"y" * 40}@example.org>' for n in range(500))
    return mail("Poison", sender="Mallory <mallory@example.net>", headers=f"{headers}Cc: {cc}\r\n")


def messages_of(subject: str):
    (conversation,) = [c for c in conversations() if c.subject == subject]
    return wiring.conversations().get(ADMIN, conversation.id).messages


def raw_copies(aws) -> list[str]:
    return [key for key in aws.object_keys() if "/raw/email/" in key]


def test_a_message_too_large_for_an_item_comes_in_bounded_between_two_normal_mails(aws, api, mailbox):
    mailbox.append("INBOX", mail("Avant", sender="a@example.com"))
    mailbox.append("INBOX", poison())
    mailbox.append("INBOX", mail("Après", sender="b@example.com"))
    integration_id = create_mailbox(api, mailbox)

    assert run_worker(integration_id) == {"batchItemFailures": []}

    assert sorted(c.subject for c in conversations()) == ["Après", "Avant", "Poison"]
    (message,) = messages_of("Poison")
    assert message.sender.email == "mallory@example.net"
    assert len(message.to) == 50  # the first recipients, and the defects say where the rest are
    assert any(d.startswith("recipients:") and "first 50 kept" in d for d in message.defects)
    assert any("headers" in defect for defect in message.defects)
    assert len(raw_copies(aws)) == 3  # the whole message is in its raw copy, downloadable
    sync = integration(api, integration_id)["sync"]
    assert (sync["last_imported"], sync["last_error"]) == (3, None)


def test_the_largest_message_a_sender_can_make_is_stored_whole_with_room_to_spare(aws):
    result = wiring.ingestor().ingest(hostile_inbound().model_copy(update={"tenant_id": TENANT, "raw": b"From: x"}))
    assert not result.duplicate
    items = [i for i in aws.all_items() if i["SK"]["S"].startswith("MSG#")]
    size = len(json.dumps(items[0], ensure_ascii=False).encode())  # DynamoDB's own count is smaller
    assert size < 350_000, size  # DynamoDB's limit is 400 KB
    (message,) = wiring.conversations().get(ADMIN, result.conversation_id).messages
    assert "not imported" not in " ".join(message.defects)


def test_a_message_the_store_refuses_is_kept_flagged_with_its_raw_copy(aws, api, mailbox, monkeypatch):
    store = wiring.store()
    real_commit = store.commit_inbound

    def refuse_the_poison(message, *args):
        if message.subject == "Poison" and message.text:
            raise PermanentError("DynamoDB refused an item of this write as invalid or too large")
        return real_commit(message, *args)

    monkeypatch.setattr(store, "commit_inbound", refuse_the_poison)
    mailbox.append("INBOX", mail("Avant", sender="a@example.com"))
    mailbox.append("INBOX", mail("Poison", sender="Mallory <mallory@example.net>", body="x" * 100))
    mailbox.append("INBOX", mail("Après", sender="b@example.com"))
    integration_id = create_mailbox(api, mailbox)

    assert run_worker(integration_id) == {"batchItemFailures": []}

    (stub,) = messages_of("Poison")
    assert stub.sender.email == "mallory@example.net"
    assert stub.sent_at is not None
    assert stub.text == ""
    assert stub.defects == ["not imported: DynamoDB refused an item of this write as invalid or too large"]
    assert stub.raw_key  # the person downloads the original
    assert len(raw_copies(aws)) == 3
    assert {c.subject for c in conversations()} == {"Avant", "Poison", "Après"}


def test_a_message_that_fails_every_run_is_kept_flagged_and_the_cursor_moves_past_it(aws, api, mailbox, monkeypatch):
    for subject, sender in (("Avant", "a@example.com"), ("Poison", "m@example.net"), ("Après", "b@example.com")):
        mailbox.append("INBOX", mail(subject, sender=sender))
    integration_id = create_mailbox(api, mailbox)
    ingestor = wiring.ingestor()
    real_ingest = ingestor.ingest

    def crash_on_the_poison(message):
        if message.subject == "Poison":
            raise RuntimeError("a bug this message finds")
        return real_ingest(message)

    monkeypatch.setattr(ingestor, "ingest", crash_on_the_poison)
    now = datetime.now(UTC)

    def run():
        return MailboxSync(wiring.store(), ingestor, wiring.open_mailbox, clock=lambda: now).sync(
            TENANT, integration_id, seconds_left=lambda: 300
        )

    for attempt in range(1, MESSAGE_ATTEMPTS):
        with pytest.raises(RuntimeError):
            run()  # retried by the queue: the trouble may be ours and pass
        cursor = wiring.store().get_sync_state(TENANT, integration_id).folders["INBOX"]
        assert (cursor.failing_uid, cursor.failing_attempts, cursor.last_uid) == (2, attempt, 1)
    assert [c.subject for c in conversations()] == ["Avant"]

    report = run()

    assert (report.outcome, report.imported) == ("synced", 2)
    (stub,) = messages_of("Poison")
    assert stub.defects == [f"not imported: failed {MESSAGE_ATTEMPTS} times (RuntimeError)"]
    assert stub.raw_key
    assert {c.subject for c in conversations()} == {"Avant", "Poison", "Après"}
    cursor = wiring.store().get_sync_state(TENANT, integration_id).folders["INBOX"]
    assert (cursor.last_uid, cursor.failing_uid) == (3, None)
    assert len(raw_copies(aws)) == 3  # each retry of the poison wrote the same copy, never a second one


def test_a_retried_message_writes_one_raw_copy(aws, api, mailbox, monkeypatch):
    mailbox.append("INBOX", mail("Question", sender="a@example.com"))
    integration_id = create_mailbox(api, mailbox)
    store = wiring.store()
    real_commit, calls = store.commit_inbound, []

    def fail_once(*args):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the function was killed before the commit")
        return real_commit(*args)

    monkeypatch.setattr(store, "commit_inbound", fail_once)
    with pytest.raises(BatchProcessingError):
        run_worker(integration_id)  # the job goes back to the queue
    assert run_worker(integration_id) == {"batchItemFailures": []}
    assert len(raw_copies(aws)) == 1
    assert [c.subject for c in conversations()] == ["Question"]


def test_a_mail_whose_sender_cannot_be_a_contact_still_comes_in_from_unknown_sender(aws, api, mailbox):
    mailbox.append("INBOX", mail("Adresse impossible", sender=f"Bob <bob@{'a' * 400}.example>", body="Bonjour"))
    integration_id = create_mailbox(api, mailbox)

    assert run_worker(integration_id) == {"batchItemFailures": []}

    (message,) = messages_of("Adresse impossible")
    assert message.sender.email == "unknown-sender@sender.invalid"
    assert message.text.startswith("Bonjour")
    assert "from: needs an email or a phone number" in message.defects


class Killed(BaseException):
    """Not an Exception: nothing in the sync catches it, as nothing runs after a killed process."""


def runs(integration_id: str, ingestor=None):
    """Sync runs an hour apart (so a killed run's lease has expired), each with a fresh store read."""
    start = datetime.now(UTC)

    def run(n: int):
        return MailboxSync(
            wiring.store(), ingestor or wiring.ingestor(), wiring.open_mailbox, clock=lambda: start + n * LEASE * 2
        ).sync(TENANT, integration_id, seconds_left=lambda: 300)

    return run


def test_a_mail_that_kills_every_run_that_reads_it_is_kept_from_its_headers(aws, api, mailbox, monkeypatch):
    real_parse = sync_mailbox.parse_email

    def killed_by_the_poison(raw: bytes):
        if b"POISON-BODY" in raw:
            raise Killed  # the worker dies reading it: out of memory, say
        return real_parse(raw)

    monkeypatch.setattr(sync_mailbox, "parse_email", killed_by_the_poison)
    mailbox.append("INBOX", mail("Avant", sender="a@example.com"))
    mailbox.append("INBOX", mail("Poison", sender="Mallory <m@example.net>", body="POISON-BODY"))
    mailbox.append("INBOX", mail("Après", sender="b@example.com"))
    integration_id = create_mailbox(api, mailbox)
    run = runs(integration_id)

    # The first death is counted against its batch's first message; the next runs go one message at a time.
    for n in range(MESSAGE_ATTEMPTS + 1):
        with pytest.raises(Killed):
            run(n)
    report = run(MESSAGE_ATTEMPTS + 1)

    assert report.outcome == "synced"
    (stub,) = messages_of("Poison")
    assert stub.sender.email == "m@example.net"
    assert stub.defects == [
        f"not imported: could not be read in {MESSAGE_ATTEMPTS} tries; the original is still in the mailbox"
    ]
    assert {c.subject for c in conversations()} == {"Avant", "Poison", "Après"}


def test_a_mail_over_the_size_limit_is_kept_from_its_headers_without_reading_it(aws, api, mailbox, monkeypatch):
    monkeypatch.setattr(sync_mailbox, "MAX_MESSAGE_BYTES", 2 * 2**20)
    mailbox.append("INBOX", mail("Vidéo", sender="Ana <ana@example.es>", body="A" * (3 * 2**20)))
    mailbox.append("INBOX", mail("Après", sender="b@example.com"))
    integration_id = create_mailbox(api, mailbox)

    assert run_worker(integration_id) == {"batchItemFailures": []}

    (stub,) = messages_of("Vidéo")
    assert stub.sender.email == "ana@example.es"
    assert stub.defects == ["not imported: 3 MB, over the 2 MB the inbox imports; the original is still in the mailbox"]
    assert stub.raw_key is None
    assert [c.subject for c in conversations() if c.subject == "Après"]


def test_a_mail_not_even_a_stub_can_be_kept_for_is_passed_over_and_named_on_the_mailbox(aws, api, mailbox, monkeypatch):
    store = wiring.store()
    real_commit = store.commit_inbound

    def refuse_the_poison_in_any_form(message, *args):
        if message.subject == "Poison":
            raise RuntimeError("a bug this message finds, even in its stub")
        return real_commit(message, *args)

    monkeypatch.setattr(store, "commit_inbound", refuse_the_poison_in_any_form)
    mailbox.append("INBOX", mail("Avant", sender="a@example.com"))
    mailbox.append("INBOX", mail("Poison", sender=f"Bob <bob@{'a' * 400}.example>"))
    mailbox.append("INBOX", mail("Après", sender="b@example.com"))
    integration_id = create_mailbox(api, mailbox)
    run = runs(integration_id)

    for n in range(MESSAGE_ATTEMPTS + HEADER_ATTEMPTS):
        with pytest.raises(RuntimeError):
            run(n)
    report = run(MESSAGE_ATTEMPTS + HEADER_ATTEMPTS)

    assert report.outcome == "synced"
    assert {c.subject for c in conversations()} == {"Avant", "Après"}
    assert integration(api, integration_id)["sync"]["last_error"] == (
        "INBOX: message UID 2 could not be imported; it is still in the mailbox"
    )
    assert run(MESSAGE_ATTEMPTS + HEADER_ATTEMPTS + 1).outcome == "synced"  # and it stays passed over
    assert integration(api, integration_id)["sync"]["last_error"] is None
