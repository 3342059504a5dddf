"""The Vonage fake refuses what Vonage refuses and signs webhooks the way Vonage documents."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jwt
import pytest
import requests

from local.loopback import LoopbackServer, quiet_handler
from local.vonage import FakeVonage, new_private_key_pem
from local.vonage_webhooks import sms_signature

APPLICATION_ID = "aaaaaaaa-bbbb-4ccc-8ddd-0123456789ab"
API_KEY, API_SECRET, SIGNATURE_SECRET = "abcd1234", "Api-Secret-1", "signature-secret-of-at-least-32-bytes"
CUSTOMER, OURS = "447700900001", "447700900000"
TEXT = {"message_type": "text", "channel": "whatsapp", "to": CUSTOMER, "from": OURS, "text": "Hello"}


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def params(self) -> dict[str, str]:
        """SMS API parameters, whichever of the three styles carried them."""
        if self.method == "GET":
            return dict(parse_qsl(urlsplit(self.path).query))
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(self.body)
        return dict(parse_qsl(self.body.decode()))


class Receiver:
    """Our webhook endpoint, reduced to a recorder: answers the queued statuses, then 200."""

    def __init__(self, answers: list[int] | None = None):
        self.received: list[Received] = []
        self.answers = list(answers or [])
        self._server = LoopbackServer(quiet_handler(self.record))
        self.url = f"{self._server.url}/webhooks/vonage"

    def record(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        self.received.append(Received(handler.command, handler.path, dict(handler.headers.items()), body))
        status = self.answers.pop(0) if self.answers else 200
        handler.send_response(status)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    def wait_for(self, count: int, timeout: float = 5) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.received

    def close(self) -> None:
        self._server.close()


@pytest.fixture(scope="module")
def private_key_pem() -> str:
    return new_private_key_pem()


@pytest.fixture
def fake(private_key_pem):
    with FakeVonage(
        application_id=APPLICATION_ID,
        private_key_pem=private_key_pem,
        api_key=API_KEY,
        api_secret=API_SECRET,
        signature_secret=SIGNATURE_SECRET,
    ) as fake:
        yield fake


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def app_jwt(private_key_pem: str, **claims: Any) -> str:
    """A JWT as the Vonage SDKs make it for the application."""
    now = int(time.time())
    defaults = {"application_id": APPLICATION_ID, "iat": now, "jti": str(uuid.uuid4()), "exp": now + 900}
    claims = {k: v for k, v in (defaults | claims).items() if v is not None}
    return jwt.encode(claims, private_key_pem, algorithm="RS256")


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def send(fake: FakeVonage, body: Any, authorization: str | None) -> requests.Response:
    headers = {"Authorization": authorization} if authorization else {}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers["Content-Type"] = "application/json"
    return requests.post(f"{fake.base_url}/v1/messages", data=data, headers=headers, timeout=5)


def test_a_send_with_the_application_jwt_or_basic_credentials_is_accepted_and_recorded(fake, private_key_pem):
    by_jwt = send(fake, TEXT, "Bearer " + app_jwt(private_key_pem))
    by_basic = send(fake, TEXT | {"client_ref": "note-1"}, basic(API_KEY, API_SECRET))

    assert (by_jwt.status_code, by_basic.status_code) == (202, 202)
    assert [s.auth for s in fake.sent] == ["jwt", "basic"]
    assert [s.message_uuid for s in fake.sent] == [by_jwt.json()["message_uuid"], by_basic.json()["message_uuid"]]
    assert uuid.UUID(by_jwt.json()["message_uuid"]).version == 4
    assert fake.sent[1].body["client_ref"] == "note-1"


def test_the_sends_the_fake_accepted_can_be_read_with_the_accounts_basic_credentials(fake, private_key_pem):
    # A test against the local stack (another process) checks what reached the fake this way.
    accepted = send(fake, TEXT, "Bearer " + app_jwt(private_key_pem)).json()["message_uuid"]
    send(fake, TEXT, basic(API_KEY, "wrong"))
    log = f"{fake.base_url}/_fake/sent"

    read = requests.get(log, headers={"Authorization": basic(API_KEY, API_SECRET)}, timeout=5)

    assert read.status_code == 200
    assert read.json() == [TEXT | {"message_uuid": accepted, "auth": "jwt"}]
    assert requests.get(log, timeout=5).status_code == 401
    by_jwt = requests.get(log, headers={"Authorization": "Bearer " + app_jwt(private_key_pem)}, timeout=5)
    assert by_jwt.status_code == 401


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(lambda pem: "Bearer " + app_jwt(new_private_key_pem()), id="jwt-signed-by-another-key"),
        pytest.param(lambda pem: "Bearer " + app_jwt(pem, application_id=str(uuid.uuid4())), id="wrong-app-id"),
        pytest.param(lambda pem: "Bearer " + app_jwt(pem, exp=int(time.time()) - 5), id="expired"),
        pytest.param(lambda pem: "Bearer " + app_jwt(pem, iat=int(time.time()) + 600), id="issued-in-future"),
        pytest.param(lambda pem: "Bearer " + app_jwt(pem, jti=None), id="no-jti"),
        pytest.param(lambda pem: basic(API_KEY, "not-the-secret"), id="bad-basic-secret"),
        pytest.param(lambda pem: basic("other-key", API_SECRET), id="bad-basic-key"),
        pytest.param(lambda pem: None, id="no-credentials"),
    ],
)
def test_a_send_without_valid_credentials_is_refused_with_401(fake, private_key_pem, authorization):
    response = send(fake, TEXT, authorization(private_key_pem))

    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://developer.vonage.com/api-errors#unauthorized"
    assert problem["title"] == "Unauthorized"
    assert uuid.UUID(problem["instance"])
    assert fake.sent == []
    assert [r.status for r in fake.refused] == [401]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"to": None}, "to"),
        ({"text": None}, "text"),
        ({"message_type": "sticker"}, "message_type"),
        ({"channel": "pigeon"}, "channel"),
        ({"to": "+447700900001"}, "to"),
        ({"channel": "sms", "text": "x" * 1001}, "text"),
        ({"message_type": "image", "image": {"url": "ftp://example.com/a.png"}}, "image.url"),
        ({"client_ref": "r" * 101}, "client_ref"),
    ],
)
def test_an_invalid_send_is_refused_with_422_naming_the_parameter(fake, change, field):
    body = {k: v for k, v in (TEXT | change).items() if v is not None}

    response = send(fake, body, basic(API_KEY, API_SECRET))

    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Invalid params"
    assert field in [p["name"] for p in response.json()["invalid_parameters"]]
    assert fake.sent == []


def test_a_whatsapp_text_of_4096_characters_and_an_image_with_caption_are_valid(fake):
    long_text = send(fake, TEXT | {"text": "x" * 4096}, basic(API_KEY, API_SECRET))
    image = {"message_type": "image", "image": {"url": "https://example.com/a.png", "caption": "A"}}
    with_image = send(fake, {k: v for k, v in (TEXT | image).items() if k != "text"}, basic(API_KEY, API_SECRET))

    assert (long_text.status_code, with_image.status_code) == (202, 202)


def test_malformed_json_is_refused_with_400(fake):
    response = send(fake, b'{"message_type": "text",', basic(API_KEY, API_SECRET))

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert fake.sent == []


def test_a_programmed_429_carries_retry_after_then_the_next_send_is_accepted(fake):
    fake.fail_next(429, retry_after=2)

    throttled = send(fake, TEXT, basic(API_KEY, API_SECRET))
    accepted = send(fake, TEXT, basic(API_KEY, API_SECRET))

    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "2"
    assert throttled.json()["title"] == "Rate Limit Hit"
    assert accepted.status_code == 202
    assert [s.message_uuid for s in fake.sent] == [accepted.json()["message_uuid"]]
    assert [r.status for r in fake.refused] == [429]


def test_a_fake_that_is_down_answers_503(fake):
    fake.set_down(True)
    assert send(fake, TEXT, basic(API_KEY, API_SECRET)).status_code == 503
    fake.set_down(False)
    assert send(fake, TEXT, basic(API_KEY, API_SECRET)).status_code == 202


def test_media_is_served_only_with_the_applications_credentials_and_other_paths_are_404(fake, private_key_pem):
    url = fake.add_media(b"\x89PNG fake", "image/png")

    fetched = requests.get(url, headers={"Authorization": "Bearer " + app_jwt(private_key_pem)}, timeout=5)
    anonymous = requests.get(url, timeout=5)
    unknown = requests.get(
        f"{fake.base_url}/v3/media/{uuid.uuid4()}", headers={"Authorization": basic(API_KEY, API_SECRET)}, timeout=5
    )

    assert url.startswith(f"{fake.base_url}/v3/media/")
    assert (fetched.status_code, fetched.content, fetched.headers["Content-Type"]) == (
        200,
        b"\x89PNG fake",
        "image/png",
    )
    assert anonymous.status_code == 401
    assert unknown.status_code == 404
    old_api = requests.post(
        f"{fake.base_url}/v0.1/messages", json=TEXT, headers={"Authorization": basic(API_KEY, API_SECRET)}, timeout=5
    )
    assert old_api.status_code == 404


def test_the_sms_signature_matches_vonages_published_vector():
    params = {"a": "1", "b": "2", "timestamp": "1461605396"}

    assert sms_signature(params, "secret", "md5hash") == "6af838ef94998832dbfc29020b564830"
    assert sms_signature(params | {"sig": "ignored"}, "secret", "md5hash") == "6af838ef94998832dbfc29020b564830"


@pytest.mark.parametrize("method", ["md5", "sha1", "sha256", "sha512"])
def test_hmac_sms_signatures_are_upper_case_hex_over_the_escaped_sorted_params(method):
    params = {"b": "x&y=z", "a": "1"}
    expected = hmac.new(b"secret", b"&a=1&b=x_y_z", method).hexdigest().upper()

    assert sms_signature(params, "secret", method) == expected


@pytest.mark.parametrize("style", ["GET", "POST-form", "POST-json"])
def test_an_inbound_sms_arrives_signed_in_each_style(fake, receiver, style):
    delivery = fake.deliver_sms(receiver.url, CUSTOMER, OURS, "hello there & welcome", style=style)

    assert delivery.statuses == [200]
    (request,) = receiver.received
    assert request.method == ("GET" if style == "GET" else "POST")
    params = request.params
    assert (params["msisdn"], params["to"], params["text"]) == (CUSTOMER, OURS, "hello there & welcome")
    assert (params["type"], params["keyword"], params["api-key"]) == ("text", "HELLO", API_KEY)
    assert time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(params["timestamp"]))) == params["message-timestamp"]
    assert uuid.UUID(params["nonce"]).version == 4
    unsigned = "".join(f"&{k}={v.replace('&', '_').replace('=', '_')}" for k, v in sorted(params.items()) if k != "sig")
    assert params["sig"] == hashlib.md5((unsigned + SIGNATURE_SECRET).encode()).hexdigest()  # noqa: S324


def test_an_sms_outside_the_gsm_alphabet_is_typed_unicode(fake):
    assert fake.sms_params(CUSTOMER, OURS, "Привет 👋")["type"] == "unicode"
    assert fake.sms_params(CUSTOMER, OURS, "Très bien, à 10€ {ok}")["type"] == "text"


def test_a_fake_without_a_signature_secret_sends_no_sig(private_key_pem):
    with FakeVonage(private_key_pem=private_key_pem, signature_secret=None) as unsigned:
        assert "sig" not in unsigned.sms_params(CUSTOMER, OURS, "Hi")


def test_concatenated_parts_arrive_in_the_given_order(fake, receiver):
    deliveries = fake.deliver_long_sms(receiver.url, CUSTOMER, OURS, ["one ", "two ", "three"], order=[3, 1, 2, 1])

    assert [d.statuses for d in deliveries] == [[200]] * 4
    parts = [r.params for r in receiver.received]
    assert [p["concat-part"] for p in parts] == ["3", "1", "2", "1"]
    assert [p["text"] for p in parts] == ["three", "one ", "two ", "one "]
    assert {(p["concat"], p["concat-ref"], p["concat-total"]) for p in parts} == {("true", parts[0]["concat-ref"], "3")}
    assert len({p["messageId"] for p in parts}) == 3
    for p in parts:
        assert p["sig"] == sms_signature(p, SIGNATURE_SECRET, "md5hash")


def test_a_messages_webhook_carries_a_jwt_over_the_exact_body(fake, receiver):
    payload = fake.whatsapp_inbound(OURS, CUSTOMER, text="Hello")

    delivery = fake.deliver(receiver.url, payload)

    assert delivery.ok
    (request,) = receiver.received
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == payload
    scheme, token = request.headers["Authorization"].split(" ")
    claims = jwt.decode(token, SIGNATURE_SECRET, algorithms=["HS256"])
    assert scheme == "Bearer"
    assert claims["payload_hash"] == hashlib.sha256(request.body).hexdigest()
    assert (claims["iss"], claims["api_key"], claims["application_id"]) == ("Vonage", API_KEY, APPLICATION_ID)
    assert abs(claims["iat"] - time.time()) < 5
    assert uuid.UUID(claims["jti"])
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, "another-secret-of-at-least-32-bytes", algorithms=["HS256"])


def test_a_webhook_is_retried_until_2xx_with_a_fresh_jwt_over_the_same_body(fake):
    failing = Receiver(answers=[500, 503])
    try:
        delivery = fake.deliver(failing.url, fake.sms_inbound(OURS, CUSTOMER, "hi there"), attempts=5)
    finally:
        failing.close()

    assert delivery.statuses == [500, 503, 200]
    assert len({r.body for r in failing.received}) == 1
    tokens = [r.headers["Authorization"].removeprefix("Bearer ") for r in failing.received]
    assert len({jwt.decode(t, SIGNATURE_SECRET, algorithms=["HS256"])["jti"] for t in tokens}) == 3


def test_a_webhook_can_be_delivered_twice_after_success_and_stops_after_the_attempts(fake):
    flaky = Receiver(answers=[500, 500])
    try:
        given_up = fake.deliver(flaky.url, {"a": 1}, attempts=2)
        duplicated = fake.deliver(flaky.url, {"a": 1}, repeat=2)
    finally:
        flaky.close()

    assert (given_up.statuses, given_up.ok) == ([500, 500], False)
    assert duplicated.statuses == [200, 200]
    assert [r.body for r in flaky.received[2:]] == [b'{"a": 1}', b'{"a": 1}']


def test_a_given_token_is_sent_as_is(fake, receiver):
    forged = fake.sign_messages_jwt(b"{}", secret="not-the-secret-of-at-least-32-bytes")

    fake.deliver(receiver.url, {"a": 1}, token=forged)
    fake.deliver(receiver.url, {"a": 1}, token="")

    assert receiver.received[0].headers["Authorization"] == f"Bearer {forged}"
    assert "Authorization" not in receiver.received[1].headers


def test_inbound_and_status_payloads_have_vonages_shape(fake):
    image = fake.whatsapp_inbound(OURS, CUSTOMER, "image", image={"url": "https://x/y.jpg", "caption": "c"})
    reply = fake.whatsapp_inbound(OURS, CUSTOMER, text="yes", reply_to="11111111-2222-4333-8444-555555555555")
    failed = fake.status("u-1", "rejected", CUSTOMER, OURS, "whatsapp", client_ref="r-1", error=1320)

    assert (image["message_type"], image["image"]["caption"], image["context_status"]) == ("image", "c", "none")
    assert reply["context"] == {"message_uuid": "11111111-2222-4333-8444-555555555555", "message_from": OURS}
    assert reply["context_status"] == "available"
    assert (failed["to"], failed["from"], failed["client_ref"]) == (CUSTOMER, OURS, "r-1")
    assert failed["error"]["type"] == "https://developer.vonage.com/api-errors/messages#1320"
    assert failed["error"]["title"] == 1320
    assert time.strptime(failed["timestamp"], "%Y-%m-%dT%H:%M:%SZ")


def test_auto_status_reports_submitted_then_delivered_for_each_send(fake, receiver):
    fake.auto_status_url = receiver.url

    accepted = send(fake, TEXT | {"client_ref": "note-9"}, basic(API_KEY, API_SECRET))

    statuses = [json.loads(r.body) for r in receiver.wait_for(2)]
    assert [s["status"] for s in statuses] == ["submitted", "delivered"]
    assert {s["message_uuid"] for s in statuses} == {accepted.json()["message_uuid"]}
    assert {(s["to"], s["from"], s["channel"], s["client_ref"]) for s in statuses} == {
        (CUSTOMER, OURS, "whatsapp", "note-9")
    }
