"""Email channel benchmarks (DESIGN §8, issue 3 "Speed"): ratios and counts measured in one run.

    .venv/bin/python -m benchmarks.email_sync [--messages 5000] [--aws-messages 200] [--repeats 3]

1. Throughput: mbsync and the sync worker's MailboxSync (fetch, parse, raw copy stored in an S3 endpoint
   on loopback) pull the same N-message mailbox from the same private Dovecot over implicit TLS,
   interleaved, best of `--repeats` each; the goal is on their ratio (benchmarks/email_throughput.py).
2. Bytes on the wire of the poll of an unchanged mailbox, counted by a TCP proxy (TLS included)
   (benchmarks/idle_poll.py).
3. AWS requests per imported message: the sync worker imports M messages under moto, with every
   DynamoDB, S3, SQS and KMS call of the app's clients counted (benchmarks/aws_calls.py).

What each number means and the goals: benchmarks/README.md. Progress goes to stderr, the report to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass

from benchmarks.aws_calls import DYNAMODB_READS, DYNAMODB_WRITES, AwsCalls, AwsRecorder
from benchmarks.email_throughput import (
    LABEL,
    TENANT,
    measure_throughput,
    progress,
    report_throughput,
    verdict,
)
from benchmarks.idle_poll import IdlePoll, poll_unchanged, tls_and_greeting
from benchmarks.mail_corpus import Mailbox as Corpus
from benchmarks.mail_corpus import generate
from benchmarks.wire import CountingProxy, Flow
from inbox.observability import logger
from servers.dovecot import Dovecot

# The app's logs go to stderr, so that stdout is the report alone.
logger.registered_handler.setStream(sys.stderr)

IDLE_POLL_GOAL = 10 * 1024  # bytes
DYNAMODB_WRITES_GOAL = 4  # write requests per imported message
RAW_PUTS_GOAL = 1  # S3 PutObject of the raw mail per imported message


# --------------------------------------------------------------------------- 3. AWS requests per message


@dataclass
class AwsRun:
    messages: int
    raw_bytes: int
    threads: int
    imported: int
    full_sync: AwsCalls
    full_sync_flows: list[Flow]
    poll: AwsCalls
    poll_wire: IdlePoll
    conversations: int


class _Worker:
    """The sync worker as Lambda runs it: its handler on an SQS event, with 15 minutes to go."""

    function_name = "SyncMailboxFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-3:123456789012:function:SyncMailboxFunction"
    aws_request_id = "bench-request"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 900_000

    def run(self, integration_id: str) -> None:
        from functions.sync_email import app
        from helpers.events import load_event

        event = load_event("sync_email/sync_job.json", TENANT_ID=TENANT, INTEGRATION_ID=integration_id)
        with contextlib.redirect_stdout(io.StringIO()):  # the metrics Powertools prints (EMF), not our report
            answer = app.worker_handler(event, self)
        if answer != {"batchItemFailures": []}:
            raise RuntimeError(f"the sync worker failed its job: {answer}")


def measure_aws(dovecot: Dovecot, corpus: Corpus) -> AwsRun:
    """A first sync of the corpus, then a poll with nothing new, under moto, through the worker handler."""
    from benchmarks.moto_tenant import moto_account
    from inbox import wiring
    from inbox.http.schemas.integrations import EmailIntegrationIn
    from inbox.models import ConversationFilter, Principal, Role

    user = dovecot.new_mailbox()
    user.append_many("INBOX", corpus.raws)
    with CountingProxy(dovecot.host, dovecot.imaps) as proxy, moto_account({"OUTBOUND_ALLOW_LOOPBACK": "true"}):
        body = EmailIntegrationIn.model_validate(
            {
                "kind": "email",
                "name": "Support",
                "address": "support@shop.test",
                "imap": {
                    "host": proxy.host,
                    "port": proxy.port,
                    "tls": "implicit",
                    "username": user.username,
                    "password": user.password,
                    "ca_cert": user.ca_pem,
                },
                "smtp": {"host": "127.0.0.1", "port": 2525, "tls": "none", "username": "support", "password": "x"},
            }
        )
        admin = Principal(user_id="bench", tenant_id=TENANT, role=Role.ADMIN)
        integration = wiring.integrations().create(admin, "email", body.name, body.settings(), body.secrets())

        recorder = AwsRecorder()
        for service in ("dynamodb", "s3", "sqs", "kms"):
            recorder.attach(wiring.client(service))
        recorder.watch_ingest(wiring.ingestor())
        worker = _Worker()

        mark = proxy.mark()
        started = time.perf_counter()
        with recorder.recording() as full_sync:
            worker.run(integration.id)
        seconds = time.perf_counter() - started
        full_flows = proxy.flows_since(mark)
        progress(f"  first sync: {seconds:.1f} s (moto's pace: it copies the table for every transaction item)")

        mark = proxy.mark()
        with recorder.recording() as poll:
            worker.run(integration.id)
        poll_wire = IdlePoll(proxy.flows_since(mark))

        state = wiring.store().get_sync_state(TENANT, integration.id)
        if state is None or state.last_error:
            raise RuntimeError(f"the sync recorded an error: {state and state.last_error}")
        if state.last_imported != 0:
            raise RuntimeError(f"the second poll imported {state.last_imported} messages")
        listed, cursor, conversations = None, None, 0
        while listed is None or cursor:
            listed, cursor = wiring.store().list_conversations(TENANT, ConversationFilter(), 100, cursor)
            conversations += len(listed)
        wiring.reset()
    return AwsRun(
        messages=len(corpus.raws),
        raw_bytes=corpus.size,
        threads=corpus.threads,
        imported=state.imported_total,
        full_sync=full_sync,
        full_sync_flows=full_flows,
        poll=poll,
        poll_wire=poll_wire,
        conversations=conversations,
    )


# --------------------------------------------------------------------------- the report


def report_idle_poll(aws: AwsRun, big: IdlePoll, floor: IdlePoll, messages: int) -> list[str]:
    poll = aws.poll_wire
    by_operation = ", ".join(
        f"{'DynamoDB' if service == 'dynamodb' else service.upper()} {operation} {n}"
        for (service, operation), n in sorted(aws.poll.operations().items())
    )
    return [
        "2. Poll of an unchanged mailbox: bytes on the wire (counting TCP proxy, TLS included)",
        f"   {'':<{LABEL}}{'bytes':>9}{'out / in':>16}",
        f"   {f'sync worker, after its full sync of {aws.messages:,} messages':<{LABEL}}{poll.total:>9,}"
        f"{f'{poll.sent:,} / {poll.received:,}':>16}   goal < {IDLE_POLL_GOAL:,}   "
        f"{verdict(poll.total < IDLE_POLL_GOAL)}",
        f"   {f'the same code on the {messages:,}-message mailbox':<{LABEL}}{big.total:>9,}"
        f"{f'{big.sent:,} / {big.received:,}':>16}",
        f"   {'TLS handshake, session tickets and greeting alone':<{LABEL}}{floor.total:>9,}"
        f"{f'{floor.sent:,} / {floor.received:,}':>16}",
        f"   connections per poll: {len(poll.flows)}; AWS requests per poll: {by_operation or 'none'}",
    ]


def report_aws(aws: AwsRun) -> list[str]:
    calls, n = aws.full_sync, max(aws.imported, 1)

    def row(label: str, whole: float, ingest: float | None = None, goal: str = "", ok: bool | None = None) -> str:
        text = f"   {label:<{LABEL}}{whole / n:>9.2f}" + (f"{ingest / n:>10.2f}" if ingest is not None else " " * 10)
        return text + (f"   goal {goal}   {verdict(ok)}" if ok is not None else "")

    def operations(service: str, names: frozenset[str]) -> list[str]:
        return [
            row(f"  {name}", calls.count(service, name), calls.count(service, name, "ingest"))
            for name in sorted(names)
            if calls.count(service, name)
        ]

    def breakdown(counter: Counter[tuple[str, str]]) -> str:
        merged: Counter[str] = Counter()
        for (_phase, kind), count in counter.items():
            merged[kind] += count
        return "     by item: " + ", ".join(f"{kind} {count / n:.2f}" for kind, count in merged.most_common())

    writes = calls.count("dynamodb", DYNAMODB_WRITES)
    raw_puts = sum(count for (_phase, kind), count in calls.s3_puts.items() if kind == "raw")
    sends = frozenset(("SendMessage", "SendMessageBatch"))
    sqs_requests = calls.count("sqs", sends)
    return [
        f"3. AWS requests per imported message: sync worker under moto, {aws.messages:,} messages"
        f" ({aws.threads} threads) -> {aws.imported:,} imported into {aws.conversations:,} conversations",
        f"   {'(a request is one API call; items, what writes touch)':<{LABEL}}{'per msg':>9}{'in ingest':>10}",
        row(
            "DynamoDB write requests",
            writes,
            calls.count("dynamodb", DYNAMODB_WRITES, "ingest"),
            f"<= {DYNAMODB_WRITES_GOAL}",
            writes / n <= DYNAMODB_WRITES_GOAL,
        ),
        *operations("dynamodb", DYNAMODB_WRITES),
        row(
            "  items written inside those TransactWriteItems",
            sum(calls.transact_items.values()),
            calls.transact_items["ingest"],
        ),
        row(
            "DynamoDB items written by all write requests",
            sum(calls.items.values()),
            sum(count for (phase, _kind), count in calls.items.items() if phase == "ingest"),
        ),
        breakdown(calls.items),
        row(
            "DynamoDB read requests",
            calls.count("dynamodb", DYNAMODB_READS),
            calls.count("dynamodb", DYNAMODB_READS, "ingest"),
        ),
        *operations("dynamodb", DYNAMODB_READS),
        row("S3 PutObject of the raw mail", raw_puts, raw_puts, f"= {RAW_PUTS_GOAL}", raw_puts / n == RAW_PUTS_GOAL),
        row("S3 PutObject, all", calls.count("s3", "PutObject"), calls.count("s3", "PutObject", "ingest")),
        breakdown(calls.s3_puts),
        row(
            "SQS send requests (DESIGN 8: sends batched)",
            sqs_requests,
            calls.count("sqs", sends, "ingest"),
            "< 1",
            sqs_requests / n < 1,
        ),
        row("  entries in them", sum(calls.sqs_entries.values()), calls.sqs_entries["ingest"]),
        row("KMS requests (the IMAP password)", calls.of_service("kms"), calls.of_service("kms", "ingest")),
        f"   the first sync moved {sum(f.total for f in aws.full_sync_flows) / n:,.0f} B on the wire per message "
        f"(the raw mail averages {aws.raw_bytes / max(aws.messages, 1):,.0f} B)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000, help="size of the mailbox for throughput (5000)")
    parser.add_argument("--aws-messages", type=int, default=200, help="messages imported under moto (200)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each puller; the best counts (3)")
    parser.add_argument("--seed", type=int, default=2026, help="of the generated mail (2026)")
    args = parser.parse_args(argv)
    for tool in ("dovecot", "mbsync"):
        if shutil.which(tool) is None:
            parser.exit(2, f"{tool} is missing: run `make system` (scripts/install-system-packages.sh)\n")

    progress(f"generating {args.messages:,} messages (seed {args.seed})")
    corpus = generate(max(args.messages, args.aws_messages), args.seed)
    big = Corpus(corpus.raws[: args.messages])
    small = generate(args.aws_messages, args.seed)

    with Dovecot() as dovecot:
        user = dovecot.new_mailbox()
        started = time.perf_counter()
        user.append_many("INBOX", big.raws)
        progress(
            f"appended {args.messages:,} messages ({big.size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )

        progress("1. throughput")
        throughput, status, last_uid = measure_throughput(user, big, args.repeats)

        progress("2. bytes of an unchanged poll")
        with CountingProxy(dovecot.host, dovecot.imaps) as proxy:
            big_poll = poll_unchanged(user, proxy, status, last_uid)
            floor = tls_and_greeting(user, proxy)

        progress(f"3. AWS requests: syncing {args.aws_messages:,} messages under moto")
        aws = measure_aws(dovecot, small)

    versions = subprocess.run(["mbsync", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    dovecot_version = subprocess.run(["dovecot", "--version"], capture_output=True, text=True, check=False).stdout
    lines = [
        f"Inbox email channel benchmarks - seed {args.seed}, Python {platform.python_version()}, {versions}, "
        f"Dovecot {dovecot_version.split()[0] if dovecot_version else '?'}, {os.cpu_count()} CPUs",
        "",
        *report_throughput(throughput, big, args.repeats),
        "",
        *report_idle_poll(aws, big_poll, floor, args.messages),
        "",
        *report_aws(aws),
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
