"""moto's state survives a snapshot (locks recreated, private keys and KMS key material kept), and the embedded
moto server keeps every write of many concurrent requests."""

from __future__ import annotations

import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import pytest
from botocore.config import Config
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from moto import mock_aws
from moto.core.base_backend import BackendDict

from local.aws import Aws
from local.state import MotoServer, ReadWriteLock, capture, dumps, install

REGION = "eu-west-3"


class Holder:
    def __init__(self):
        self.lock = threading.Lock()
        self.rlock = threading.RLock()
        self.condition = threading.Condition()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.data = {"a": [1, 2]}


def test_state_pickler_recreates_locks_and_keeps_private_keys():
    holder = Holder()
    with holder.lock:  # a held lock comes back free, not held
        copy = pickle.loads(dumps(holder))  # noqa: S301 - our own bytes
    assert copy.data == {"a": [1, 2]}
    assert copy.lock.acquire(blocking=False)
    with copy.rlock, copy.condition:
        copy.condition.notify_all()
    signature = copy.key.sign(b"m", padding.PKCS1v15(), hashes.SHA256())
    holder.key.public_key().verify(signature, b"m", padding.PKCS1v15(), hashes.SHA256())  # the same key


def test_state_snapshot_restores_items_ciphertexts_and_users(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        kms = boto3.client("kms", region_name=REGION)
        idp = boto3.client("cognito-idp", region_name=REGION)
        ddb.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.put_item(TableName="t", Item={"PK": {"S": "tenant#1"}, "name": {"S": "Camille"}})
        key_id = kms.create_key()["KeyMetadata"]["KeyId"]
        ciphertext = kms.encrypt(KeyId=key_id, Plaintext=b"webhook secret")["CiphertextBlob"]
        pool_id = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
        idp.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")

        snapshot = dumps(capture())
        for backends in list(BackendDict._instances):  # what a new process starts with: nothing
            backends.clear()
        assert ddb.list_tables()["TableNames"] == []

        install(pickle.loads(snapshot))  # noqa: S301 - our own bytes
        assert ddb.get_item(TableName="t", Key={"PK": {"S": "tenant#1"}})["Item"]["name"] == {"S": "Camille"}
        assert kms.decrypt(CiphertextBlob=ciphertext)["Plaintext"] == b"webhook secret"
        assert idp.admin_get_user(UserPoolId=pool_id, Username="ada")["Username"] == "ada"


def test_state_lock_lets_readers_share_and_a_writer_wait_for_them():
    lock, events = ReadWriteLock(), []
    reader_in, release_reader = threading.Event(), threading.Event()

    def reader():
        with lock.shared():
            events.append("reader in")
            reader_in.set()
            release_reader.wait(5)
            events.append("reader out")

    def writer():
        with lock.exclusive():
            events.append("writer")

    threads = [threading.Thread(target=reader)]
    threads[0].start()
    reader_in.wait(5)
    with lock.shared():  # a second reader shares the lock
        events.append("second reader")
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    threading.Timer(0.2, release_reader.set).start()
    for thread in threads:
        thread.join(5)
    assert events == ["reader in", "second reader", "reader out", "writer"]


@pytest.fixture
def moto_server(monkeypatch):
    """The embedded moto server as `python -m local` starts it, and the clients the stack's pollers use."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    server = MotoServer()
    server.start()
    try:
        yield server, Aws(server.url, REGION)
    finally:
        server.stop()
        for backends in list(BackendDict._instances):  # leave moto empty for the tests that follow
            backends.clear()


def test_local_moto_stores_every_message_of_many_concurrent_transactions(moto_server):
    # GIVEN a conversation and many senders writing to it at once, each message one transaction
    # (the message, its deduplication marker, the conversation's counter), as the ingest does
    server, _ = moto_server
    # No retries: a 500 from moto must show, not be hidden by a second attempt
    ddb = boto3.client(
        "dynamodb",
        endpoint_url=server.url,
        region_name=REGION,
        config=Config(retries={"max_attempts": 1}, max_pool_connections=16),
    )
    ddb.create_table(
        TableName="inbox",
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    posted = [f"m{i:03d}" for i in range(120)]

    def post(message_id: str) -> None:
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": "inbox",
                        "Item": {"PK": {"S": "T#1#CONV#c1"}, "SK": {"S": f"MSG#{message_id}"}},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": "inbox",
                        "Item": {"PK": {"S": f"T#1#DEDUPE#{message_id}"}, "SK": {"S": "DEDUPE"}},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Update": {
                        "TableName": "inbox",
                        "Key": {"PK": {"S": "T#1#CONV#c1"}, "SK": {"S": "META"}},
                        "UpdateExpression": "ADD message_count :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )

    # WHEN they all post concurrently
    with ThreadPoolExecutor(max_workers=12) as pool:
        failures = [f for f in [pool.submit(post, m) for m in posted] if f.exception() is not None]

    # THEN every request succeeded and every message is stored and counted
    assert [repr(f.exception()) for f in failures] == []
    stored = ddb.query(
        TableName="inbox",
        KeyConditionExpression="PK = :pk AND begins_with(SK, :msg)",
        ExpressionAttributeValues={":pk": {"S": "T#1#CONV#c1"}, ":msg": {"S": "MSG#"}},
    )["Items"]
    assert sorted(item["SK"]["S"] for item in stored) == [f"MSG#{m}" for m in posted]
    meta = ddb.get_item(TableName="inbox", Key={"PK": {"S": "T#1#CONV#c1"}, "SK": {"S": "META"}})["Item"]
    assert meta["message_count"] == {"N": str(len(posted))}


def test_local_moto_answers_other_requests_while_a_queue_long_polls(moto_server):
    # GIVEN a worker long-polling an empty queue, as the stack's pollers do all the time
    _, aws = moto_server
    sqs, ddb = aws.client("sqs"), aws.client("dynamodb")
    queue_url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    received: list[dict] = []
    poller = threading.Thread(
        target=lambda: received.extend(sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=3).get("Messages", []))
    )
    poller.start()
    time.sleep(0.2)

    # WHEN other requests arrive meanwhile, one of them a job for that queue
    started = time.monotonic()
    ddb.list_tables()
    sqs.send_message(QueueUrl=queue_url, MessageBody="classify m001")
    answered = time.monotonic() - started
    poller.join(5)

    # THEN they are answered at once, not after the poll, and the poll receives the job
    assert answered < 1.0
    assert [m["Body"] for m in received] == ["classify m001"]
