"""Email in the tests: mail as a mailbox holds it, a mailbox integration created through the API, the sync worker
run on its sample SQS event, replies through the API."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid

from helpers.events import LambdaContext, api_request, load_event, with_body
from inbox import wiring
from inbox.models import ConversationFilter
from samples import TENANT


def mail(
    subject: str,
    sender: str = "Élodie Martin <elodie@example.fr>",
    message_id: str | None = None,
    headers: str = "",
    body: str = "Bonjour, où en est ma commande ?",
) -> bytes:
    message_id = message_id or make_msgid(domain="example.fr")
    return (
        f"From: {sender}\r\nTo: support@shop.test\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\n{headers}"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    ).encode()


def create_mailbox(api, mailbox, smtp: dict | None = None, **imap_options) -> str:
    """An email integration on the test Dovecot `mailbox`; `imap_options` change its IMAP settings."""
    imap = mailbox.imap_settings(**{k: v for k, v in imap_options.items() if k in ("tls", "trust_ca")})
    imap.update({k: v for k, v in imap_options.items() if k not in ("tls", "trust_ca")})
    smtp = smtp or {"host": "127.0.0.1", "port": 2525, "tls": "none", "username": "support", "password": "x"}
    body = {"kind": "email", "name": "Support", "address": "support@shop.test", "imap": imap, "smtp": smtp}
    status, created = api(with_body(load_event("api/create_integration.json"), body))
    assert status == 201, created
    return created["id"]


class SyncContext(LambdaContext):
    function_name = "SyncMailboxFunction"

    def __init__(self, seconds: float = 300):
        self.seconds = seconds

    def get_remaining_time_in_millis(self) -> int:
        return int(self.seconds * 1000)


def run_worker(*integration_ids: str, seconds: float = 300) -> dict:
    """The sync worker on one SQS batch, a job per integration, with `seconds` left to run."""
    from functions.sync_email import app

    event = load_event("sync_email/sync_job.json", TENANT_ID=TENANT, INTEGRATION_ID="")
    template = event["Records"][0]
    event["Records"] = [
        template | {"messageId": f"job-{n}", "body": f'{{"tenant_id":"{TENANT}","integration_id":"{i}"}}'}
        for n, i in enumerate(integration_ids)
    ]
    return app.worker_handler(event, SyncContext(seconds))


def conversations(**where) -> list:
    """The sample tenant's conversations in the store, filtered by ConversationFilter's fields."""
    return wiring.store().list_conversations(TENANT, ConversationFilter(**where), 100, None)[0]


def integration(api, integration_id: str) -> dict:
    status, body = api(api_request("GET", f"/integrations/{integration_id}"))
    assert status == 200, body
    return body


def reply_event(conversation_id: str, text: str) -> dict:
    return api_request("POST", f"/conversations/{conversation_id}/messages", {"text": text, "html": f"<p>{text}</p>"})
