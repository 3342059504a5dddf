"""moto's state survives a snapshot: locks are recreated, private keys and KMS key material kept."""

from __future__ import annotations

import pickle
import threading

import boto3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from moto import mock_aws
from moto.core.base_backend import BackendDict

from local.state import ReadWriteLock, capture, dumps, install

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
