"""The cost benchmark's harness (issue 15, item 4): it runs end to end at a tiny size, and the figures that come
from counts, not from the machine's clock, are what they should be."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from helpers.benchmarks import run_benchmark

CHANNELS = ("email", "SMS", "WhatsApp", "email + AI", "SMS + AI", "WhatsApp + AI")


@pytest.fixture(scope="module")
def report() -> str:
    # One message per channel, email polls finding 1 and then 3 (timings at this size mean nothing).
    result = run_benchmark("benchmarks.cost", "--messages", "1", "--email-batches", "1,3", timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_report_has_each_section_and_a_row_per_channel_with_and_without_ai(report):
    for heading in ("1. Cost per 1,000 messages", "2. Counts per message", "3. A tenant's month", "4. Email: AWS cost"):
        assert heading in report, report
    table = report.split("1. Cost per 1,000 messages")[1].split("2. Counts per message")[0]
    for channel in CHANNELS:
        assert re.search(rf"^   {re.escape(channel)}\s+\d", table, re.MULTILINE), table
    assert "Prices used" in report
    assert "lambda.gb_second.arm64" in report


def test_an_sms_is_counted_through_every_function_it_wakes_and_with_ai_the_model_is_paid(report):
    counts = report.split("2. Counts per message")[1].split("3. A tenant's month")[0]
    sms = re.search(r"^   SMS +invocations: (.*)$", counts, re.MULTILINE).group(1)
    for function in ("WebhookSmsFunction 1.0", "ClassifyFunction 1.0", "EventsFunction", "IndexerFunction"):
        assert function in sms, sms
    assert "LiveUpdatesFunction" in sms  # a browser is connected: the fan-out is a cost of the message
    writes = re.search(r"^   SMS +DynamoDB writes +([\d.]+) \( *([\d.]+) WRU\)", counts, re.MULTILINE)
    assert float(writes.group(1)) >= 3  # the webhook's transaction, the classification, the statistics...
    assert float(writes.group(2)) > float(writes.group(1))  # ... each billed per KB, item and GSI copy
    with_ai = re.search(r"^   SMS \+ AI +invocations: (.*)$", counts, re.MULTILINE).group(1)
    assert "AutoReplyFunction 1.0" in with_ai, with_ai
    assert re.search(r"model calls 2\.0", counts), counts  # one classification, one reply
    table = report.split("1. Cost per 1,000 messages")[1].split("2. Counts per message")[0]
    openai_column = [float(row.split()[-3]) for row in table.splitlines() if row.startswith("   SMS ")][:2]
    assert openai_column[0] == 0, openai_column
    assert openai_column[1] > 0, openai_column


def test_at_0_messages_a_tenant_pays_storage_only_and_a_mailbox_its_polls(report):
    month = report.split("3. A tenant's month")[1].split("4. Email")[0]
    assert "Query 1" in month  # the scheduler's minute reads the mailboxes due, once for every tenant
    assert re.search(r"a tenant without a mailbox: nothing runs for it .* PASS", month), month
    zero = re.search(r"^   0 +([\d.]+) +([\d.]+) +([\d.]+)$", month, re.MULTILINE)
    poll = re.search(r"a mailbox's poll with nothing new, every minute: .*; ([\d.]+) USD a month", month)
    assert float(zero.group(1)) == float(zero.group(2)) == float(poll.group(1))  # no message cost at 0
    assert float(zero.group(3)) == 0  # nothing added to storage either


def test_batching_lowers_the_email_cost_per_message(report):
    batches = report.split("4. Email: AWS cost")[1]
    per_poll = re.findall(r"^ +(\d+) per poll +([\d.]+) USD", batches, re.MULTILINE)
    assert [size for size, _ in per_poll] == ["1", "3"]
    assert "goal: the per-1,000 figure falling as the work is batched" in batches


def test_the_prices_apply_to_counts_as_the_table_says():
    from benchmarks.cost_report import costs
    from benchmarks.prices import price
    from benchmarks.request_counts import Meter

    meter = Meter()
    meter.invocations["WebhookSmsFunction"] = 1
    meter.seconds["WebhookSmsFunction"] = 0.1  # 512 MB (template.yaml)
    meter.units["WebhookSmsFunction", "write"] = 10
    meter.calls.requests["WebhookSmsFunction", "s3", "PutObject"] = 1
    tally = SimpleNamespace(meter=meter, model_calls={"WebhookSmsFunction": 0}, api_requests=1, tokens={})
    tally.tokens = {"prompt": 0, "cached": 0, "completion": 0}

    dollars = costs(tally, model_seconds=0)

    assert dollars["Lambda"] == pytest.approx(price("lambda.request") + 0.1 * 0.5 * price("lambda.gb_second.arm64"))
    assert dollars["DynamoDB"] == pytest.approx(10 * price("dynamodb.write_unit"))
    assert dollars["S3"] == pytest.approx(price("s3.put"))
    assert dollars["API GW"] == pytest.approx(price("apigateway.http_request"))
    assert dollars["X-Ray"] == pytest.approx(price("xray.trace"))
    assert dollars["OpenAI"] == 0


def test_every_price_names_its_page_and_how_sure_it_is():
    from benchmarks.prices import PRICES, REGION

    assert REGION == "eu-west-3"
    for name, entry in PRICES.items():
        assert entry.usd > 0, name
        assert entry.unit, name
        assert entry.source.startswith("https://aws.amazon.com/"), name
        assert entry.checked in ("stable", "recalled"), name


def test_the_deployments_month_pays_the_snapstart_functions_snapshot_cache_all_month(report):
    from benchmarks.cost_report import deployment_month
    from benchmarks.prices import price

    # The API and the two Vonage webhooks, 512 MB each (template.yaml): their snapshots are cached, and
    # billed, all month long, messages or not.
    fixed = deployment_month(scheduler_month=0)
    assert fixed["SnapStart cache (1.5 GB)"] == pytest.approx(1.5 * 30 * 86_400 * price("lambda.snapstart_cache"))
    month = report.split("3. A tenant's month")[1].split("4. Email")[0]
    assert "SnapStart cache (1.5 GB)" in month
    restore = re.search(r"a SnapStart cold start \(API, webhooks\) restores 0.5 GB: ([\d.]+) USD each", month)
    assert float(restore.group(1)) == pytest.approx(0.5 * price("lambda.snapstart_restore"), abs=1e-6)
