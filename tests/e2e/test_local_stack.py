"""`python -m local` as a user runs it: demo data, the API behind the JWT authorizer, webhooks, restarts."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import jwt
import pytest
import requests
from cfn_tools import load_yaml
from cryptography.hazmat.primitives.asymmetric import rsa

from helpers.local_stack import REPO, LocalStack, aws_client, create_user, free_port, id_token, post_webhook, sign_in
from helpers.web import settled_counters
from local.vonage_templates import DEMO_TEMPLATES, DEMO_WABA_ID

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("local-stack")
    local = LocalStack(root / "state", free_port(), root / "stack.log")
    try:
        info = local.start()
        yield local, info
    finally:
        local.stop()


def get(info: dict[str, Any], path: str, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(info["api_url"] + path, headers=headers, timeout=30)


def test_local_stack_describes_itself_in_stack_json(stack):
    local, info = stack
    assert info["api_url"] == f"http://127.0.0.1:{local.port}/inbox"
    assert info["web_url"] == f"http://127.0.0.1:{local.port}/"
    assert info["aws_endpoint_url"].startswith("http://127.0.0.1:")
    assert info["region"] == "eu-west-3"
    assert info["user_pool_id"].startswith("eu-west-3_")
    assert info["user_pool_client_id"]
    assert info["tenant_id"].startswith("demo-")
    assert info["admin"]["username"]
    assert len(info["admin"]["password"]) >= 12
    assert info["custom_webhook"]["integration_id"]
    assert len(info["custom_webhook"]["secret"]) >= 32
    assert info["tables"]["InboxTable"]
    assert info["buckets"]["BlobBucket"]
    resources = load_yaml((REPO / "template.yaml").read_text())["Resources"]
    assert set(info["queues"]) == {name for name, r in resources.items() if r["Type"] == "AWS::SQS::Queue"}
    assert {"ClassifyQueue", "ClassifyDLQ", "SyncQueue", "SyncDLQ"} <= set(info["queues"])
    assert "Inbox is running locally." in local.run_output()


def test_local_stack_seeds_demo_conversations(stack):
    _, info = stack
    response = get(info, "/conversations", id_token(info))
    assert response.status_code == 200, response.text
    page = response.json()
    assert "next_cursor" in page
    conversations = page["items"]
    assert len(conversations) >= 3
    subjects = " ".join(c["subject"] or "" for c in conversations)
    assert "Commande" in subjects
    assert "Invoice" in subjects
    assert max(c["message_count"] for c in conversations) >= 2  # the follow-up joined its thread


def test_local_stack_files_the_demo_by_rules_and_by_the_fake_ai(stack):
    _, info = stack
    token = id_token(info)
    folders = {f["name"]: f for f in get(info, "/folders", token).json()["items"]}
    assert {"Inbox", "Appointments", "Support", "Delivery"} <= set(folders)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the classify function works through its queue
        by_subject = {c["subject"]: c for c in get(info, "/conversations?limit=100", token).json()["items"]}
        filed = {subject: c["folder_id"] for subject, c in by_subject.items()}
        if all(filed.get(s) for s in ("RDV pour essayer le canapé Oslo", "Ticket 5521 : facture introuvable")) and any(
            c["classified_by"] and c["classified_by"]["decider"] == "ai" for c in by_subject.values()
        ):
            break
        time.sleep(0.5)
    assert filed["RDV pour essayer le canapé Oslo"] == folders["Appointments"]["id"]
    assert filed["Ticket 5521 : facture introuvable"] == folders["Support"]["id"]
    delivery = by_subject["Commande 48213 toujours pas livrée"]
    assert delivery["folder_id"] == folders["Delivery"]["id"]
    assert delivery["classified_by"]["decider"] == "ai"
    assert delivery["intent"] == "complaint"
    counted = {f["name"]: f["total"] for f in get(info, "/folders", token).json()["items"]}
    assert counted["Appointments"] == 1
    assert counted["Support"] == 1


def test_local_stack_custom_webhook_round_trip(stack):
    _, info = stack
    text = f"Hello, is the blue sofa back in stock? ({time.time_ns()})"
    message = {
        "external_id": f"e2e-{time.time_ns()}",
        "from": {"name": "Nora", "email": "nora@example.com"},
        "subject": "Blue sofa",
        "text": text,
    }
    response = post_webhook(info, message)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["duplicate"] is False
    assert accepted["message_id"]
    assert accepted["conversation_id"]

    detail = get(info, f"/conversations/{accepted['conversation_id']}", id_token(info))
    assert detail.status_code == 200, detail.text
    assert any(text in json.dumps(m) for m in detail.json()["messages"])

    again = post_webhook(info, message)  # a sender retrying the same delivery
    assert again.status_code == 202
    assert again.json()["duplicate"] is True


def test_local_stack_keeps_every_message_of_many_concurrent_webhooks(stack):
    # GIVEN a sender's system delivering a burst of messages of one thread at once
    _, info = stack
    run = time.time_ns()
    texts = [f"Order {run}: line {i} of the burst" for i in range(24)]

    def deliver(index: int) -> requests.Response:
        message = {
            "external_id": f"burst-{run}-{index}",
            "from": {"name": "Bram", "email": "bram@example.com"},
            "subject": "A burst of updates",
            "text": texts[index],
            "thread_key": f"burst-{run}",
        }
        return post_webhook(info, message)

    # WHEN they are all posted concurrently (the webhook function serves one at a time, as one warm
    # Lambda instance would, while its queue workers write to the same table)
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(deliver, range(len(texts))))

    # THEN each is accepted into the one conversation, and the conversation shows every message
    assert [r.status_code for r in responses] == [202] * len(texts), [r.text for r in responses if r.status_code != 202]
    assert len({r.json()["conversation_id"] for r in responses}) == 1
    detail = get(info, f"/conversations/{responses[0].json()['conversation_id']}", id_token(info))
    assert detail.status_code == 200, detail.text
    shown = json.dumps(detail.json()["messages"])
    assert [text for text in texts if text not in shown] == []


def test_local_stack_deletes_a_conversation_and_its_purge_worker_removes_its_files(stack):
    _, info = stack
    token = id_token(info)
    message = {
        "external_id": f"e2e-delete-{time.time_ns()}",
        "from": {"name": "Ida", "email": "ida@example.com"},
        "subject": "Please forget me",
        "text": "Delete this conversation, please.",
    }
    accepted = post_webhook(info, message).json()
    s3 = boto3.client(
        "s3",
        endpoint_url=info["aws_endpoint_url"],
        region_name=info["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    bucket = info["buckets"]["BlobBucket"]
    tenant_objects = {"Bucket": bucket, "Prefix": f"{info['tenant_id']}/raw/custom/"}
    before = {o["Key"] for o in s3.list_objects_v2(**tenant_objects).get("Contents", [])}
    assert before, "the webhook's raw payload is kept"

    response = requests.delete(
        f"{info['api_url']}/conversations/{accepted['conversation_id']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )

    assert response.status_code == 202, response.text
    assert get(info, f"/conversations/{accepted['conversation_id']}", token).status_code == 404
    deadline = time.monotonic() + 60  # the PurgeQueue's poller runs the PurgeFunction
    while time.monotonic() < deadline:
        after = {o["Key"] for o in s3.list_objects_v2(**tenant_objects).get("Contents", [])}
        if len(after) < len(before):
            break
        time.sleep(0.5)
    assert len(after) == len(before) - 1
    assert post_webhook(info, message).json()["duplicate"] is True  # not brought back by a redelivery
    # The copy the redelivery wrote is handed to the purge worker (the only one that may delete).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        left = {o["Key"] for o in s3.list_objects_v2(**tenant_objects).get("Contents", [])}
        if left == after:
            break
        time.sleep(0.5)
    assert left == after


def test_local_stack_demo_has_sms_and_whatsapp_that_arrived_through_the_fake_vonage(stack):
    _, info = stack
    token = id_token(info)
    listed = get(info, "/conversations?limit=100", token).json()["items"]
    by_phone = {c["contact"].get("phone"): c for c in listed if c["channel"] == "sms"}
    [whatsapp] = [c for c in listed if c["channel"] == "whatsapp"]
    assert whatsapp["contact"]["name"] == "Karim Benali"
    assert info["vonage"]["webhooks"]["sms"].endswith("/inbox/webhooks/sms")

    # The demo's question about opening hours is answered by the AI at once (a folder in automatic mode).
    hours_id = by_phone["+33655443322"]["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        messages = get(info, f"/conversations/{hours_id}", token).json()["messages"]
        if any(m.get("auto_reply") for m in messages):
            break
        time.sleep(0.5)
    [answer] = [m for m in messages if m.get("auto_reply")]
    assert "10 h" in answer["text"], answer  # from the knowledge base's opening hours

    # A reply goes out through the fake's Messages API, whose status webhooks come back signed.
    conversation_id = by_phone["+33644556677"]["id"]
    response = requests.post(
        f"{info['api_url']}/conversations/{conversation_id}/messages",
        json={"text": "Nous ouvrons à 9 h, à samedi !"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    assert response.json()["delivery"] == "sent"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        messages = get(info, f"/conversations/{conversation_id}", token).json()["messages"]
        if messages[-1]["delivery"] == "delivered":
            break
        time.sleep(0.5)
    assert messages[-1]["delivery"] == "delivered"


def test_local_stack_demo_lists_the_fake_vonages_whatsapp_templates(stack):
    """The seed gives the demo's Vonage integration the WhatsApp Business Account the fake serves
    (local/vonage_templates.py): with `make run` its templates are listed without anyone typing the id."""
    _, info = stack
    token = id_token(info)
    integration_id = info["vonage"]["integration_id"]
    integration = get(info, f"/integrations/{integration_id}", token).json()
    assert integration["settings"]["whatsapp_business_account_id"] == DEMO_WABA_ID
    listed = get(info, f"/integrations/{integration_id}/whatsapp-templates", token)
    assert listed.status_code == 200, listed.text
    served = {(t["name"], t["status"]) for t in DEMO_TEMPLATES}
    assert {(t["name"], t["status"]) for t in listed.json()["items"]} == served
    assert ("order_ready", "APPROVED") in served


def test_local_stack_token_command_signs_in_the_demo_admin(stack):
    local, info = stack
    result = subprocess.run(
        [sys.executable, "-m", "local.token", "--state-dir", str(local.state_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    me = get(info, "/me", result.stdout.strip())
    assert me.status_code == 200, me.text
    assert (me.json()["tenant_id"], me.json()["role"]) == (info["tenant_id"], "admin")


def test_local_stack_gateway_rejects_missing_and_forged_tokens(stack):
    _, info = stack
    missing = get(info, "/conversations", None)
    assert missing.status_code == 401
    assert missing.json() == {"message": "Unauthorized"}
    assert get(info, "/conversations", "not-a-jwt").status_code == 401

    # A token with the right claims and kid, signed by someone else's key.
    genuine = jwt.decode(id_token(info), options={"verify_signature": False})
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(genuine, forger, algorithm="RS256", headers={"kid": "dummy"})
    assert get(info, "/conversations", forged).status_code == 401


def test_local_stack_rejects_a_bad_webhook_signature(stack):
    _, info = stack
    message = {"external_id": "forged-1", "from": {"email": "x@example.com"}, "text": "hi"}
    response = post_webhook(info, message, secret="not-the-secret-" + "x" * 32)
    assert response.status_code == 401


def test_local_stack_answers_cors_preflight_and_unknown_paths(stack):
    _, info = stack
    preflight = requests.options(
        info["api_url"] + "/conversations",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"},
        timeout=10,
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "authorization" in preflight.headers["access-control-allow-headers"]
    missing = requests.get(info["web_url"] + "no/such/page.txt", timeout=10)
    assert (missing.status_code, missing.json()) == (404, {"message": "Not Found"})


def test_local_stack_syncs_a_mailbox_added_through_the_api(stack, mailbox):
    _, info = stack
    mailbox.append(
        "INBOX",
        b"From: Ana <ana@example.es>\r\nSubject: Cambio de pedido\r\nMessage-ID: <e2e-1@example.es>\r\n"
        b"\r\nQuiero cambiar mi pedido.\r\n",
    )
    token = id_token(info)
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "kind": "email",
        "name": "Support",
        "address": "support@shop.test",
        "imap": mailbox.imap_settings(),
        "smtp": {"host": "127.0.0.1", "port": 2525, "tls": "none", "username": "x", "password": "y"},
    }
    created = requests.post(info["api_url"] + "/integrations", json=body, headers=headers, timeout=30)
    assert created.status_code == 201, created.text
    sync = requests.post(f"{info['api_url']}/integrations/{created.json()['id']}/sync", headers=headers, timeout=30)
    assert sync.status_code == 202, sync.text

    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        emails = get(info, "/conversations?channel=email", token).json()["items"]
        if emails:
            break
        time.sleep(0.5)
    assert [(c["subject"], c["contact"]["email"]) for c in emails] == [("Cambio de pedido", "ana@example.es")]


def test_local_stack_keeps_its_data_across_a_restart(stack):
    local, info = stack
    text = f"Will my order arrive before Friday? ({time.time_ns()})"
    message = {"external_id": f"before-restart-{time.time_ns()}", "from": {"email": "nora@example.com"}, "text": text}
    posted = post_webhook(info, message)
    assert posted.status_code == 202, posted.text
    conversation_id = posted.json()["conversation_id"]
    # Classified first: the classification rewrites the item (priority included) and could undo the old shape below.
    settled_counters(info, id_token(info))
    before = local.stack_file.read_bytes()
    count_before = len(get(info, "/conversations?limit=100", id_token(info)).json()["items"])
    # A classification that met a concurrent write ("the conversation kept changing") comes back after its
    # visibility timeout and rewrites the item: the old shape is given again until it holds for 2 s.
    deadline = time.monotonic() + 90
    while True:
        stored_by_an_earlier_version(info, conversation_id)
        time.sleep(2)
        if conversation_id not in listed_ids(info, "/conversations?sort=urgency&limit=100"):
            break
        assert time.monotonic() < deadline, "the conversation kept being rewritten with its priority"

    assert local.stop() == 0, local.run_output()
    restarted = local.start()

    assert local.stack_file.read_bytes() == before
    assert "created the demo tenant" not in local.run_output()
    token = id_token(restarted)  # same pool, client, user and password
    detail = get(restarted, f"/conversations/{conversation_id}", token)
    assert detail.status_code == 200, detail.text
    assert any(text in json.dumps(m) for m in detail.json()["messages"])
    assert len(get(restarted, "/conversations?limit=100", token).json()["items"]) == count_before
    # The start applied the data migration the snapshot's old item needed.
    assert conversation_id in listed_ids(restarted, "/conversations?sort=urgency&limit=100")
    # The integration's secret is stored encrypted: the KMS key material survived too.
    message = {
        "external_id": f"after-restart-{time.time_ns()}",
        "from": {"email": "nora@example.com"},
        "text": "Still there?",
    }
    assert post_webhook(restarted, message).status_code == 202


def listed_ids(info: dict[str, Any], path: str) -> list[str]:
    return [c["id"] for c in get(info, path, id_token(info)).json()["items"]]


def stored_by_an_earlier_version(info: dict[str, Any], conversation_id: str) -> None:
    """Make the conversation's item look like one stored before the urgency sort (no `priority`),
    as if the migration that adds it had not run on this table."""
    from inbox.adapters.dynamodb import keys

    dynamodb = aws_client(info, "dynamodb")
    table = info["tables"]["InboxTable"]
    item = {"PK": {"S": keys.conversation_pk(info["tenant_id"], conversation_id)}, "SK": {"S": keys.CONVERSATION}}
    dynamodb.update_item(TableName=table, Key=item, UpdateExpression="REMOVE priority")
    for migration in dynamodb.query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": keys.MIGRATIONS_PK}},
    )["Items"]:
        dynamodb.delete_item(TableName=table, Key={"PK": migration["PK"], "SK": migration["SK"]})


def second_tenant_token(info: dict[str, Any]) -> str:
    """An admin of another tenant, created in the stack's user pool."""
    email, password = f"other-{time.time_ns()}@other.example.com", "Other-tenant-password-1"
    create_user(info, email, tenant_id="other-tenant", group="admin", password=password)
    return sign_in(info, email, password)


def test_local_stack_live_updates_reach_the_tenants_open_socket_within_two_seconds(stack):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    _, info = stack
    assert info["websocket_url"].startswith("ws://127.0.0.1:")
    assert requests.get(info["web_url"] + "config.json", timeout=10).json()["websocketUrl"] == info["websocket_url"]
    with pytest.raises(InvalidStatus) as refused:
        connect(info["websocket_url"])  # no token
    assert refused.value.response.status_code == 401
    with pytest.raises(InvalidStatus):
        connect(info["websocket_url"] + "?token=not-a-jwt")

    with (
        connect(f"{info['websocket_url']}?token={id_token(info)}") as mine,
        connect(f"{info['websocket_url']}?token={second_tenant_token(info)}") as theirs,
    ):
        mine.send(json.dumps({"action": "ping"}))
        # The demo's own changes may still be on their way: the pong is the first frame of its kind.
        answered_by = time.monotonic() + 10
        while json.loads(mine.recv(timeout=max(0.1, answered_by - time.monotonic()))) != {"type": "pong"}:
            pass
        message = {
            "external_id": f"live-{time.time_ns()}",
            "from": {"name": "Léa", "email": f"lea-{time.time_ns()}@example.com"},
            "subject": "Live?",
            "text": "Does this show up by itself?",
        }
        posted_at = time.monotonic()
        accepted = post_webhook(info, message)
        assert accepted.status_code == 202, accepted.text
        conversation_id = accepted.json()["conversation_id"]
        told: list[dict[str, Any]] = []
        while not any(e.get("conversation_id") == conversation_id for e in told):
            remaining = 2.0 - (time.monotonic() - posted_at)
            assert remaining > 0, f"no event for the new conversation within 2 s: {told}"
            told.append(json.loads(mine.recv(timeout=remaining)))
        event = next(e for e in told if e.get("conversation_id") == conversation_id)
        assert (event["type"], event["change"], event["folder_id"]) == ("conversation.changed", "created", "inbox")
        assert "Does this show up" not in json.dumps(told)  # no message bodies: the app refetches
        with pytest.raises(TimeoutError):
            theirs.recv(timeout=1)  # another tenant hears nothing of it
