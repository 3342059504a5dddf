"""The cost benchmark's prices applied to its counts, and its report (issue 15, item 4; benchmarks/cost.py).

Lambda's GB-seconds: each handler's time measured in-process under moto, times the function's MemorySize
(template.yaml), rounded up to the millisecond per invocation, plus `model_seconds` for each model call (the
fake OpenAI answers in a few ms, OpenAI in one to a few seconds, and the function waits, billed). Moto's
in-process answers are slower than DynamoDB's for transactions and faster for simple calls; the time is an
estimate, the counts are not. SQS: the requests the app makes, plus 2 per SQS-triggered invocation (the
event source mapping's ReceiveMessage and DeleteMessageBatch, billed to the account). DynamoDB Streams reads
by Lambda are free. X-Ray: one trace per invocation (Tracing: Active samples the first request each second
and 5 % after: at a tenant's pace, all). CloudWatch Logs: what the handler logged and printed (EMF metrics)
plus 350 bytes of Lambda's own START, END and REPORT lines per invocation.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from itertools import pairwise
from typing import Any

from benchmarks import REPO
from benchmarks.prices import AS_PUBLISHED, PRICES, REGION, lambda_gb_second, price
from inbox.domain.ai_prices import DEFAULT_MODEL, PRICES_AS_OF, estimated_cost

SERVICES = ("Lambda", "DynamoDB", "S3", "SQS", "KMS", "EventBridge", "API GW", "X-Ray", "Logs", "OpenAI")
SQS_TRIGGERED = {
    "ClassifyFunction",
    "AutoReplyFunction",
    "VonageWorkerFunction",
    "IndexerFunction",
    "SyncMailboxFunction",
    "WebhookDeliveryFunction",
}
FIFO_USERS = {"EventsFunction", "IndexerFunction"}  # SearchQueue is FIFO (their sends and receives)
PLATFORM_LOG_BYTES = 350
MINUTES_A_MONTH = 43_200  # 30 days
SECONDS_A_MONTH = MINUTES_A_MONTH * 60
CUSTOM_METRICS = 3  # MessagesIngested, DuplicateDeliveries, MalformedScheduledJob (Powertools, one dimension)
SEARCH_INDEX_BYTES = 1_400  # a message's share of a merged index (benchmarks/search.py, README "Search")
S3_WRITES = {
    "PutObject",
    "CopyObject",
    "CreateMultipartUpload",
    "UploadPart",
    "CompleteMultipartUpload",
    "ListObjects",
    "ListObjectsV2",
}


@cache
def memory_mb() -> dict[str, int]:
    from cfn_tools import load_yaml

    template = load_yaml((REPO / "template.yaml").read_text())
    default = int(template["Globals"]["Function"]["MemorySize"])
    return {
        name: int(r["Properties"].get("MemorySize", default))
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    }


def costs(tally: Any, model_seconds: float) -> Counter[str]:
    """Dollars by service for the whole scenario (storage apart: `storage_month`)."""
    meter, out = tally.meter, Counter()
    requests = meter.calls.requests
    for function, n in meter.invocations.items():
        seconds = meter.seconds[function] + tally.model_calls[function] * model_seconds
        billed = max(seconds, n * 0.001)
        out["Lambda"] += n * price("lambda.request") + billed * memory_mb()[function] / 1024 * lambda_gb_second()
        out["X-Ray"] += n * price("xray.trace")
        out["Logs"] += (meter.log_bytes[function] + n * PLATFORM_LOG_BYTES) / 1e9 * price("logs.ingestion")
        if function in SQS_TRIGGERED:
            out["SQS"] += 2 * price("sqs.fifo" if function in FIFO_USERS else "sqs.standard")
    for (_function, kind), units in meter.units.items():
        out["DynamoDB"] += units * price(f"dynamodb.{kind}_unit")
    for (function, service, operation), n in requests.items():
        if service == "s3":
            out["S3"] += n * price("s3.put" if operation in S3_WRITES else "s3.get") * (operation != "DeleteObject")
        elif service == "sqs":
            out["SQS"] += n * price("sqs.fifo" if function in FIFO_USERS else "sqs.standard")
        elif service == "kms":
            out["KMS"] += n * price("kms.request")
    out["EventBridge"] += sum(meter.events_put.values()) * price("events.put")
    out["API GW"] += tally.api_requests * price("apigateway.http_request")
    out["API GW"] += sum(meter.websocket_posts.values()) * price("apigateway.websocket_message")
    tokens = tally.tokens
    out["OpenAI"] += estimated_cost(DEFAULT_MODEL, tokens["prompt"], tokens["cached"], tokens["completion"])
    return out


def storage_month(tally: Any) -> float:
    """A month of keeping what the scenario stored (table with its GSI copies, bucket), the search index
    counted at what it holds once merged (SEARCH_INDEX_BYTES a message), not the transient segments."""
    bucket = tally.bucket_bytes + SEARCH_INDEX_BYTES * tally.messages
    return tally.table_bytes / 1e9 * price("dynamodb.storage") + bucket / 1e9 * price("s3.storage")


def per_message(tally: Any, model_seconds: float) -> Counter[str]:
    return Counter({k: v / max(tally.messages, 1) for k, v in costs(tally, model_seconds).items()})


def counts_line(tally: Any) -> str:
    meter, n = tally.meter, max(tally.messages, 1)
    ops = meter.requests()
    writes = sum(v for (s, o), v in ops.items() if s == "dynamodb" and o in WRITE_OPS)
    reads = sum(v for (s, o), v in ops.items() if s == "dynamodb" and o not in WRITE_OPS)
    units = Counter()
    for (_f, kind), v in meter.units.items():
        units[kind] += v
    invocations = sum(meter.invocations.values())
    return (
        f"   {tally.label:<18} DynamoDB writes {writes / n:5.1f} ({units['write'] / n:5.1f} WRU)"
        f"  reads {reads / n:5.1f} ({units['read'] / n:5.1f} RRU)  S3 {_of(ops, 's3') / n:4.1f}"
        f"  SQS {_of(ops, 'sqs') / n:4.1f}  KMS {_of(ops, 'kms') / n:4.1f}  invocations {invocations / n:4.1f}"
        f"  stored: table {tally.table_bytes / n / 1024:4.1f} KB, bucket {tally.bucket_bytes / n / 1024:4.1f} KB"
        f" (+ search segments {tally.segment_bytes / n / 1024:4.1f} KB, until merged)"
    )


WRITE_OPS = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


def _of(ops: Counter[tuple[str, str]], service: str) -> int:
    return sum(v for (s, _o), v in ops.items() if s == service)


def _money(value: float) -> str:
    return f"{value:.4f}" if value < 10 else f"{value:.2f}"


def report(tallies: list[Any], model_seconds: float) -> str:
    by = {t.label: t for t in tallies}
    lines = [
        f"Inbox cost benchmark - region {REGION}, arm64, prices as published {AS_PUBLISHED}; "
        f"OpenAI {DEFAULT_MODEL} as of {PRICES_AS_OF} (inbox.domain.ai_prices); a model call counted "
        f"{model_seconds} s of its function's time",
        "",
    ]
    lines.append("1. Cost per 1,000 messages, USD, by service (each message alone, as at a tenant's pace)")
    lines.append(f"   {'':<18}" + "".join(f"{s:>12}" for s in (*SERVICES, "total")) + f"{'storage/mo':>12}")
    channels = [label for label in by if label.split(" ")[0] in ("email", "SMS", "WhatsApp") and "batch" not in label]
    for label in channels:
        tally = by[label]
        cost = per_message(tally, model_seconds)
        cells = "".join(f"{cost[s] * 1000:>12.4f}" for s in SERVICES)
        lines.append(
            f"   {label:<18}{cells}{sum(cost.values()) * 1000:>12.4f}"
            f"{storage_month(tally) / tally.messages * 1000:>12.5f}"
        )
    lines.append("   storage/mo: a month of keeping 1,000 messages (table with GSI copies, raw mail and bodies, index)")
    lines += ["", "2. Counts per message (machine-independent)"] + [counts_line(by[label]) for label in channels]
    for label in channels:
        t = by[label]
        functions = ", ".join(f"{f} {n / t.messages:.1f}" for f, n in sorted(t.meter.invocations.items()))
        lines.append(f"   {label:<18} invocations: {functions}")
        units = sorted(((f, u) for (f, kind), u in t.meter.units.items() if kind == "write"), key=lambda x: -x[1])
        lines.append(f"   {'':<18} write units: " + ", ".join(f"{f} {u / t.messages:.1f}" for f, u in units))
        if t.tokens["prompt"]:
            share = t.tokens["cached"] / t.tokens["prompt"]
            lines.append(
                f"   {'':<18} tokens per message: prompt {t.tokens['prompt'] / t.messages:,.0f} "
                f"({share:.0%} cached), completion {t.tokens['completion'] / t.messages:,.0f}; "
                f"model calls {sum(t.model_calls.values()) / t.messages:.1f}"
            )

    lines += ["", *month_section(by, model_seconds), "", *batch_section(by, model_seconds)]
    lines += ["", "Prices used (benchmarks/prices.py; 'recalled': a regional figure to check on its page)"]
    lines += [f"   {name:<30} {p.usd:>14.10f} USD per {p.unit:<36} {p.checked}" for name, p in PRICES.items()]
    return "\n".join(lines)


def month_section(by: dict[str, Any], model_seconds: float) -> list[str]:
    """A tenant at 0, 100 and 1,000 messages a day, a third each by email, SMS and WhatsApp, one mailbox."""
    scheduler, idle = by["scheduler minute"], by["idle poll"]
    scheduler_month = sum(costs(scheduler, model_seconds).values()) * MINUTES_A_MONTH
    poll_month = sum(costs(idle, model_seconds).values()) * MINUTES_A_MONTH
    scheduler_ops = ", ".join(f"{o} {n}" for (_s, o), n in sorted(scheduler.meter.requests().items()))
    idle_ops = ", ".join(f"{o} {n}" for (_s, o), n in sorted(idle.meter.requests().items()))
    fixed = deployment_month(scheduler_month)
    restored_gb = max(snapstart_memory_gb().values(), default=0)
    lines = [
        "3. A tenant's month (30 days): a third of its messages each by email, SMS and WhatsApp, one mailbox",
        f"   the scheduler's minute (one for the whole deployment, whatever the tenants): {scheduler_ops or 'nothing'};"
        f" {_money(scheduler_month)} USD a month, shared by all tenants",
        "   the deployment's own month, whatever its tenants: "
        + ", ".join(f"{what} {_money(usd)}" for what, usd in fixed.items())
        + f"; {_money(sum(fixed.values()))} USD in all, not in the tenant's figures below",
        f"   a SnapStart cold start (API, webhooks) restores {restored_gb:g} GB:"
        f" {restored_gb * price('lambda.snapstart_restore'):.6f} USD each, not in the figures below (how many"
        " depends on the traffic's bursts and pauses, not on the messages)",
        f"   a mailbox's poll with nothing new, every minute: {idle_ops}; {_money(poll_month)} USD a month"
        " per mailbox (scales with mailboxes, not messages)",
        f"   {'messages a day':<16}{'no AI':>12}{'with AI':>12}{'storage (the month added)':>28}",
    ]
    for daily in (0, 100, 1000):
        row = []
        storage = 0.0
        for suffix in ("", " + AI"):
            total = poll_month
            for channel in ("email", "SMS", "WhatsApp"):
                tally = by[channel + suffix]
                total += daily * 30 / 3 * sum(per_message(tally, model_seconds).values())
                storage = max(storage, daily * 30 / 3 * 3 * storage_month(tally) / tally.messages)
            row.append(total)
        lines.append(f"   {daily:<16,}{_money(row[0]):>12}{_money(row[1]):>12}{_money(storage):>28}")
    tenant_zero = 0.0  # a tenant's own requests when nothing arrives and no mailbox is polled: none run
    ok = tenant_zero == 0 and scheduler.meter.requests()[("dynamodb", "Query")] <= 1
    lines += [
        "   storage: each month's messages add this much to every later month (DynamoDB items with their GSI"
        " copies, the S3 raw mail and bodies, the search index at 1.4 KB a message once merged)",
        f"   goal: $0 at 0 messages apart from storage, a tenant without a mailbox: nothing runs for it (the"
        f" scheduler's one Query reads only mailboxes due)   {'PASS' if ok else 'FAIL'}",
        f"   goal: the same, a tenant with a mailbox: {_money(poll_month)} USD a month of polls at 0 messages"
        f"   {'PASS' if poll_month == 0 else 'FAIL'}",
    ]
    return lines


@cache
def template_counts() -> tuple[int, int]:
    """The template's CloudWatch alarms, and its SQS event source mappings (each polled while idle)."""
    from cfn_tools import load_yaml

    resources = load_yaml((REPO / "template.yaml").read_text())["Resources"]
    alarms = sum(r["Type"] == "AWS::CloudWatch::Alarm" for r in resources.values())
    mappings = sum(
        e.get("Type") == "SQS"
        for r in resources.values()
        if r["Type"] == "AWS::Serverless::Function"
        for e in (r["Properties"].get("Events") or {}).values()
    )
    return alarms, mappings


@cache
def snapstart_memory_gb() -> dict[str, float]:
    """The memory of each of the template's SnapStart functions, in GB: what its snapshot's cache and each
    restore are billed on."""
    from cfn_tools import load_yaml

    resources = load_yaml((REPO / "template.yaml").read_text())["Resources"]
    names = [n for n, r in resources.items() if (r.get("Properties") or {}).get("SnapStart")]
    return {n: memory_mb()[n] / 1024 for n in names}


def deployment_month(scheduler_month: float) -> dict[str, float]:
    """What one deployment pays a month with no message at all. Lambda's pollers of an SQS event source keep
    5 long polls (20 s) open on an idle queue: 15 ReceiveMessage a minute each (an estimate, not counted)."""
    alarms, mappings = template_counts()
    return {
        "scheduler": scheduler_month,
        "KMS key": price("kms.key_month"),
        f"{alarms} alarms": alarms * price("cloudwatch.alarm"),
        f"{mappings} idle SQS pollers (estimate)": mappings * 15 * MINUTES_A_MONTH * price("sqs.standard"),
        f"{CUSTOM_METRICS} custom metrics": CUSTOM_METRICS * price("cloudwatch.metric"),
        # One active version per function; after a deploy the previous one stays billed until 14 idle days.
        f"SnapStart cache ({sum(snapstart_memory_gb().values()):g} GB)": sum(snapstart_memory_gb().values())
        * SECONDS_A_MONTH
        * price("lambda.snapstart_cache"),
    }


def batch_section(by: dict[str, Any], model_seconds: float) -> list[str]:
    """The email sync's cost per message as one poll finds 1, 10, 50: lease, cursor and KMS are per run."""
    batches = sorted((int(label.split()[-1]), t) for label, t in by.items() if label.startswith("email batch"))
    if not batches:
        return []
    lines = ["4. Email: AWS cost per 1,000 messages as one poll finds more (without OpenAI, which is per message)"]
    figures = []
    for size, tally in batches:
        cost = per_message(tally, model_seconds)
        aws = sum(v for k, v in cost.items() if k != "OpenAI") * 1000
        sync = [f for f in tally.meter.invocations if f == "SyncMailboxFunction"]
        kms = _of(tally.meter.requests(), "kms") / size
        figures.append(aws)
        ops = tally.meter.requests()
        writes = sum(v for (s, o), v in ops.items() if s == "dynamodb" and o in WRITE_OPS)
        invocations = sum(tally.meter.invocations.values()) / size
        lines.append(
            f"   {size:>4} per poll   {aws:>8.4f} USD   invocations {invocations:5.2f},"
            f" DynamoDB writes {writes / size:5.2f}, SQS {_of(ops, 'sqs') / size:4.2f}, KMS {kms:.2f} a message"
            f" ({sum(tally.meter.invocations[f] for f in sync)} sync run)"
        )
    falling = all(b < a for a, b in pairwise(figures)) and len(figures) > 1
    lines.append(f"   goal: the per-1,000 figure falling as the work is batched   {'PASS' if falling else 'FAIL'}")
    return lines
