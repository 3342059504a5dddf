"""Live updates under moto: who may open a WebSocket ($connect, $disconnect), and the fan-out of the
table's stream to the open apps of the tenant whose conversations changed.

The tokens are signed here and checked by the real verifier against JWKS served on loopback, one
key set per user pool; the management API is a loopback server that records what each connection
was sent and answers 410 (GoneException) for a connection API Gateway no longer knows."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from helpers.aws_account import REGION
from helpers.events import LambdaContext
from inbox import wiring
from inbox.adapters.dynamodb import keys
from inbox.services.live_updates import CONNECTION_TTL_SECONDS
from local.loopback import LoopbackServer, quiet_handler

AUDIENCE = "inbox-web-app"
TENANT, OTHER_TENANT = "tenant-sample", "tenant-other"  # tenant-sample owns the sample webhook integration
GONE = "conn-gone"


class UserPools:
    """Two user pools' key sets on loopback (`/<pool>/.well-known/jwks.json`), and their tokens."""

    def __init__(self) -> None:
        self.keys = {pool: rsa.generate_private_key(public_exponent=65537, key_size=2048) for pool in ("ours", "other")}
        self.server = LoopbackServer(quiet_handler(self._serve_jwks, methods=("GET",)))

    def issuer(self, pool: str = "ours") -> str:
        return f"{self.server.url}/{pool}"

    def _serve_jwks(self, request: BaseHTTPRequestHandler) -> None:
        pool = request.path.split("/")[1]
        if request.path != f"/{pool}/.well-known/jwks.json" or pool not in self.keys:
            request.send_response(404)
            request.end_headers()
            return
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[pool].public_key(), as_dict=True)
        body = json.dumps({"keys": [jwk | {"kid": pool, "alg": "RS256", "use": "sig"}]}).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def id_token(self, tenant: str = TENANT, user: str = "user-ada", pool: str = "ours", **changes: Any) -> str:
        now = int(time.time())
        claims = {
            "sub": user,
            "custom:tenant_id": tenant,
            "cognito:groups": ["agent"],
            "iss": self.issuer(pool),
            "aud": AUDIENCE,
            "token_use": "id",
            "iat": now,
            "exp": now + 3600,
        } | changes
        return jwt.encode(claims, self.keys[pool], algorithm="RS256", headers={"kid": pool})


class ManagementApi:
    """API Gateway's management API for the stage `live`: records each post; `GONE` answers 410."""

    def __init__(self) -> None:
        self.posted: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.server = LoopbackServer(quiet_handler(self._serve, methods=("POST",)))

    @property
    def websocket_endpoint(self) -> str:
        return self.server.url.replace("http://", "ws://") + "/live"

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        connection_id = request.path.removeprefix("/live/@connections/")
        data = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        with self._lock:
            self.posted.setdefault(connection_id, []).append(json.loads(data))
        if connection_id == GONE:
            body = json.dumps({"message": "Gone"}).encode()
            request.send_response(410)
            request.send_header("x-amzn-ErrorType", "GoneException")
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)
            return
        request.send_response(200)
        request.send_header("Content-Length", "0")
        request.end_headers()


@pytest.fixture
def pools():
    pools = UserPools()
    yield pools
    pools.server.close()


@pytest.fixture
def management_api():
    api = ManagementApi()
    yield api
    api.server.close()


@pytest.fixture
def realtime(aws, monkeypatch, pools, management_api):
    """The realtime function's environment on the test account; its two handlers."""
    from functions.realtime import app

    monkeypatch.setenv("TOKEN_ISSUER", pools.issuer())
    monkeypatch.setenv("TOKEN_AUDIENCE", AUDIENCE)
    monkeypatch.setenv("WEBSOCKET_ENDPOINT", management_api.websocket_endpoint)
    wiring.reset()
    return app


def websocket_event(route: str, connection_id: str, token: str | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "requestContext": {"routeKey": route, "connectionId": connection_id, "eventType": route.strip("$").upper()},
        "isBase64Encoded": False,
    }
    if token is not None:
        event["queryStringParameters"] = {"token": token}
    return event


def connect(realtime, connection_id: str, token: str | None) -> int:
    return realtime.lambda_handler(websocket_event("$connect", connection_id, token), LambdaContext())["statusCode"]


def connection_items(aws) -> list[dict[str, Any]]:
    """Every item the table keeps of a WebSocket: a tenant's connection or a connection's route."""
    return [
        item
        for item in aws.all_items()
        if item["PK"]["S"].endswith("#CONNS") or item["PK"]["S"].startswith(keys.connection_route_pk(""))
    ]


def stored_connection(aws, tenant: str, connection_id: str) -> dict[str, Any] | None:
    key = {"PK": {"S": keys.connections_pk(tenant)}, "SK": {"S": keys.connection_sk(connection_id)}}
    return aws.dynamodb.get_item(TableName=aws.table, Key=key).get("Item")


def test_live_updates_connect_with_a_valid_token_keeps_the_connection_under_its_tenant(aws, realtime, pools):
    # WHEN Ada's app opens a socket with her ID token
    before = int(time.time())
    status = connect(realtime, "conn-1", pools.id_token(user="user-ada"))

    # THEN it is accepted and kept under her tenant, with her id, until API Gateway's longest connection is over
    assert status == 200
    item = stored_connection(aws, TENANT, "conn-1")
    assert item is not None
    assert item["tenant_id"] == {"S": TENANT}
    assert item["user_id"] == {"S": "user-ada"}
    expires_at = int(item["expires_at"]["N"])
    assert before + CONNECTION_TTL_SECONDS <= expires_at <= int(time.time()) + CONNECTION_TTL_SECONDS
    route = aws.dynamodb.get_item(
        TableName=aws.table, Key={"PK": {"S": keys.connection_route_pk("conn-1")}, "SK": {"S": keys.ROUTE}}
    )["Item"]
    assert (route["tenant_id"], route["expires_at"]) == ({"S": TENANT}, {"N": str(expires_at)})


@pytest.mark.parametrize(
    ("token_of", "status"),
    [
        (lambda pools: None, 401),
        (lambda pools: "not-a-token", 401),
        (lambda pools: pools.id_token(exp=int(time.time()) - 60), 401),
        (lambda pools: pools.id_token(pool="other"), 401),
        (lambda pools: pools.id_token(aud="another-app"), 401),
        (lambda pools: pools.id_token(**{"cognito:groups": []}), 403),
    ],
    ids=["missing", "garbage", "expired", "other-pool", "other-app-client", "no-inbox-group"],
)
def test_live_updates_connect_refuses_a_missing_bad_or_foreign_token_and_keeps_nothing(
    aws, realtime, pools, token_of, status
):
    assert connect(realtime, "conn-1", token_of(pools)) == status
    assert connection_items(aws) == []


def test_live_updates_disconnect_forgets_the_connection(aws, realtime, pools):
    # GIVEN two open sockets of the tenant
    assert connect(realtime, "conn-1", pools.id_token()) == 200
    assert connect(realtime, "conn-2", pools.id_token(user="user-bram")) == 200

    # WHEN one closes
    response = realtime.lambda_handler(websocket_event("$disconnect", "conn-1"), LambdaContext())

    # THEN it and its route are gone, the other stays; a second $disconnect is harmless
    assert response["statusCode"] == 200
    assert stored_connection(aws, TENANT, "conn-1") is None
    assert [item["PK"]["S"] for item in connection_items(aws)] == sorted(
        [keys.connections_pk(TENANT), keys.connection_route_pk("conn-2")]
    )
    assert realtime.lambda_handler(websocket_event("$disconnect", "conn-1"), LambdaContext())["statusCode"] == 200


def stream_records(aws) -> list[dict[str, Any]]:
    """Every record of the table's stream so far, as the event source hands them to the function."""
    arn = aws.dynamodb.describe_table(TableName=aws.table)["Table"]["LatestStreamArn"]
    streams = boto3.client("dynamodbstreams", region_name=REGION)
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
        records += streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    return records


def test_live_updates_tell_only_the_tenants_open_apps_and_forget_a_gone_connection(
    aws, realtime, pools, management_api, post_webhook
):
    # GIVEN the table's stream, two open apps of the tenant, one whose socket API Gateway no longer
    # knows (410), and an open app of another tenant
    aws.dynamodb.update_table(
        TableName=aws.table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    )
    assert connect(realtime, "conn-ada", pools.id_token(user="user-ada")) == 200
    assert connect(realtime, GONE, pools.id_token(user="user-bram")) == 200
    assert connect(realtime, "conn-other", pools.id_token(tenant=OTHER_TENANT, user="user-cleo")) == 200

    # WHEN a customer writes to the tenant and the stream's records reach the fan-out
    status, accepted = post_webhook()
    assert status == 202, accepted
    realtime.fan_out_handler({"Records": stream_records(aws)}, LambdaContext())

    # THEN Ada's app is told of the new conversation and its folder's counters
    told = management_api.posted["conn-ada"]
    conversations = [(e["change"], e["conversation_id"]) for e in told if e["type"] == "conversation.changed"]
    assert conversations == [("created", accepted["conversation_id"])]
    assert any(e["type"] == "counters.changed" for e in told)
    # the other tenant's app hears nothing
    assert "conn-other" not in management_api.posted
    # the gone connection was tried once, then forgotten; the open ones are kept
    assert len(management_api.posted[GONE]) == 1
    assert stored_connection(aws, TENANT, GONE) is None
    assert stored_connection(aws, TENANT, "conn-ada") is not None
    assert stored_connection(aws, OTHER_TENANT, "conn-other") is not None
    assert sorted(item["PK"]["S"] for item in connection_items(aws) if "ROUTE" in item["PK"]["S"]) == sorted(
        [keys.connection_route_pk("conn-ada"), keys.connection_route_pk("conn-other")]
    )
