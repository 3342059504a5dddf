"""Mailbox sync against a real Dovecot: the worker handler on its sample SQS event, under moto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import make_msgid

import pytest

from helpers.events import REPO, api_request, load_event, with_body
from helpers.mailbox import SyncContext, conversations, create_mailbox, integration, mail, reply_event, run_worker
from inbox import wiring
from inbox.services.sync_mailbox import MailboxSync
from samples import ADMIN, TENANT

CORPUS = REPO.parent / "shared" / "corpora" / "email"


def test_sync_imports_real_mail_into_threaded_conversations_and_leaves_it_unread(aws, api, mailbox):
    first = make_msgid(domain="example.fr")
    mailbox.append("INBOX", mail("Commande 1042", message_id=first))
    mailbox.append(
        "INBOX",
        mail(
            "Re: Commande 1042", headers=f"In-Reply-To: {first}\r\nReferences: {first}\r\n", body="Toujours rien reçu."
        ),
    )
    mailbox.append("INBOX", mail("Devis", sender="Paul <paul@example.com>"))
    for name in (
        "freescout/message-5-iso-2022-jp.eml",
        "chatwoot/multiple_attachments.eml",
        "chatwoot/only_html.eml",
        "chatwoot/auto_reply.eml",
        "chatwoot/bounced_gmail.eml",
    ):
        mailbox.append("INBOX", (CORPUS / name).read_bytes())
    mailbox.append(
        "INBOX", mail("Nos offres", sender="news@shop.example", headers="List-Unsubscribe: <mailto:u@x>\r\n")
    )
    integration_id = create_mailbox(api, mailbox)

    assert run_worker(integration_id) == {"batchItemFailures": []}
    assert integration(api, integration_id)["sync"]["last_error"] is None

    threads = {c.subject: c for c in conversations()}
    assert threads["Commande 1042"].message_count == 2
    assert threads["Devis"].contact.email == "paul@example.com"
    # the auto-reply, the bounce, the newsletter, and Amazon's noreply@ shipping notice
    assert len(conversations(folder_id="automated")) == 4
    assert sum(c.message_count for c in conversations()) == 9
    assert all(b"\\Seen" not in flags for flags in mailbox.fetch_flags().values())
    attachments = [
        a for c in conversations() for m in wiring.conversations().get(ADMIN, c.id).messages for a in m.attachments
    ]
    assert len(attachments) >= 2
    assert all(key.startswith(f"{TENANT}/") for key in aws.object_keys())
    sync = integration(api, integration_id)["sync"]
    assert (sync["last_imported"], sync["imported_total"], sync["last_error"]) == (9, 9, None)


def test_sync_again_imports_nothing_then_picks_up_new_mail(aws, api, mailbox):
    mailbox.append("INBOX", mail("Première"))
    integration_id = create_mailbox(api, mailbox)
    run_worker(integration_id)
    run_worker(integration_id)
    assert integration(api, integration_id)["sync"]["last_imported"] == 0
    mailbox.append("INBOX", mail("Deuxième", sender="ana@example.es"))
    run_worker(integration_id)
    assert integration(api, integration_id)["sync"]["last_imported"] == 1
    assert len(conversations()) == 2


def test_sync_after_a_uidvalidity_change_imports_no_duplicate(aws, api, mailbox):
    for n in range(3):
        mailbox.append("INBOX", mail(f"Question {n}", sender=f"c{n}@example.com"))
    integration_id = create_mailbox(api, mailbox)
    run_worker(integration_id)
    before, after = mailbox.reset_uidvalidity()
    assert before != after
    run_worker(integration_id)
    assert integration(api, integration_id)["sync"]["last_imported"] == 0
    assert sum(c.message_count for c in conversations()) == 3


def test_sync_resumes_after_a_crash_from_the_last_checkpoint(aws, api, mailbox, monkeypatch):
    for n in range(5):
        mailbox.append("INBOX", mail(f"Question {n}", sender=f"c{n}@example.com"))
    integration_id = create_mailbox(api, mailbox)
    ingestor = wiring.ingestor()
    real_ingest, seen = ingestor.ingest, []

    def crash_on_the_third(message):
        seen.append(message.external_id)
        if len(seen) == 3:
            raise RuntimeError("the function was killed")
        return real_ingest(message)

    monkeypatch.setattr(ingestor, "ingest", crash_on_the_third)
    now = datetime.now(UTC)
    with pytest.raises(RuntimeError):
        MailboxSync(wiring.store(), ingestor, wiring.open_mailbox, batch_size=2, clock=lambda: now).sync(
            TENANT, integration_id, seconds_left=lambda: 300
        )
    assert wiring.store().get_sync_state(TENANT, integration_id).folders["INBOX"].last_uid == 2
    monkeypatch.setattr(ingestor, "ingest", real_ingest)

    crashed = wiring.store().get_sync_state(TENANT, integration_id)
    assert (crashed.running, crashed.lease_owner) == (False, None)  # released, not held for 15 minutes
    assert "internal error" in crashed.last_error
    report = MailboxSync(wiring.store(), ingestor, wiring.open_mailbox, batch_size=2, clock=lambda: now).sync(
        TENANT, integration_id, seconds_left=lambda: 300
    )
    assert (report.outcome, report.imported) == ("synced", 3)
    assert sorted(c.subject for c in conversations()) == [f"Question {n}" for n in range(5)]


def test_sync_out_of_time_hands_the_rest_to_the_next_run(aws, api, mailbox):
    for n in range(3):
        mailbox.append("INBOX", mail(f"Question {n}", sender=f"c{n}@example.com"))
    integration_id = create_mailbox(api, mailbox)
    run_worker(integration_id, seconds=5)
    state = wiring.store().get_sync_state(TENANT, integration_id)
    assert state.last_imported == 0
    assert state.next_sync_at <= datetime.now(UTC)  # due again at once
    run_worker(integration_id)
    assert len(conversations()) == 3


def test_sync_never_runs_twice_at_once(aws, api, mailbox):
    mailbox.append("INBOX", mail("Question"))
    integration_id = create_mailbox(api, mailbox)
    now = datetime.now(UTC)
    assert wiring.store().acquire_sync_lease(TENANT, integration_id, "another-run", now, now + timedelta(minutes=5))
    report = wiring.mailbox_sync().sync(TENANT, integration_id, seconds_left=lambda: 300)
    assert report.outcome == "busy"
    assert conversations() == []


def test_sync_records_login_and_tls_failures_without_stopping_other_mailboxes(aws, api, mailbox):
    mailbox.append("INBOX", mail("Question"))
    wrong_password = create_mailbox(api, mailbox, password="not-the-password")
    untrusted = create_mailbox(api, mailbox, trust_ca=False)
    good = create_mailbox(api, mailbox, tls="starttls")

    assert run_worker(wrong_password, untrusted, good) == {"batchItemFailures": []}

    assert "refused the login" in integration(api, wrong_password)["sync"]["last_error"]
    assert "TLS" in integration(api, untrusted)["sync"]["last_error"]
    assert integration(api, good)["sync"]["last_error"] is None
    assert len(conversations()) == 1
    retry_at = datetime.fromisoformat(integration(api, wrong_password)["sync"]["next_sync_at"])
    assert retry_at > datetime.now(UTC) + timedelta(seconds=90)  # backed off


def test_sync_of_a_server_that_is_down_is_retried_later(aws, api, mailbox, dovecot):
    integration_id = create_mailbox(api, mailbox)
    dovecot.stop()
    try:
        assert run_worker(integration_id) == {"batchItemFailures": []}
    finally:
        dovecot.start()
    assert "could not reach an IMAP server at" in integration(api, integration_id)["sync"]["last_error"]


def test_sync_scheduler_queues_each_due_mailbox_and_the_button_queues_one(aws, api, mailbox):
    from functions.sync_email import app

    first, second = create_mailbox(api, mailbox), create_mailbox(api, mailbox)
    assert app.schedule_handler(load_event("sync_email/schedule.json"), SyncContext()) == {"queued": 2}
    assert sorted(job["integration_id"] for job in aws.queued(aws.sync_queue_url)) == sorted([first, second])

    run_worker(first)  # synced: not due for another minute
    assert app.schedule_handler(load_event("sync_email/schedule.json"), SyncContext()) == {"queued": 1}

    status, body = api(api_request("POST", f"/integrations/{first}/sync"))
    assert (status, body) == (202, {"queued": True})


def test_reply_reaches_the_customer_in_thread_and_their_answer_comes_back_to_it(aws, api, mailbox, smtp_server):
    first = make_msgid(domain="example.fr")
    mailbox.append("INBOX", mail("Commande 1042", message_id=first))
    mailbox.create_folder("Sent")
    integration_id = create_mailbox(api, mailbox, smtp=smtp_server.smtp_settings(), sent_folder="Sent")
    run_worker(integration_id)
    [conversation] = conversations()

    status, sent = api(reply_event(conversation.id, "Votre colis part demain."))

    assert (status, sent["delivery"], sent["delivery_error"]) == (201, "sent", None)
    [received] = smtp_server.wait_for(1)
    email = received.message
    assert received.rcpt_tos == ("elodie@example.fr",)
    assert received.tls
    assert email["Subject"] == "Re: Commande 1042"
    assert email["In-Reply-To"] == first
    assert first in email["References"]
    assert email["From"] == "Support <support@shop.test>"
    assert email.get_body(("plain",)).get_content().strip() == "Votre colis part demain."
    assert mailbox.message_count("Sent") == 1

    answer = mail("Re: Commande 1042", headers=f"In-Reply-To: {email['Message-ID']}\r\n", body="Merci !")
    mailbox.append("INBOX", answer.replace(b"Subject: Re: Commande 1042", b"Subject: Merci"))
    run_worker(integration_id)
    [same] = conversations()
    assert (same.id, same.message_count, same.unread) == (conversation.id, 3, True)


def test_reply_that_the_server_refuses_is_kept_and_marked_failed_with_the_reason(aws, api, mailbox, smtp_server):
    mailbox.append("INBOX", mail("Commande 1042"))
    integration_id = create_mailbox(api, mailbox, smtp=smtp_server.smtp_settings())
    run_worker(integration_id)
    [conversation] = conversations()
    smtp_server.refuse("elodie@example.fr")

    status, sent = api(reply_event(conversation.id, "Votre colis part demain."))

    assert (status, sent["delivery"]) == (201, "failed")
    assert "refused elodie@example.fr" in sent["delivery_error"]
    stored = wiring.conversations().get(ADMIN, conversation.id).messages[-1]
    assert (stored.text, stored.delivery) == ("Votre colis part demain.", "failed")


def test_connection_check_says_what_is_wrong_with_each_server_and_saves_nothing(aws, api, mailbox, smtp_server):
    def check(imap: dict, smtp: dict) -> dict:
        body = {"kind": "email", "name": "Support", "address": "support@shop.test", "imap": imap, "smtp": smtp}
        status, report = api(api_request("POST", "/integrations/test", body))
        assert status == 200, report
        return report

    good = check(mailbox.imap_settings(), smtp_server.smtp_settings())
    assert good == {"imap_ok": True, "imap_error": None, "smtp_ok": True, "smtp_error": None}

    bad = check(mailbox.imap_settings() | {"password": "wrong"}, smtp_server.smtp_settings(trust_ca=False))
    assert "refused the login" in bad["imap_error"]
    assert "TLS" in bad["smtp_error"]
    missing = check(mailbox.imap_settings() | {"folders": ["Archives/2019"]}, smtp_server.smtp_settings())
    assert "Archives/2019" in missing["imap_error"]
    unknown = check(
        mailbox.imap_settings() | {"host": "mail.invalid"}, smtp_server.smtp_settings() | {"password": "no"}
    )
    assert "could not reach an IMAP server at mail.invalid:" in unknown["imap_error"]
    assert "refused the login" in unknown["smtp_error"]
    assert aws.all_items() == []


@pytest.fixture
def token_endpoint(mailbox, smtp_server):
    from fakes.oauth import TokenEndpoint

    # One token for both servers, as with Gmail: the test servers accept their own, so align them.
    smtp_server.token = mailbox.token
    endpoint = TokenEndpoint("inbox-client", "client-secret", "refresh-1", access_token=mailbox.token)
    yield endpoint
    endpoint.close()


def create_oauth_mailbox(api, mailbox, smtp_server, token_endpoint) -> str:
    imap = mailbox.imap_settings() | {"password": None, "sent_folder": None}
    smtp = smtp_server.smtp_settings() | {"password": None, "username": smtp_server.username}
    body = {
        "kind": "email",
        "name": "Support",
        "address": "support@shop.test",
        "auth": "xoauth2",
        "imap": {k: v for k, v in imap.items() if v is not None},
        "smtp": {k: v for k, v in smtp.items() if v},
        "oauth": {
            "token_url": token_endpoint.url,
            "client_id": "inbox-client",
            "client_secret": "client-secret",
            "refresh_token": "refresh-1",
            "scope": "https://mail.google.com/",
        },
    }
    status, created = api(with_body(load_event("api/create_integration.json"), body))
    assert status == 201, created
    return created["id"]


def test_xoauth2_mailbox_syncs_and_replies_with_a_refreshed_token_asked_for_once(
    aws, api, mailbox, smtp_server, token_endpoint
):
    mailbox.append("INBOX", mail("Commande 1042"))
    integration_id = create_oauth_mailbox(api, mailbox, smtp_server, token_endpoint)

    run_worker(integration_id)
    [conversation] = conversations()
    status, sent = api(reply_event(conversation.id, "C'est parti."))
    run_worker(integration_id)

    assert (status, sent["delivery"]) == (201, "sent")
    assert smtp_server.wait_for(1)[0].authenticated_as == smtp_server.username
    assert len(token_endpoint.requests) == 1  # kept and reused until it nears expiry
    assert token_endpoint.requests[0]["scope"] == "https://mail.google.com/"
    stored = str(aws.all_items())
    assert mailbox.token not in stored
    assert "refresh-1" not in stored


def test_xoauth2_revoked_authorisation_is_a_clear_error_on_the_mailbox(aws, api, mailbox, smtp_server, token_endpoint):
    integration_id = create_oauth_mailbox(api, mailbox, smtp_server, token_endpoint)
    token_endpoint.revoked = True
    assert run_worker(integration_id) == {"batchItemFailures": []}
    assert "connect it again" in integration(api, integration_id)["sync"]["last_error"]


def test_mail_written_from_the_business_mail_client_joins_its_conversation(aws, api, mailbox):
    question = make_msgid(domain="example.fr")
    mailbox.append("INBOX", mail("Commande 1042", message_id=question))
    mailbox.create_folder("Sent")
    answer = mail(
        "Re: Commande 1042",
        sender="Support <support@shop.test>",
        body="Elle part demain.",
        headers=f"In-Reply-To: {question}\r\n",
    ).replace(b"To: support@shop.test", b"To: elodie@example.fr")
    mailbox.append("Sent", answer, flags=["\\Seen"])
    started_here = mail("Votre devis", sender="Support <support@shop.test>", body="Voici le devis.")
    mailbox.append("Sent", started_here.replace(b"To: support@shop.test", b"To: Paul <paul@example.com>"))
    integration_id = create_mailbox(api, mailbox, sent_folder="Sent")

    run_worker(integration_id)

    threads = {c.subject: c for c in conversations()}
    assert threads["Commande 1042"].message_count == 2
    assert threads["Commande 1042"].unread  # the customer's question is still unread
    messages = wiring.conversations().get(ADMIN, threads["Commande 1042"].id).messages
    assert [m.direction for m in messages] == ["inbound", "outbound"]
    started = threads["Votre devis"]
    assert (started.contact.email, started.status, started.unread) == ("paul@example.com", "open", False)
    jobs = aws.queued()  # only the customer's message goes to classification, then the sync's sweep
    assert [job.get("job", "message") for job in jobs] == ["message", "unfiled"]


def test_mail_without_a_date_is_dated_by_when_the_server_received_it(aws, api, mailbox):
    received = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    undated = b"From: ana@example.es\r\nSubject: Sin fecha\r\nMessage-ID: <undated@example.es>\r\n\r\nHola\r\n"
    mailbox.append("INBOX", undated, when=received)
    integration_id = create_mailbox(api, mailbox)
    run_worker(integration_id)
    [conversation] = conversations()
    [message] = wiring.conversations().get(ADMIN, conversation.id).messages
    assert message.sent_at == received
    assert any(defect.startswith("date") for defect in message.defects)


def test_the_raw_mail_and_its_attachments_can_be_downloaded(aws, api, mailbox):
    import requests

    raw = (CORPUS / "chatwoot" / "multiple_attachments.eml").read_bytes()
    mailbox.append("INBOX", raw)
    integration_id = create_mailbox(api, mailbox)
    run_worker(integration_id)
    [conversation] = conversations()
    _, detail = api(load_event("api/get_conversation.json", CONVERSATION_ID=conversation.id))
    [message] = detail["messages"]

    downloaded = requests.get(message["raw_url"], timeout=10)
    assert downloaded.content == raw.replace(b"\n", b"\r\n")  # as the server holds it: IMAP speaks CRLF
    first = message["attachments"][0]
    file = requests.get(first["url"], timeout=10)
    assert len(file.content) == first["size"]
    assert "response-content-disposition=attachment" in first["url"]  # S3 names the download after the file


def test_a_mailbox_fixed_with_the_right_password_syncs_again_at_once(aws, api, mailbox):
    mailbox.append("INBOX", mail("Question"))
    integration_id = create_mailbox(api, mailbox, password="not-the-password")
    run_worker(integration_id)
    assert integration(api, integration_id)["sync"]["last_error"]

    event = api_request("PUT", f"/integrations/{integration_id}")
    status, updated = api(with_body(event, {"imap": mailbox.imap_settings()}))
    assert status == 200, updated
    assert datetime.fromisoformat(updated["sync"]["next_sync_at"]) <= datetime.now(UTC)  # no backoff left

    run_worker(integration_id)
    assert integration(api, integration_id)["sync"]["last_error"] is None
    assert len(conversations()) == 1
    status, body = api(with_body(event, {"secret": "x" * 30}))
    assert (status, body["error"]["message"].split(":")[0]) == (422, "secret")


def test_first_sync_reads_only_the_recent_window_and_never_the_old_mail_later(aws, api, mailbox):
    old = datetime.now(UTC) - timedelta(days=200)
    for n in range(3):
        mailbox.append("INBOX", mail(f"Ancien {n}", sender=f"old{n}@example.com"), when=old)
    integration_id = create_mailbox(api, mailbox)
    run_worker(integration_id)
    run_worker(integration_id)
    assert conversations() == []
    mailbox.append("INBOX", mail("Nouveau"))
    run_worker(integration_id)
    assert [c.subject for c in conversations()] == ["Nouveau"]


def test_sync_keeps_its_progress_when_the_server_fails_midway(aws, api, mailbox, monkeypatch):
    from inbox.adapters.imap import MailboxUnreachableError

    for n in range(5):
        mailbox.append("INBOX", mail(f"Question {n}", sender=f"c{n}@example.com"))
    integration_id = create_mailbox(api, mailbox)
    ingestor, seen = wiring.ingestor(), []
    real_ingest = ingestor.ingest

    def drop_on_the_third(message):
        seen.append(message)
        if len(seen) == 3:
            raise MailboxUnreachableError("the connection broke")
        return real_ingest(message)

    monkeypatch.setattr(ingestor, "ingest", drop_on_the_third)
    sync = MailboxSync(wiring.store(), ingestor, wiring.open_mailbox, batch_size=2)
    assert sync.sync(TENANT, integration_id, seconds_left=lambda: 300).outcome == "failed"
    assert wiring.store().get_sync_state(TENANT, integration_id).folders["INBOX"].last_uid == 2
    monkeypatch.setattr(ingestor, "ingest", real_ingest)
    report = sync.sync(TENANT, integration_id, seconds_left=lambda: 300)
    assert (report.outcome, report.imported) == ("synced", 3)


def test_a_folder_that_disappears_does_not_stop_the_others(aws, api, mailbox):
    mailbox.create_folder("Archive")
    integration_id = create_mailbox(api, mailbox, folders=["Archive", "INBOX"])
    run_worker(integration_id)
    mailbox.delete_folder("Archive")
    mailbox.append("INBOX", mail("Question"))
    run_worker(integration_id)
    assert len(conversations()) == 1
    sync = integration(api, integration_id)["sync"]
    assert "Archive" in sync["last_error"]
    assert datetime.fromisoformat(sync["next_sync_at"]) <= datetime.now(UTC) + timedelta(seconds=61)  # no backoff


def test_a_deleted_mailbox_is_no_longer_scheduled(aws, api, mailbox):
    from functions.sync_email import app

    integration_id = create_mailbox(api, mailbox)
    assert api(api_request("DELETE", f"/integrations/{integration_id}"))[0] == 204
    assert app.schedule_handler(load_event("sync_email/schedule.json"), SyncContext()) == {"queued": 0}


def test_a_contact_form_mail_is_answered_to_the_customer_in_reply_to(aws, api, mailbox):
    form = mail(
        "Nouveau message du formulaire",
        sender="WordPress <wordpress@shop.test>",
        headers="Reply-To: Camille Durand <camille@example.fr>\r\n",
    )
    mailbox.append("INBOX", form)
    run_worker(create_mailbox(api, mailbox))
    [conversation] = conversations()
    assert (conversation.contact.name, conversation.contact.email) == ("Camille Durand", "camille@example.fr")
