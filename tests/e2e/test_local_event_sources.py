"""The local stack's SQS pollers and schedules, on a small template of their own.

The pieces run as in `python -m local` (moto's server, resources from the template, functions in
worker processes); the schedule runner gets a fast clock so hours pass in a moment.
"""

from __future__ import annotations

import json
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from local.aws import Aws, configure_credentials
from local.function_specs import function_specs, schedule_sources, sqs_sources
from local.pollers import SqsPoller
from local.resources import create_resources
from local.runtime import Runtime, Worker, function_environment
from local.schedules import Scheduler
from local.state import MotoServer
from local.template import Template

pytestmark = pytest.mark.e2e

TEMPLATE = """
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  LogDir:
    Type: String
Globals:
  Function:
    Runtime: python3.13
    Timeout: 10
    Environment:
      Variables:
        LOG_DIR: !Ref LogDir
Resources:
  JobsDLQ:
    Type: AWS::SQS::Queue
  JobsQueue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 2
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt JobsDLQ.Arn
        maxReceiveCount: 2
  ConsumerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: consumer/
      Handler: app.handler
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt JobsQueue.Arn
            BatchSize: 10
            MaximumBatchingWindowInSeconds: 0
            FunctionResponseTypes: [ReportBatchItemFailures]
  TickFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: tick/
      Handler: app.handler
      Events:
        EveryFiveMinutes:
          Type: Schedule
          Properties:
            Schedule: rate(5 minutes)
        Hourly:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 * * * ? *)
            Input: '{"job": "hourly"}'
"""

CONSUMER = """
import json, os

def handler(event, context):
    failures = []
    with open(os.path.join(os.environ["LOG_DIR"], "consumer.log"), "a") as log:
        for record in event["Records"]:
            log.write(json.dumps({"record": record, "pid": os.getpid()}) + "\\n")
            log.flush()
            if record["body"].startswith("crash"):
                os._exit(3)  # the process dies: Lambda would report Runtime.ExitError
            if record["body"].startswith("raise"):
                raise RuntimeError("cannot process " + record["body"])
            if record["body"].startswith("fail"):
                failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"""

TICK = """
import json, os

def handler(event, context):
    with open(os.path.join(os.environ["LOG_DIR"], "tick.log"), "a") as log:
        log.write(json.dumps({"event": event, "remaining": context.get_remaining_time_in_millis()}) + "\\n")
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources")
    (root / "template.yaml").write_text(TEMPLATE)
    for name, code in (("consumer", CONSUMER), ("tick", TICK)):
        (root / name).mkdir()
        (root / name / "app.py").write_text(textwrap.dedent(code))
    logs = root / "logs"
    logs.mkdir()
    configure_credentials("eu-west-3")
    server = MotoServer()
    server.start()
    runtime = None
    try:
        aws = Aws(server.url, "eu-west-3")
        template = Template.load(root / "template.yaml", stack_name="sources", parameters={"LogDir": str(logs)})
        create_resources(template, aws)
        runtime = Runtime(
            {
                spec.logical_id: Worker(
                    spec, function_environment(spec, endpoint_url=server.url, region="eu-west-3"), root
                )
                for spec in function_specs(template)
            }
        )
        runtime.start()
        yield {"aws": aws, "template": template, "runtime": runtime, "logs": logs}
    finally:
        if runtime is not None:
            runtime.stop()
        server.stop()


def read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def queue_depth(aws: Aws, url: str) -> int:
    attributes = aws.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def poller(stack):
    (source,) = sqs_sources(stack["template"])
    poller = SqsPoller(source, stack["aws"], stack["runtime"].invoke)
    poller.start()
    yield poller
    poller.stop()


def dlq_bodies(stack) -> list[str]:
    dlq = stack["template"].physical["JobsDLQ"].ref
    messages = stack["aws"].client("sqs").receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return sorted(m["Body"] for m in messages.get("Messages", []))


def deliveries(stack, body: str) -> list[dict]:
    return [e for e in read_log(stack["logs"] / "consumer.log") if e["record"]["body"] == body]


def test_sqs_poller_deletes_successes_and_redrives_reported_failures(stack, poller):
    aws, queue = stack["aws"], stack["template"].physical["JobsQueue"].ref
    aws.client("sqs").send_message_batch(
        QueueUrl=queue,
        Entries=[
            {
                "Id": "1",
                "MessageBody": "ok-1",
                "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "a"}},
            },
            {"Id": "2", "MessageBody": "fail-1"},
        ],
    )
    wait_until(lambda: dlq_bodies(stack) == ["fail-1"], 20, "the failed message in the DLQ")

    assert queue_depth(aws, queue) == 0
    ok = deliveries(stack, "ok-1")
    assert len(ok) == 1  # deleted after its first, successful delivery
    record = ok[0]["record"]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == stack["template"].physical["JobsQueue"].attrs["Arn"]
    assert record["awsRegion"] == "eu-west-3"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert {"SentTimestamp", "ApproximateFirstReceiveTimestamp", "SenderId"} <= set(record["attributes"])
    assert record["messageAttributes"]["kind"]["stringValue"] == "a"
    assert record["messageAttributes"]["kind"]["dataType"] == "String"
    assert record["md5OfBody"]
    assert record["receiptHandle"]
    assert record["messageId"]
    failed = deliveries(stack, "fail-1")
    assert [d["record"]["attributes"]["ApproximateReceiveCount"] for d in failed] == [
        "1",
        "2",
    ]  # maxReceiveCount


def test_sqs_poller_keeps_the_batch_when_the_function_raises_or_its_process_dies(stack, poller):
    aws, queue = stack["aws"], stack["template"].physical["JobsQueue"].ref
    aws.client("sqs").send_message(QueueUrl=queue, MessageBody="raise-2")
    wait_until(lambda: "raise-2" in dlq_bodies(stack), 20, "the raising message in the DLQ")
    assert len(deliveries(stack, "raise-2")) == 2

    aws.client("sqs").send_message(QueueUrl=queue, MessageBody="crash-3")
    wait_until(lambda: "crash-3" in dlq_bodies(stack), 30, "the crashing message in the DLQ")
    crashes = deliveries(stack, "crash-3")
    assert len(crashes) == 2
    assert crashes[0]["pid"] != crashes[1]["pid"]  # a fresh worker process after the crash

    aws.client("sqs").send_message(QueueUrl=queue, MessageBody="ok-after-crash")
    wait_until(lambda: deliveries(stack, "ok-after-crash"), 15, "the next message to be processed")
    wait_until(lambda: queue_depth(aws, queue) == 0, 10, "the queue to drain")


class FastClock:
    """Time that jumps forward whenever the scheduler sleeps; stops it after `hours`."""

    def __init__(self, start: datetime, hours: float):
        self.now = start.timestamp()
        self.end = self.now + hours * 3600
        self.finished = threading.Event()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> bool:
        self.now += seconds
        time.sleep(0.001)
        if self.now > self.end:
            self.finished.set()
        return self.finished.is_set()


def test_schedules_fire_rate_and_cron_events(stack):
    start = datetime(2030, 1, 1, 9, 58, 30, tzinfo=UTC)
    clock = FastClock(start, hours=2)
    scheduler = Scheduler(
        schedule_sources(stack["template"]),
        stack["runtime"].invoke,
        region="eu-west-3",
        account_id="123456789012",
        clock=clock,
        sleep=clock.sleep,
    )
    scheduler.start()
    assert clock.finished.wait(30), "the scheduler did not get through two hours"
    scheduler.stop()  # waits for the runs still in flight

    events = [e["event"] for e in read_log(stack["logs"] / "tick.log")]
    hourly = [e for e in events if e == {"job": "hourly"}]
    scheduled = sorted((e for e in events if e.get("detail-type") == "Scheduled Event"), key=lambda e: e["time"])
    assert len(hourly) == 2  # 10:00 and 11:00
    expected = [(start + timedelta(minutes=5 * i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(1, 25)]
    assert [e["time"] for e in scheduled] == expected
    first = scheduled[0]
    assert first["source"] == "aws.events"
    assert first["region"] == "eu-west-3"
    assert first["resources"] == ["arn:aws:events:eu-west-3:123456789012:rule/sources-TickFunction-EveryFiveMinutes"]
    assert all(0 < e["remaining"] <= 10_000 for e in read_log(stack["logs"] / "tick.log"))
