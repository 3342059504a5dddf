"""Events for other systems (issue 13, item 8), under moto: the table's writes published to the bus, and
outbound webhooks registered by admins that receive them signed, retried with backoff and logged. A
loopback HTTP server plays the tenant's endpoint."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer

from helpers.aws_account import REGION
from helpers.events import LambdaContext, api_request, load_event
from inbox import wiring
from inbox.domain import signatures
from inbox.services.outbound_webhooks import MAX_ATTEMPTS, backoff
from samples import AGENT

OTHER_TENANT = {"custom:tenant_id": "tenant-other", "sub": "u-other-admin"}
_deserialize = TypeDeserializer().deserialize


class Receiver:
    """A tenant's endpoint on loopback: keeps what it is sent, answers `statuses` in turn (then the last)."""

    def __init__(self, statuses: list[int] | None = None):
        self.statuses = statuses or [200]
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses[min(len(receiver.requests), len(receiver.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/inbox"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def events_aws(aws, monkeypatch):
    """The template's EventBus and WebhookDeliveryQueue in moto, and a rule copying the bus to a queue we read."""
    sqs = boto3.client("sqs", region_name=REGION)
    events = boto3.client("events", region_name=REGION)
    deliveries = sqs.create_queue(QueueName="inbox-test-webhook-deliveries")["QueueUrl"]
    seen = sqs.create_queue(QueueName="inbox-test-bus-copy")["QueueUrl"]
    seen_arn = sqs.get_queue_attributes(QueueUrl=seen, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.create_event_bus(Name="inbox-test-events")
    events.put_rule(Name="all", EventBusName="inbox-test-events", EventPattern=json.dumps({"source": ["inbox"]}))
    events.put_targets(Rule="all", EventBusName="inbox-test-events", Targets=[{"Id": "copy", "Arn": seen_arn}])
    monkeypatch.setenv("EVENT_BUS_NAME", "inbox-test-events")
    monkeypatch.setenv("WEBHOOK_DELIVERY_QUEUE_URL", deliveries)
    wiring.reset()
    aws.deliveries_url, aws.bus_copy_url = deliveries, seen
    return aws


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


def register(api, url: str, events: list[str], **claims: str) -> tuple[int, Any]:
    return api(api_request("POST", "/webhooks", {"url": url, "events": events}, **claims))


def stream_records(aws, since: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """The table's conversation and message items not in `since`, as INSERT stream records (moto's table
    has no stream here): what the EventsFunction would be handed."""
    records = []
    for n, item in enumerate(aws.all_items()):
        pk, sk = item["PK"]["S"], item["SK"]["S"]
        if (pk, sk) in since or not (sk == "CONV" or sk.startswith("MSG#")):
            continue
        stream = {"Keys": {"PK": item["PK"], "SK": item["SK"]}, "NewImage": item, "ApproximateCreationDateTime": 1}
        records.append({"eventID": f"record-{n}", "eventName": "INSERT", "dynamodb": stream})
    return records


def keys_of(aws) -> set[tuple[str, str]]:
    return {(i["PK"]["S"], i["SK"]["S"]) for i in aws.all_items()}


def take(aws, url: str) -> list[dict[str, Any]]:
    messages = aws.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for m in messages:
        aws.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return messages


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "Records": [
            {"messageId": m["MessageId"], "body": m["Body"], "attributes": {}, "eventSource": "aws:sqs"}
            for m in messages
        ]
    }


def publish(aws, before: set[tuple[str, str]]) -> None:
    from functions.events import app

    app.publish_handler({"Records": stream_records(aws, before)}, LambdaContext())


def deliver(messages: list[dict[str, Any]]) -> dict[str, Any]:
    from functions.events import app

    return app.deliver_handler(sqs_event(messages), LambdaContext())


def test_webhooks_a_customers_message_is_published_to_the_bus_and_posted_signed_to_the_webhook(
    events_aws, api, post_webhook, receiver
):
    status, created = register(api, receiver.url, ["conversation.created", "message.received"])
    assert status == 201, created
    secret = created["secret"]
    assert secret.startswith("whsec_")
    assert "secret" not in api(api_request("GET", "/webhooks"))[1]["items"][0]
    assert secret not in json.dumps(events_aws.all_items())  # stored sealed

    before = keys_of(events_aws)
    assert post_webhook()[0] == 202
    publish(events_aws, before)

    on_bus = [json.loads(m["Body"]) for m in take(events_aws, events_aws.bus_copy_url)]
    assert sorted(e["detail-type"] for e in on_bus) == ["conversation.created", "message.received"]
    assert {e["source"] for e in on_bus} == {"inbox"}
    assert {e["detail"]["tenant_id"] for e in on_bus} == {"tenant-sample"}

    jobs = take(events_aws, events_aws.deliveries_url)
    assert len(jobs) == 2
    assert deliver(jobs) == {"batchItemFailures": []}
    assert len(receiver.requests) == 2
    for headers, body in receiver.requests:
        signatures.verify(secret, body, headers["x-inbox-signature"], time.time())  # the verifier we accept with
        event = json.loads(body)
        assert headers["x-inbox-event"] == event["type"]
        assert headers["x-inbox-event-id"] == event["id"]
    received = next(json.loads(b) for _, b in receiver.requests if json.loads(b)["type"] == "message.received")
    assert received["data"]["direction"] == "inbound"
    assert received["data"]["text"]

    status, log = api(api_request("GET", f"/webhooks/{created['id']}/deliveries"))
    assert status == 200
    assert sorted((d["event_type"], d["status"], d["attempts"], d["response_code"]) for d in log["items"]) == [
        ("conversation.created", "delivered", 1, 200),
        ("message.received", "delivered", 1, 200),
    ]


def test_webhooks_only_the_chosen_events_of_enabled_webhooks_are_queued(events_aws, api, post_webhook, receiver):
    _, _chosen = register(api, receiver.url, ["message.sent"])
    _, off = register(api, receiver.url, ["message.received"])
    assert api(api_request("PATCH", f"/webhooks/{off['id']}", {"enabled": False}))[1]["enabled"] is False
    before = keys_of(events_aws)
    post_webhook()
    publish(events_aws, before)
    assert take(events_aws, events_aws.deliveries_url) == []
    assert len(take(events_aws, events_aws.bus_copy_url)) == 2  # the bus has them all the same


def test_webhooks_a_failing_endpoint_is_retried_with_backoff_then_logged_failed(events_aws, api, post_webhook):
    failing = Receiver([500])
    try:
        _, created = register(api, failing.url, ["message.received"])
        before = keys_of(events_aws)
        post_webhook()
        publish(events_aws, before)
        [job] = take(events_aws, events_aws.deliveries_url)
        assert deliver([job]) == {"batchItemFailures": []}  # the endpoint's failure is not ours: no SQS retry
        [entry] = api(api_request("GET", f"/webhooks/{created['id']}/deliveries"))[1]["items"]
        assert (entry["status"], entry["attempts"], entry["response_code"], entry["error"]) == (
            "retrying",
            1,
            500,
            "HTTP 500",
        )
        waited = datetime.fromisoformat(entry["next_attempt_at"]) - datetime.fromisoformat(entry["last_attempt_at"])
        assert waited.total_seconds() == backoff(1) == 30
        attributes = events_aws.sqs.get_queue_attributes(
            QueueUrl=events_aws.deliveries_url, AttributeNames=["ApproximateNumberOfMessagesDelayed"]
        )["Attributes"]
        assert attributes["ApproximateNumberOfMessagesDelayed"] == "1"  # queued again, with a delay

        # The next attempts, as SQS hands them over once each delay has passed.
        sent = json.loads(job["Body"])
        for attempt in range(2, MAX_ATTEMPTS + 1):
            deliver([{"MessageId": f"m{attempt}", "Body": json.dumps({**sent, "attempt": attempt})}])
        [entry] = api(api_request("GET", f"/webhooks/{created['id']}/deliveries"))[1]["items"]
        assert (entry["status"], entry["attempts"], entry["next_attempt_at"]) == ("failed", MAX_ATTEMPTS, None)
        assert len(failing.requests) == MAX_ATTEMPTS
        assert [int(h["x-inbox-delivery-attempt"]) for h, _ in failing.requests] == list(range(1, MAX_ATTEMPTS + 1))
        assert [backoff(n) for n in range(1, MAX_ATTEMPTS)] == [30, 120, 480, 900, 900]
    finally:
        failing.close()


def test_webhooks_the_test_action_posts_a_signed_test_event_and_logs_it(events_aws, api, receiver):
    _, created = register(api, receiver.url, ["task.created"])
    status, delivery = api(load_event("api/test_webhook.json", WEBHOOK_ID=created["id"]))
    assert (status, delivery["event_type"], delivery["status"], delivery["response_code"]) == (
        200,
        "webhook.test",
        "delivered",
        200,
    )
    [(headers, body)] = receiver.requests
    signatures.verify(created["secret"], body, headers["x-inbox-signature"], time.time())
    assert json.loads(body)["data"]["webhook_id"] == created["id"]


def test_webhooks_an_unreachable_endpoint_is_a_failed_test_in_words(events_aws, api, receiver):
    _, created = register(api, receiver.url, ["task.created"])
    receiver.close()
    status, delivery = api(api_request("POST", f"/webhooks/{created['id']}/test"))
    assert (status, delivery["status"], delivery["response_code"]) == (200, "failed", None)
    assert delivery["error"] in ("connection refused", "the connection failed")


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # not https
        "https://10.1.2.3/x",  # private
        "https://169.254.169.254/latest",  # metadata
        "https://user:pw@hooks.example.com/",
        "ftp://hooks.example.com/",
    ],
)
def test_webhooks_a_url_that_is_not_public_https_is_a_422_on_url(events_aws, api, url):
    status, body = register(api, url, ["message.received"])
    assert status == 422, body
    assert body["error"]["message"].startswith("url:"), body


def test_webhooks_bad_events_are_a_422_on_events(events_aws, api):
    for events in ([], ["message.exploded"], ["webhook.test"]):
        status, body = register(api, "https://hooks.example.com/x", events)
        assert status == 422, body
        assert body["error"]["message"].startswith("events"), body


def test_webhooks_another_tenants_webhook_answers_404(events_aws, api):
    _, created = register(api, "https://hooks.example.com/x", ["message.received"])
    path = f"/webhooks/{created['id']}"
    for method, suffix, body in (
        ("PATCH", "", {"enabled": False}),
        ("DELETE", "", None),
        ("GET", "/deliveries", None),
        ("POST", "/test", None),
    ):
        status, _ = api(api_request(method, path + suffix, body, **OTHER_TENANT))
        assert status == 404, (method, suffix)
    assert api(api_request("GET", "/webhooks", **OTHER_TENANT)) == (200, {"items": []})


def test_webhooks_are_for_admins_agents_get_403(events_aws, api):
    assert register(api, "https://hooks.example.com/x", ["message.received"], **AGENT)[0] == 403
    assert api(api_request("GET", "/webhooks", **AGENT))[0] == 403


def test_webhooks_the_samples_register_change_log_and_delete(events_aws, api):
    status, created = api(load_event("api/create_webhook.json"))
    assert status == 201
    assert created["events"] == ["conversation.created", "message.received", "message.sent"]
    status, changed = api(load_event("api/update_webhook.json", WEBHOOK_ID=created["id"]))
    assert (status, changed["events"], changed["enabled"]) == (200, ["message.received"], False)
    assert api(load_event("api/list_webhooks.json"))[1]["items"][0]["id"] == created["id"]
    assert api(load_event("api/list_webhook_deliveries.json", WEBHOOK_ID=created["id"])) == (200, {"items": []})
    assert api(load_event("api/delete_webhook.json", WEBHOOK_ID=created["id"]))[0] == 204
    assert api(load_event("api/list_webhooks.json")) == (200, {"items": []})


def test_webhooks_a_deleted_webhook_gets_nothing_already_queued(events_aws, api, post_webhook, receiver):
    _, created = register(api, receiver.url, ["message.received"])
    before = keys_of(events_aws)
    post_webhook()
    publish(events_aws, before)
    api(api_request("DELETE", f"/webhooks/{created['id']}"))
    deliver(take(events_aws, events_aws.deliveries_url))
    assert receiver.requests == []


def test_webhooks_the_sample_events_run_the_handlers(events_aws, api, receiver):
    from functions.events import app

    app.publish_handler(load_event("events/conversation_created.json"), LambdaContext())
    [copied] = take(events_aws, events_aws.bus_copy_url)
    assert json.loads(copied["Body"])["detail-type"] == "conversation.created"
    _, created = register(api, receiver.url, ["conversation.created"])
    job = load_event("events/webhook_delivery.json", WEBHOOK_ID=created["id"])
    assert app.deliver_handler(job, LambdaContext()) == {"batchItemFailures": []}
    assert json.loads(receiver.requests[0][1])["type"] == "conversation.created"


def changes(before: dict[tuple[str, str], dict], after: dict[tuple[str, str], dict], tag: str) -> list[dict[str, Any]]:
    """The stream records of what changed between two reads of the table (INSERT and MODIFY)."""
    records = []
    for n, (where, item) in enumerate(after.items()):
        old = before.get(where)
        if old == item:
            continue
        stream = {"Keys": {"PK": item["PK"], "SK": item["SK"]}, "NewImage": item, "ApproximateCreationDateTime": 1}
        if old is not None:
            stream["OldImage"] = old
        records.append({"eventID": f"{tag}-{n}", "eventName": "MODIFY" if old else "INSERT", "dynamodb": stream})
    return records


def table(aws) -> dict[tuple[str, str], dict]:
    return {(i["PK"]["S"], i["SK"]["S"]): i for i in aws.all_items()}


def test_webhooks_each_kind_of_change_is_published_status_assignee_and_tasks(events_aws, api, post_webhook):
    from functions.events import app

    person = events_aws.add_person("lea@example.com", "tenant-sample", role="agent", name="Léa")
    published: list[str] = []

    def step(tag: str, act) -> None:
        before = table(events_aws)
        act()
        app.publish_handler({"Records": changes(before, table(events_aws), tag)}, LambdaContext())
        published.extend(json.loads(m["Body"])["detail-type"] for m in take(events_aws, events_aws.bus_copy_url))

    conversation_id = ""

    def ingest() -> None:
        nonlocal conversation_id
        conversation_id = post_webhook()[1]["conversation_id"]

    step("ingest", ingest)
    patch = {"status": "resolved", "assignee_id": person}
    step("patch", lambda: api(api_request("PATCH", f"/conversations/{conversation_id}", patch)))
    task: dict[str, Any] = {}

    def create_task() -> None:
        due = "2099-01-01T09:00:00+00:00"
        status, body = api(
            api_request("POST", f"/conversations/{conversation_id}/tasks", {"title": "Call back", "due_at": due})
        )
        assert status == 201, body
        task.update(body)

    step("task", create_task)
    step("done", lambda: api(api_request("PATCH", f"/tasks/{task['id']}", {"done": True})))
    assert sorted(published) == [
        "conversation.assigned",
        "conversation.created",
        "conversation.status_changed",
        "message.received",
        "task.created",
        "task.done",
    ]


def test_webhooks_the_events_function_loads_neither_openai_nor_mail_code():
    import subprocess
    import sys

    from helpers.events import REPO

    probe = (
        "import sys; import functions.events.app; "
        "import inbox.services.events, inbox.services.outbound_webhooks, inbox.adapters.webhook_http, "
        "inbox.adapters.event_bus, inbox.adapters.dynamodb.webhooks, inbox.adapters.dynamodb.stream_events; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'httpx2', 'imapclient', 'nh3') "
        "or m in ('inbox.domain.email_message', 'inbox.http.schemas')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        env={"PYTHONPATH": f"{REPO / 'layers' / 'common'}:{REPO}", "POWERTOOLS_TRACE_DISABLED": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_webhooks_a_change_racing_a_delete_answers_404_and_does_not_bring_it_back(events_aws, api, monkeypatch):
    _, created = register(api, "https://hooks.example.com/x", ["message.received"])
    store = wiring.outbound_webhooks()._store
    read = store.webhook

    def read_then_deleted(tenant_id: str, webhook_id: str):
        found = read(tenant_id, webhook_id)
        store.delete_webhook(tenant_id, webhook_id)  # the DELETE lands between the PATCH's read and write
        return found

    monkeypatch.setattr(store, "webhook", read_then_deleted)
    status, _ = api(api_request("PATCH", f"/webhooks/{created['id']}", {"enabled": False}))
    monkeypatch.undo()
    assert status == 404
    assert api(api_request("GET", "/webhooks")) == (200, {"items": []})
