"""The cost of a message (issue 15, item 4): requests counted through the real paths, priced by one table.

    .venv/bin/python -m benchmarks.cost [--messages 5] [--email-batches 1,10,25] [--model-seconds 1.5]

One tenant under moto (the template's table, with its stream, bucket, key and queues), set up through the
API. Each message goes the way it goes on AWS, one at a time, as a tenant's messages come at 100 or 1,000
a day: an email through the sync worker's handler (IMAP on the test Dovecot), an SMS and a WhatsApp message
through their webhook functions, then whatever each step queued or wrote: ClassifyFunction,
AutoReplyFunction, VonageWorkerFunction, the table's two stream readers (EventsFunction: statistics, search
feed, audit, bus; LiveUpdatesFunction, a browser being connected) fed the stream records their template
filters keep, and IndexerFunction on SearchQueue. First without AI, then with it (the model classifies,
a folder answers by itself from the company prompt and knowledge base of benchmarks/autoreply_tenant.py).
Then the poll of a mailbox with nothing new, the scheduler's minute, and email runs of 1, 10 and 25
messages. Prices: benchmarks/prices.py. The report: benchmarks/cost_report.py. Method: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from typing import Any

from benchmarks import REPO
from benchmarks.cost_tenant import Tally, Tenant

KEY, MODEL = "sk-bench-cost-0123456789", "gpt-4o-mini"


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the run


def measure(messages: int, email_batches: list[int]) -> list[Tally]:
    """The scenarios, in one moto account: each channel without AI, with AI, the idle poll, the batches."""
    from cfn_tools import load_yaml
    from moto import mock_aws

    from benchmarks import request_counts
    from benchmarks.autoreply_tenant import COMPANY_PROMPT, KNOWLEDGE
    from benchmarks.mail_corpus import generate
    from benchmarks.moto_tenant import api, fake_vonage, invoke_api
    from helpers.aws_account import create_resources
    from helpers.stats import StreamTap
    from helpers.vonage import create_vonage
    from inbox import wiring
    from local.openai import FakeOpenAI
    from samples import TENANT
    from servers.dovecot import Dovecot
    from servers.smtp import SmtpServer

    template = load_yaml((REPO / "template.yaml").read_text())
    vonage = fake_vonage()
    corpus = generate(2 * messages + sum(email_batches) + 1, 2026).raws
    tallies: list[Tally] = []
    with vonage, FakeOpenAI(api_key=KEY) as openai, Dovecot() as dovecot, SmtpServer(tls="none") as smtp, mock_aws():
        request_counts.install()
        aws = create_resources(template["Resources"])
        os.environ.update(
            aws.env | _more_resources(aws) | {"OUTBOUND_ALLOW_LOOPBACK": "true", "VONAGE_API_BASE_URL": vonage.base_url}
        )
        wiring.reset()
        streams = StreamTap(aws)
        tenant = Tenant(aws, vonage, openai, streams)
        status, body = create_vonage(invoke_api, vonage)
        if status != 201:
            raise RuntimeError(f"the Vonage integration was not created: {body}")
        user = dovecot.new_mailbox()
        integration = _email_integration(wiring, TENANT, user, smtp)
        worker = _TenantWorker(TENANT)
        _open_connection(wiring, TENANT)
        tenant.sync(worker, integration.id)  # the first sync, of an empty mailbox
        tenant.settle()  # what the set-up queued (a new folder re-sorts the conversations), not counted
        taken = iter(corpus)

        def email_runs(label: str, runs: list[int], uniform: bool = False) -> Tally:
            with tenant.scenario(label, sum(runs)) as tally:
                for size in runs:
                    raws = [alike_mail() if uniform else next(taken) for _ in range(size)]
                    user.append_many("INBOX", raws)
                    tenant.sync(worker, integration.id)
            return tally

        for ai in (False, True):
            suffix = " + AI" if ai else ""
            if ai:
                api(
                    "PUT",
                    "/settings/ai",
                    {"api_key": KEY, "base_url": openai.base_url, "model": MODEL, "company_prompt": COMPANY_PROMPT},
                )
                for document in KNOWLEDGE:
                    api("POST", "/knowledge", document | {"format": "markdown"})
                folder = api(
                    "POST",
                    "/folders",
                    {
                        "name": "Support",
                        "ai_filter": "Customers asking about an order.",
                        "auto_reply": {"enabled": True, "mode": "automatic"},
                    },
                )
                openai.default_answer = {
                    "folder": folder["id"],
                    "intent": "question",
                    "urgency": "normal",
                    "spam": False,
                    "confidence": "high",
                    "reason": "benchmark",
                }
                tenant.settle()
            progress(f"email{suffix}: {messages} polls finding 1 message each")
            tallies.append(email_runs(f"email{suffix}", [1] * messages))
            for channel, send in (("SMS", tenant.sms), ("WhatsApp", tenant.whatsapp)):
                progress(f"{channel}{suffix}: {messages} messages")
                with tenant.scenario(f"{channel}{suffix}", messages) as tally:
                    for n in range(messages):
                        send(n + (1000 if ai else 0))
                tallies.append(tally)
            if not ai:
                for size in email_batches:
                    progress(f"email, one poll finding {size}")
                    tallies.append(email_runs(f"email batch {size}", [size], uniform=True))
        progress("idle: the scheduler's minute and the poll of a mailbox with nothing new")
        with tenant.scenario("scheduler minute", 0) as tally:
            queued = tenant.schedule()
        tallies.append(tally)
        _drain(aws.sqs, aws.sync_queue_url)
        with tenant.scenario("idle poll", 0) as tally:
            tenant.sync(worker, integration.id)
        tally.model_calls["queued by the scheduler"] = queued
        tallies.append(tally)
        wiring.reset()
    return tallies


_ALIKE = iter(range(1_000_000))
_BODY = (
    "Bonjour,\n\nJ'ai passé commande la semaine dernière et je n'ai toujours rien reçu. Pouvez-vous me dire"
    " où en est la livraison ? Le numéro de suivi ne donne rien.\n\nMerci d'avance,\nClaire\n"
) * 4


def alike_mail() -> bytes:
    """A new customer's plain-text mail of always the same size (~1.6 KB): the batches differ only in size."""
    from email.message import EmailMessage
    from email.utils import formatdate

    n = next(_ALIKE)
    mail = EmailMessage()
    mail["From"], mail["To"] = f"Client {n:06d} <client{n:06d}@example.fr>", "support@shop.test"
    mail["Subject"], mail["Date"] = f"Ma commande {n:06d}", formatdate(localtime=False)
    mail["Message-ID"] = f"<bench-{n:06d}@example.fr>"
    mail.set_content(_BODY)
    return bytes(mail)


class _TenantWorker:
    """The email benchmark's sync worker (its Lambda context), on this tenant's job."""

    def __init__(self, tenant: str):
        from benchmarks.email_sync import _Worker

        self.context, self.tenant = _Worker(), tenant

    def run(self, integration_id: str) -> None:
        from functions.sync_email import app
        from helpers.events import load_event

        event = load_event("sync_email/sync_job.json", TENANT_ID=self.tenant, INTEGRATION_ID=integration_id)
        answer = app.worker_handler(event, self.context)
        if answer != {"batchItemFailures": []}:
            raise RuntimeError(f"the sync worker failed its job: {answer}")


def _more_resources(aws: Any) -> dict[str, str]:
    """EventsFunction's bus and delivery queue, LiveUpdatesFunction's WebSocket endpoint."""
    import boto3

    boto3.client("events", region_name="eu-west-3").create_event_bus(Name="inbox-bench-events")
    deliveries = aws.sqs.create_queue(QueueName="inbox-bench-webhook-deliveries")["QueueUrl"]
    return {
        "EVENT_BUS_NAME": "inbox-bench-events",
        "WEBHOOK_DELIVERY_QUEUE_URL": deliveries,
        "WEBSOCKET_ENDPOINT": "wss://bench0001.execute-api.eu-west-3.amazonaws.com/live",
        "AUDIT_RETENTION_DAYS": "365",
    }


def _email_integration(wiring: Any, tenant: str, user: Any, smtp: Any) -> Any:
    from inbox.http.schemas.integrations import EmailIntegrationIn
    from inbox.models import Principal, Role

    imap = {
        "host": user.host,
        "port": user.imaps_port,
        "tls": "implicit",
        "username": user.username,
        "password": user.password,
        "ca_cert": user.ca_pem,
    }
    body = EmailIntegrationIn.model_validate(
        {"kind": "email", "name": "Support", "address": "support@shop.test", "imap": imap, "smtp": smtp.smtp_settings()}
    )
    admin = Principal(user_id="bench", tenant_id=tenant, role=Role.ADMIN)
    return wiring.integrations().create(admin, "email", body.name, body.settings(), body.secrets())


def _open_connection(wiring: Any, tenant: str) -> None:
    """One browser of the tenant connected to the WebSocket API, as $connect leaves it."""
    from inbox.adapters.dynamodb.connections import ConnectionStore
    from inbox.models.live import Connection

    store = ConnectionStore(wiring.client("dynamodb"), os.environ["TABLE_NAME"])
    now = datetime.now(UTC)
    store.save_connection(
        Connection(
            connection_id="bench-connection=",
            tenant_id=tenant,
            user_id="bench",
            connected_at=now,
            expires_at=int(now.timestamp()) + 7200,
        )
    )


def _drain(sqs: Any, url: str) -> None:
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def main(argv: list[str] | None = None) -> int:
    from benchmarks.cost_report import report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5, help="messages per channel, with and without AI (5)")
    parser.add_argument("--email-batches", default="1,10,25", help="messages one poll finds, for the batching goal")
    parser.add_argument(
        "--model-seconds",
        type=float,
        default=1.5,
        help="a model call's time, added to the calling function's duration (1.5)",
    )
    args = parser.parse_args(argv)
    batches = [int(b) for b in args.email_batches.split(",") if b]
    tallies = measure(max(args.messages, 1), batches)
    print(report(tallies, args.model_seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
