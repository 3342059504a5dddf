"""The cost of a message (issue 15, item 4): requests counted through the real paths, priced by one table.

    .venv/bin/python -m benchmarks.cost [--messages 5] [--email-batches 1,10,50] [--model-seconds 1.5]

One tenant under moto (the template's table, with its stream, bucket, key and queues), set up through the
API. Each message goes the way it goes on AWS, one at a time, as a tenant's messages come at 100 or 1,000
a day: an email through the sync worker's handler (IMAP on the test Dovecot), an SMS and a WhatsApp message
through their webhook functions, then whatever each step queued or wrote: ClassifyFunction,
AutoReplyFunction, VonageWorkerFunction, the table's two stream readers (EventsFunction: statistics, search
feed, audit, bus; LiveUpdatesFunction, a browser being connected) fed the stream records their template
filters keep, and IndexerFunction on SearchQueue. First without AI, then with it (the model classifies,
a folder answers by itself from the company prompt and knowledge base of benchmarks/autoreply_tenant.py).
Then the poll of a mailbox with nothing new, the scheduler's minute, and email runs of 1, 10 and 50
messages. Prices: benchmarks/prices.py. The report: benchmarks/cost_report.py. Method: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from benchmarks import REPO
from benchmarks.request_counts import Meter

SQS_FUNCTIONS = {  # what a queue's event source mapping invokes
    "queue_url": "ClassifyFunction",
    "autoreply_queue_url": "AutoReplyFunction",
    "vonage_queue_url": "VonageWorkerFunction",
}
STREAM_READERS = ("EventsFunction", "LiveUpdatesFunction")
KEY, MODEL = "sk-bench-cost-0123456789", "gpt-4o-mini"


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


@dataclass
class Tally:
    """What one scenario cost in counts: per function, and the bytes it left stored."""

    label: str
    messages: int
    meter: Meter
    model_calls: Counter[str] = field(default_factory=Counter)
    tokens: Counter[str] = field(default_factory=Counter)  # prompt, cached, completion
    table_bytes: int = 0
    bucket_bytes: int = 0
    api_requests: int = 0  # HTTP API requests (the webhooks)


class Tenant:
    """The tenant under moto, its fakes, and the pipeline that runs after each arrival."""

    def __init__(self, aws: Any, vonage: Any, openai: Any, streams: Any):
        self.aws, self.vonage, self.openai, self.streams = aws, vonage, openai, streams
        self.tally: Tally | None = None
        from cfn_tools import load_yaml

        from local.event_filters import compile_filters

        resources = load_yaml((REPO / "template.yaml").read_text())["Resources"]
        self.filters = {
            name: compile_filters(
                resources[name]["Properties"]["Events"]["TableChanges"]["Properties"]["FilterCriteria"]
            )
            for name in STREAM_READERS
        }

    @contextlib.contextmanager
    def scenario(self, label: str, messages: int) -> Any:
        from benchmarks.request_counts import active

        self.tally = tally = Tally(label, messages, Meter())
        stored = self.stored_bytes()
        with active(tally.meter):
            yield tally
        table, bucket = self.stored_bytes()
        tally.table_bytes, tally.bucket_bytes = table - stored[0], bucket - stored[1]
        self.tally = None

    def stored_bytes(self) -> tuple[int, int]:
        """The table's items (with a copy in each GSI that holds them, and DynamoDB's 100 bytes of overhead an
        item and an index entry) and the bucket's objects, read from moto outside the count."""
        from benchmarks.request_counts import GSI_KEYS, item_size

        table = 0
        for item in self.aws.all_items():
            copies = 1 + sum(all(k in item for k in keys) for keys in GSI_KEYS.values())
            table += copies * (item_size(item) + 100)
        listed = self.aws.s3.list_objects_v2(Bucket=self.aws.bucket).get("Contents", [])
        return table, sum(o["Size"] for o in listed)

    @contextlib.contextmanager
    def invoke(self, function: str) -> Any:
        if self.tally is None:  # setting up: not counted
            yield
            return
        before = len(self.openai.requests)
        with self.tally.meter.invoke(function):
            yield
        for request in self.openai.requests[before:]:
            usage = request.answer.get("usage") or {} if request.status == 200 else {}
            self.tally.model_calls[function] += 1
            self.tally.tokens["prompt"] += usage.get("prompt_tokens", 0)
            self.tally.tokens["cached"] += (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
            self.tally.tokens["completion"] += usage.get("completion_tokens", 0)

    # ---- arrivals

    def sms(self, n: int) -> None:
        from helpers.vonage import invoke, sms_event
        from samples import SMS_NUMBER

        params = self.vonage.sms_params(f"336{30_000_000 + n:08d}", SMS_NUMBER, f"Bonjour, ma commande {n} ?")
        self.webhook("WebhookSmsFunction", lambda: invoke("sms", sms_event("sms_form", params)))

    def whatsapp(self, n: int) -> None:
        from helpers.events import load_event
        from helpers.vonage import invoke, messages_event

        name = "webhook_whatsapp/whatsapp_text.json"
        payload = json.loads(load_event(name)["body"]) | {
            "message_uuid": f"aaaaaaaa-bbbb-4ccc-8ddd-{n:012d}",
            "from": f"336{40_000_000 + n:08d}",
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "text": f"Bonjour, où en est ma commande {n} ?",
        }
        self.webhook("WebhookWhatsappFunction", lambda: invoke("whatsapp", messages_event(name, payload, self.vonage)))

    def webhook(self, function: str, call: Any) -> None:
        with self.invoke(function):
            status, answer = call()
        if status != 200:
            raise RuntimeError(f"{function} answered {status}: {answer}")
        if self.tally is not None:
            self.tally.api_requests += 1
        self.settle()

    def sync(self, worker: Any, integration_id: str) -> None:
        with self.invoke("SyncMailboxFunction"):
            worker.run(integration_id)
        self.settle()

    def schedule(self) -> int:
        from functions.sync_email import app
        from helpers.events import LambdaContext, load_event

        with self.invoke("SyncSchedulerFunction"):
            answer = app.schedule_handler(load_event("sync_email/schedule.json"), LambdaContext())
        return answer["queued"]

    # ---- what follows an arrival, until nothing is left

    def settle(self) -> None:
        for _round in range(20):
            if not (self.read_stream() | self.drain_queues() | self.index()):
                return
        raise RuntimeError("the pipeline did not settle in 20 rounds")

    def read_stream(self) -> bool:
        from local.event_filters import keeps
        from local.streams import lambda_record

        records = [lambda_record(r, "arn:stream") for r in self.streams.records()]
        ran = False
        for function in STREAM_READERS:
            kept = [r for r in records if keeps(self.filters[function], r)]
            for start in range(0, len(kept), 100):  # BatchSize 100
                self.stream_reader(function, kept[start : start + 100])
                ran = True
        return ran

    def stream_reader(self, function: str, records: list[dict[str, Any]]) -> None:
        from functions.events import app as events
        from functions.realtime import app as realtime
        from helpers.events import LambdaContext

        handler = events.publish_handler if function == "EventsFunction" else realtime.fan_out_handler
        with self.invoke(function):
            handler({"Records": records}, LambdaContext())

    def drain_queues(self) -> bool:
        """Each message its own invocation: at a tenant's pace the queues hold one job at a time."""
        from helpers.events import LambdaContext, load_event

        ran = False
        for attribute, function in SQS_FUNCTIONS.items():
            url = getattr(self.aws, attribute)
            for message in self.aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                self.aws.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                ran = True
                with self.invoke(function):
                    if function == "AutoReplyFunction":
                        from helpers.autoreply import deliver

                        answers = deliver(message["Body"])
                    elif function == "ClassifyFunction":
                        from helpers.classify import run

                        event = load_event("classify/message_job.json")
                        event["Records"] = [event["Records"][0] | {"messageId": "m", "body": message["Body"]}]
                        answers = [run(event)]
                    else:
                        from functions.vonage_worker import app

                        event = load_event(
                            "vonage_worker/media_job.json",
                            TENANT_ID="t",
                            CONVERSATION_ID="c",
                            MESSAGE_ID="m",
                            RECEIVED_AT="r",
                        )
                        event["Records"][0]["body"] = message["Body"]
                        answers = [app.lambda_handler(event, LambdaContext())]
                if any(a.get("batchItemFailures") for a in answers):
                    raise RuntimeError(f"{function} failed its job: {answers}")
        return ran

    def index(self) -> bool:
        from functions.search_indexer import app
        from helpers.events import LambdaContext
        from helpers.search import sqs_event

        url = self.aws.search_queue_url
        messages = self.aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])
        messages = messages.get("Messages", [])
        if not messages:
            return False
        with self.invoke("IndexerFunction"):
            answer = app.lambda_handler(sqs_event(messages), LambdaContext())
        if answer != {"batchItemFailures": []}:
            raise RuntimeError(f"the indexer failed: {answer}")
        for m in messages:
            self.aws.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return True


# --------------------------------------------------------------------------- the run


def measure(messages: int, email_batches: list[int]) -> list[Tally]:
    """The scenarios, in one moto account: each channel without AI, with AI, the idle poll, the batches."""
    from cfn_tools import load_yaml
    from moto import mock_aws

    from benchmarks import request_counts
    from benchmarks.autoreply import invoke_api
    from benchmarks.autoreply_tenant import COMPANY_PROMPT, KNOWLEDGE
    from benchmarks.mail_corpus import generate
    from helpers.aws_account import create_resources
    from helpers.stats import StreamTap
    from helpers.vonage import create_vonage
    from inbox import wiring
    from local.openai import FakeOpenAI
    from local.vonage import FakeVonage
    from samples import SMS_NUMBER, TENANT, VONAGE_API_KEY, VONAGE_API_SECRET, VONAGE_SIGNATURE_SECRET, WHATSAPP_NUMBER
    from servers.dovecot import Dovecot
    from servers.smtp import SmtpServer

    def api(method: str, path: str, body: Any = None) -> Any:
        status, answer = invoke_api(_request(method, path, body))
        if status >= 300:
            raise RuntimeError(f"{method} {path} answered {status}: {answer}")
        return answer

    template = load_yaml((REPO / "template.yaml").read_text())
    vonage = FakeVonage(
        api_key=VONAGE_API_KEY,
        api_secret=VONAGE_API_SECRET,
        signature_secret=VONAGE_SIGNATURE_SECRET,
        numbers=[SMS_NUMBER, WHATSAPP_NUMBER],
    )
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


def _request(method: str, path: str, body: Any) -> dict[str, Any]:
    from helpers.events import api_request

    return api_request(method, path, body)


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
    parser.add_argument("--email-batches", default="1,10,50", help="messages one poll finds, for the batching goal")
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
