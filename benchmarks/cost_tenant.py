"""The tenant of the cost benchmark and the pipeline run after each arrival (issue 15, item 4; benchmarks/cost.py).

`Tenant.invoke` runs one handler as one Lambda invocation, counted by a `request_counts.Meter`, with the fake
OpenAI's usage of the calls it made. After an arrival, `settle` runs what follows, as on AWS, until nothing is
left: the table's stream records (read from moto's stream, outside the count) given to each stream reader
whose template FilterCriteria keeps them (batches of 100), each queued job to its function (one job an
invocation: at a tenant's pace the queues hold one job at a time), SearchQueue's messages to the indexer.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from benchmarks import REPO
from benchmarks.request_counts import Meter

SQS_FUNCTIONS = {  # what a queue's event source mapping invokes
    "queue_url": "ClassifyFunction",
    "autoreply_queue_url": "AutoReplyFunction",
    "vonage_queue_url": "VonageWorkerFunction",
}
STREAM_READERS = ("EventsFunction", "LiveUpdatesFunction")


@dataclass
class Tally:
    """What one scenario cost in counts: per function, and the bytes it left stored."""

    label: str
    messages: int
    meter: Meter
    model_calls: Counter[str] = field(default_factory=Counter)
    tokens: Counter[str] = field(default_factory=Counter)  # prompt, cached, completion
    table_bytes: int = 0
    bucket_bytes: int = 0  # all but the search index's segments
    segment_bytes: int = 0  # segments written during the scenario (merged and purged later)
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
        after = self.stored_bytes()
        tally.table_bytes, tally.bucket_bytes, tally.segment_bytes = (a - b for a, b in zip(after, stored, strict=True))
        self.tally = None

    def stored_bytes(self) -> tuple[int, int, int]:
        """The table's items (with a copy in each GSI that holds them, and DynamoDB's 100 bytes of overhead an
        item and an index entry), the bucket's objects but the search segments, and those: read from moto
        outside the count."""
        from benchmarks.request_counts import GSI_KEYS, item_size

        table = 0
        for item in self.aws.all_items():
            copies = 1 + sum(all(k in item for k in keys) for keys in GSI_KEYS.values())
            table += copies * (item_size(item) + 100)
        listed = self.aws.s3.list_objects_v2(Bucket=self.aws.bucket).get("Contents", [])
        segments = sum(o["Size"] for o in listed if "/search/" in o["Key"])
        return table, sum(o["Size"] for o in listed) - segments, segments

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
