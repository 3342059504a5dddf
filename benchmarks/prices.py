"""The prices the cost benchmark uses (issue 15, item 4): one table, each price with its unit, region and source.

Region: eu-west-3 (Europe, Paris). samconfig.toml names no region (`sam deploy` takes the AWS CLI's), so the
region is the one the project runs its AWS account and benchmarks in (benchmarks/__init__.py, tests'
helpers/aws_account.py: eu-west-3). All functions are arm64 (template.yaml, Globals: Architectures).

How these were written: this machine cannot reach the internet, so every figure is the list price as I know it
from the pages named, as published in the first half of 2025 (DynamoDB's on-demand prices after the 50 %
cut of 2024-11-01; Lambda's INIT phase billed from 2025-08-01). `checked` says how sure: "stable" for prices
that are the same in every commercial region and have not moved in years; "recalled" for a regional figure
remembered, not re-read: check those on the page before quoting a total. No free tier is subtracted (an
account's free tier is shared by everything in it). US dollars, before tax. Update a line here and re-run.

The model's prices are not repeated here: they are the app's own dated table, inbox.domain.ai_prices.
"""

from __future__ import annotations

from dataclasses import dataclass

REGION = "eu-west-3"
ARCHITECTURE = "arm64"
AS_PUBLISHED = "2025-06 (from memory: no internet on this machine)"

LAMBDA = "https://aws.amazon.com/lambda/pricing/"
DYNAMODB = "https://aws.amazon.com/dynamodb/pricing/on-demand/"
S3 = "https://aws.amazon.com/s3/pricing/"
SQS = "https://aws.amazon.com/sqs/pricing/"
KMS = "https://aws.amazon.com/kms/pricing/"
EVENTBRIDGE = "https://aws.amazon.com/eventbridge/pricing/"
API_GATEWAY = "https://aws.amazon.com/api-gateway/pricing/"
CLOUDWATCH = "https://aws.amazon.com/cloudwatch/pricing/"
XRAY = "https://aws.amazon.com/xray/pricing/"


@dataclass(frozen=True)
class Price:
    usd: float
    unit: str
    source: str
    checked: str  # "stable" (same everywhere, unchanged for years) or "recalled" (regional, check it)


PRICES: dict[str, Price] = {
    # AWS Lambda - https://aws.amazon.com/lambda/pricing/
    "lambda.request": Price(0.20 / 1e6, "request", LAMBDA, "stable"),
    "lambda.gb_second.arm64": Price(0.0000133334, "GB-second", LAMBDA, "stable"),
    "lambda.gb_second.x86_64": Price(0.0000166667, "GB-second", LAMBDA, "stable"),
    # SnapStart for Python (since 2024-11; template: the API and the two Vonage webhooks): the snapshot's cache,
    # billed per GB of the function's memory for as long as a version is active (3 hours at least; until 14 days
    # without an invocation), and each restore (a cold start from it). US East's figures as recalled: Paris's
    # may be a little higher.
    "lambda.snapstart_cache": Price(0.0000015046, "GB-second of a cached snapshot", LAMBDA, "recalled"),
    "lambda.snapstart_restore": Price(0.0001397998, "GB restored (a SnapStart cold start)", LAMBDA, "recalled"),
    # Amazon DynamoDB, on-demand, Standard table class - https://aws.amazon.com/dynamodb/pricing/on-demand/
    "dynamodb.write_unit": Price(0.7423 / 1e6, "write request unit", DYNAMODB, "recalled"),
    "dynamodb.read_unit": Price(0.1485 / 1e6, "read request unit", DYNAMODB, "recalled"),
    "dynamodb.storage": Price(0.2970, "GB-month", DYNAMODB, "recalled"),
    # GetRecords by a Lambda event source mapping (both stream readers) is not billed; listed for other readers.
    "dynamodb.stream_read": Price(0.0228 / 1e5, "streams read request unit", DYNAMODB, "recalled"),
    # Amazon S3 Standard - https://aws.amazon.com/s3/pricing/
    "s3.put": Price(0.0053 / 1000, "PUT, COPY, POST, LIST request", S3, "recalled"),
    "s3.get": Price(0.00042 / 1000, "GET, SELECT and other request", S3, "recalled"),
    "s3.storage": Price(0.024, "GB-month (first 50 TB)", S3, "recalled"),
    # Amazon SQS - https://aws.amazon.com/sqs/pricing/ (a request is each 64 KB chunk of a payload)
    "sqs.standard": Price(0.40 / 1e6, "request", SQS, "stable"),
    "sqs.fifo": Price(0.50 / 1e6, "request", SQS, "stable"),
    # AWS KMS - https://aws.amazon.com/kms/pricing/
    "kms.request": Price(0.03 / 10_000, "request", KMS, "stable"),
    "kms.key_month": Price(1.00, "customer managed key-month", KMS, "stable"),
    # Amazon EventBridge - https://aws.amazon.com/eventbridge/pricing/ (custom events: each 64 KB chunk)
    "events.put": Price(1.00 / 1e6, "custom event published", EVENTBRIDGE, "stable"),
    "scheduler.invocation": Price(1.00 / 1e6, "scheduled invocation", EVENTBRIDGE, "stable"),
    # Amazon API Gateway - https://aws.amazon.com/api-gateway/pricing/
    "apigateway.http_request": Price(1.11 / 1e6, "HTTP API request (512 KB steps)", API_GATEWAY, "recalled"),
    "apigateway.websocket_message": Price(1.14 / 1e6, "WebSocket message (32 KB steps)", API_GATEWAY, "recalled"),
    "apigateway.websocket_minute": Price(0.285 / 1e6, "WebSocket connection-minute", API_GATEWAY, "recalled"),
    # Amazon CloudWatch - https://aws.amazon.com/cloudwatch/pricing/
    "logs.ingestion": Price(0.53, "GB of logs ingested (standard)", CLOUDWATCH, "recalled"),
    "cloudwatch.metric": Price(0.30, "custom metric-month (first 10,000)", CLOUDWATCH, "stable"),
    "cloudwatch.alarm": Price(0.10, "standard-resolution alarm-month", CLOUDWATCH, "stable"),
    # AWS X-Ray (template: Tracing: Active) - https://aws.amazon.com/xray/pricing/
    "xray.trace": Price(5.00 / 1e6, "trace recorded", XRAY, "stable"),
}


def price(name: str) -> float:
    return PRICES[name].usd


def lambda_gb_second(architecture: str = ARCHITECTURE) -> float:
    return price(f"lambda.gb_second.{architecture}")
