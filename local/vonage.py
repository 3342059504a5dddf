"""Vonage on loopback: the Messages API that our code sends through, and Vonage's signed webhooks to our endpoints
(those in local/vonage_webhooks.py).

It refuses what Vonage refuses (RS256 application JWT or Basic auth; v1 message bodies; RFC 7807 errors),
and signs what it delivers with Vonage's documented algorithms, written here from the documentation and
independently of `inbox`, so that our verification code is checked against a second implementation:
SMS API webhooks carry `sig` (md5hash, or HMAC md5/sha1/sha256/sha512), Messages API webhooks an HS256
JWT whose `payload_hash` is the SHA-256 of the body. Deliveries are at least once, like Vonage's.

Differences from Vonage worth knowing: one account and one application; WhatsApp templates are checked for
their shape (name, string parameters, `whatsapp.locale`, the `deterministic` policy), and, when the fake is
given a WhatsApp Business Account's `templates` (local/vonage_templates.py), against that list, which it also
serves; no interactive messages, no MMS/Viber/Messenger specifics; programmed failures apply to the
next sends after auth.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal
from urllib.parse import parse_qsl

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .loopback import LoopbackServer, quiet_handler
from .vonage_media import fetch_media, media_problems
from .vonage_templates import LIST_PATH, approval_problems, template_page
from .vonage_webhooks import ERRORS, SignatureMethod, VonageWebhooks

MESSAGE_TYPES = {"text", "image", "file", "audio", "video", "template"}
MEDIA_TYPES = MESSAGE_TYPES - {"text", "template"}
CHANNELS = {"sms", "whatsapp", "mms", "viber_service", "messenger"}
NUMBERED = {"sms", "whatsapp", "mms"}  # channels whose `to`/`from` are phone numbers
TEXT_LIMITS = {"sms": 1000, "whatsapp": 4096}
TITLES = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 422: "Invalid params", 429: "Rate Limit Hit"}
TITLES |= {500: "Internal Error", 503: "Service Unavailable"}


def new_private_key_pem() -> str:
    """An application private key, as the Vonage dashboard hands out (PKCS#8 PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem.decode()


SENT_LOG_PATH = "/_fake/sent"


@dataclass
class Sent:
    """A send the fake accepted, as our code would see it in Vonage's logs."""

    body: dict[str, Any]
    auth: Literal["jwt", "basic"]
    message_uuid: str
    headers: dict[str, str]
    media: tuple[bytes, str] | None = None  # a media message's file, as fetched from its URL (vonage_media.py)


@dataclass
class Request:
    """Any request the fake answered, refused ones included."""

    method: str
    path: str
    status: int
    body: bytes
    headers: dict[str, str]


class FakeVonage(VonageWebhooks):
    """Vonage's Messages API on 127.0.0.1, and the Vonage side of SMS and Messages webhooks."""

    def __init__(
        self,
        *,
        application_id: str | None = None,
        private_key_pem: str | None = None,
        api_key: str = "abcd1234",
        api_secret: str = "Fake-Api-Secret-1",  # noqa: S107 - a fake account
        signature_secret: str | None = "fake-signature-secret-of-32-chars!",  # noqa: S107
        signature_method: SignatureMethod = "md5hash",
        attempts: int = 1,
        retry_delay: float = 0.01,
        auto_status_url: str | None = None,
        port: int = 0,
        numbers: Iterable[str] = (),
        fetch_media: bool = False,
        waba_id: str | None = None,
        templates: list[dict[str, Any]] | None = None,
    ):
        self.application_id = application_id or str(uuid.uuid4())
        self.private_key_pem = private_key_pem or new_private_key_pem()
        self.api_key, self.api_secret = api_key, api_secret
        self.signature_secret, self.signature_method = signature_secret, signature_method
        self.attempts, self.retry_delay, self.auto_status_url = attempts, retry_delay, auto_status_url
        private_key = serialization.load_pem_private_key(self.private_key_pem.encode(), password=None)
        self._public_key = private_key.public_key()
        self.numbers = [number.lstrip("+") for number in numbers]  # the account's virtual numbers
        self.sent: list[Sent] = []
        self.requests: list[Request] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self.fetch_media = fetch_media  # fetch a media message's URL, as Vonage does, and refuse what fails
        self.waba_id = waba_id  # the WhatsApp Business Account whose `templates` it lists and checks sends against
        self.templates = templates
        self.down = False
        self._failures: list[tuple[int, int | None, str | None]] = []
        self._lock = threading.Lock()
        self._server = LoopbackServer(quiet_handler(self._handle), port=port)
        self.base_url = self._server.url

    # ---- programming the fake -------------------------------------------------------------------

    def fail_next(self, status: int, times: int = 1, retry_after: int | None = None, title: str | None = None) -> None:
        """The next `times` sends answer `status` (problem+json, `Retry-After` when given) instead of 202."""
        with self._lock:
            self._failures.extend([(status, retry_after, title)] * times)

    def set_down(self, down: bool = True) -> None:
        """An outage: every request answers 503."""
        self.down = down

    def add_media(self, data: bytes, content_type: str) -> str:
        """A media URL as Vonage puts in inbound WhatsApp messages; fetching it needs the app's credentials."""
        media_id = str(uuid.uuid4())
        self.media[media_id] = (data, content_type)
        return f"{self.base_url}/v3/media/{media_id}"

    @property
    def refused(self) -> list[Request]:
        """Sends answered with an error, programmed or not."""
        return [r for r in self.requests if r.path == "/v1/messages" and r.status >= 300]

    # ---- the API side ---------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        path, _, query = handler.path.partition("?")
        if (handler.command, path) == ("GET", "/account/numbers") and not self.down:
            status, answer, extra = *self._numbers(dict(parse_qsl(query))), {}
        elif (handler.command, path) == ("GET", SENT_LOG_PATH):
            status, answer, extra = *self._sent_log(handler.headers.get("Authorization", "")), {}
        else:
            status, answer, extra = self._answer(handler.command, path, body, dict(handler.headers.items()), query)
        self.requests.append(Request(handler.command, path, status, body, dict(handler.headers.items())))
        if isinstance(answer, tuple):
            payload, content_type = answer
        else:
            payload = json.dumps(answer).encode()
            content_type = "application/problem+json" if status >= 400 else "application/json"
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)
        if status == 202 and self.auto_status_url:
            sent = next(s for s in reversed(self.sent) if s.message_uuid == answer["message_uuid"])
            threading.Thread(target=self._auto_status, args=(sent,), daemon=True).start()

    def _answer(
        self, method: str, path: str, raw: bytes, headers: dict[str, str], query: str = ""
    ) -> tuple[int, Any, dict[str, str]]:
        if self.down:
            return *problem(503, "The service is temporarily unavailable."), {}
        media_id = re.fullmatch(r"/v3/media/([\w-]+)", path) if method == "GET" else None
        waba = LIST_PATH.fullmatch(path) if method == "GET" and self.templates is not None else None
        if not (media_id or waba) and (method, path) != ("POST", "/v1/messages"):
            return *problem(404, f"No route for {method} {path}."), {}
        auth, detail = self._authenticate(headers.get("Authorization", ""))
        if auth is None:
            return *problem(401, detail, "#unauthorized"), {}
        if waba:
            if auth != "jwt":  # the Template Management API takes the application's JWT only
                return *problem(401, "A JWT of the application is needed.", "#unauthorized"), {}
            status, answer = template_page(self.templates or [], waba[1], self.waba_id, dict(parse_qsl(query)))
            return (status, answer, {}) if status == 200 else (*problem(status, answer), {})
        if media_id:
            media = self.media.get(media_id[1])
            return (200, media, {}) if media else (*problem(404, "No such media."), {})
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure:
            status, retry_after, title = failure
            extra = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            return *problem(status, "Programmed failure of the fake.", title=title), extra
        try:
            body = json.loads(raw)
        except ValueError:
            return *problem(400, "The request body is not valid JSON."), {}
        if not isinstance(body, dict):
            return *problem(400, "The request body must be a JSON object."), {}
        whatsapp = body.get("whatsapp")
        if isinstance(whatsapp, dict) and whatsapp.get("policy") == "fallback":
            # WhatsApp deprecated it in January 2020; Vonage answers 400, not a list of parameters.
            return *problem(400, "The fallback policy is no longer supported; use deterministic."), {}
        invalid = invalid_parameters(body)
        if not invalid and body.get("message_type") == "template" and self.templates is not None:
            invalid = approval_problems(self.templates, body)
        if invalid:
            status, answer = problem(422, "The value of one or more parameters is invalid.", "/messages#1150")
            return status, answer | {"invalid_parameters": invalid}, {}
        media = None
        if self.fetch_media and body.get("message_type") in MEDIA_TYPES:
            kind = body["message_type"]
            media, reason = fetch_media(kind, body[kind]["url"])
            if media is None:
                status, answer = problem(422, "The value of one or more parameters is invalid.", "/messages#1150")
                return status, answer | {"invalid_parameters": [{"name": f"{kind}.url", "reason": reason}]}, {}
        message_uuid = str(uuid.uuid4())
        self.sent.append(Sent(body, auth, message_uuid, headers, media))
        return 202, {"message_uuid": message_uuid}, {}

    def _numbers(self, query: dict[str, str]) -> tuple[int, Any]:
        """Vonage's Numbers API (`GET /account/numbers`): the account's numbers, by page; key and
        secret in the query string, as that API takes them."""
        if (query.get("api_key"), query.get("api_secret")) != (self.api_key, self.api_secret):
            return 401, {"error-code": "401", "error-code-label": "authentication failed"}
        size = min(int(query.get("size", "10")), 100)
        index = max(int(query.get("index", "1")), 1)
        page = self.numbers[(index - 1) * size : index * size]
        listed = [{"country": "FR", "msisdn": n, "type": "mobile-lvn", "features": ["SMS", "VOICE"]} for n in page]
        return 200, {"count": len(self.numbers), "numbers": listed}

    def _sent_log(self, authorization: str) -> tuple[int, Any]:
        """The fake's own (not Vonage's): the sends it accepted, for a test run against the local stack
        in another process to check what reached it (a media file it fetched: `fetched`, its type and
        size); the account's key and secret (Basic) to read them."""
        auth, detail = self._authenticate(authorization)
        if auth != "basic":
            return problem(401, detail or "Basic credentials of the account are needed.")
        return 200, [
            {"message_uuid": s.message_uuid, "auth": s.auth, **s.body}
            | ({"fetched": {"content_type": s.media[1], "size": len(s.media[0])}} if s.media else {})
            for s in list(self.sent)
        ]

    def _authenticate(self, header: str) -> tuple[Literal["jwt", "basic"] | None, str]:
        """Which credentials authenticate the request, or why none do."""
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                key, _, secret = base64.b64decode(credentials, validate=True).decode().partition(":")
            except ValueError:
                return None, "Malformed Basic credentials."
            expected = f"{self.api_key}:{self.api_secret}".encode()
            return ("basic", "") if hmac.compare_digest(f"{key}:{secret}".encode(), expected) else (None, "Bad key.")
        if scheme.lower() != "bearer":
            return None, "You did not provide correct credentials."
        try:
            options = {"require": ["iat", "jti"], "verify_exp": False, "verify_iat": False, "verify_nbf": False}
            claims = jwt.decode(credentials, self._public_key, algorithms=["RS256"], options=options)
        except jwt.PyJWTError as error:
            return None, f"Invalid token: {error}."
        now = time.time()
        if claims.get("application_id") != self.application_id:
            return None, "The token is for another application."
        if not isinstance(claims["iat"], int | float) or claims["iat"] > now + 60:
            return None, "The token was issued in the future."
        if "exp" in claims and (not isinstance(claims["exp"], int | float) or claims["exp"] < now):
            return None, "The token has expired."
        return "jwt", ""

    def _auto_status(self, sent: Sent) -> None:
        to, from_, channel = (str(sent.body.get(name, "")) for name in ("to", "from", "channel"))
        for status in ("submitted", "delivered"):
            payload = self.status(sent.message_uuid, status, to, from_, channel, client_ref=sent.body.get("client_ref"))
            self.deliver(self.auto_status_url or "", payload)

    def close(self) -> None:
        self._server.close()

    def __enter__(self) -> FakeVonage:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def problem(status: int, detail: str, anchor: str | None = None, title: str | None = None) -> tuple[int, dict]:
    """An RFC 7807 body as Vonage answers errors."""
    slug = anchor or "#" + TITLES.get(status, "error").lower().replace(" ", "-")
    return status, {
        "type": f"{ERRORS}{slug}",
        "title": title or TITLES.get(status, "Error"),
        "detail": detail,
        "instance": str(uuid.uuid4()),
    }


def template_problems(body: dict[str, Any]) -> list[dict[str, str]]:
    """A WhatsApp template send: `template` with a `name` and optional string `parameters` ({{1}} first),
    `whatsapp` with a BCP 47 `locale` and, if given, the `deterministic` policy."""
    invalid: list[dict[str, str]] = []
    template, whatsapp = body.get("template"), body.get("whatsapp")
    if not isinstance(template, dict):
        invalid.append({"name": "template", "reason": "is required (an object)"})
    else:
        if not isinstance(template.get("name"), str) or not template["name"]:
            invalid.append({"name": "template.name", "reason": "is required"})
        parameters = template.get("parameters", [])
        if not isinstance(parameters, list) or not all(isinstance(p, str) for p in parameters):
            invalid.append({"name": "template.parameters", "reason": "must be an array of strings"})
        unknown = set(template) - {"name", "parameters"}
        if unknown:
            invalid.append({"name": "template", "reason": f"unknown properties {sorted(unknown)}"})
    if not isinstance(whatsapp, dict):
        invalid.append({"name": "whatsapp", "reason": "is required (an object with locale)"})
    else:
        locale = whatsapp.get("locale")
        if not isinstance(locale, str) or not re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", locale):
            invalid.append({"name": "whatsapp.locale", "reason": "must be a BCP 47 language tag, e.g. en-GB"})
        if whatsapp.get("policy", "deterministic") != "deterministic":
            invalid.append({"name": "whatsapp.policy", "reason": "must be deterministic"})
    return invalid


def invalid_parameters(body: dict[str, Any]) -> list[dict[str, str]]:
    """What Vonage would list in `invalid_parameters` for a v1 send."""
    invalid: list[dict[str, str]] = []
    kind, channel = body.get("message_type"), body.get("channel")
    if kind not in MESSAGE_TYPES:
        invalid.append({"name": "message_type", "reason": f"must be one of {sorted(MESSAGE_TYPES)}"})
    elif channel == "sms" and kind != "text":
        invalid.append({"name": "message_type", "reason": "sms supports only text"})
    elif kind == "template" and channel != "whatsapp":
        invalid.append({"name": "message_type", "reason": f"{channel} does not take WhatsApp templates"})
    if channel not in CHANNELS:
        invalid.append({"name": "channel", "reason": f"must be one of {sorted(CHANNELS)}"})
    for name in ("to", "from"):
        value = body.get(name)
        sender_id = name == "from" and channel == "sms" and isinstance(value, str) and re.fullmatch(r"\w{1,11}", value)
        if not isinstance(value, str) or not value:
            invalid.append({"name": name, "reason": "is required"})
        elif channel in NUMBERED and not re.fullmatch(r"\d{7,15}", value) and not sender_id:
            invalid.append({"name": name, "reason": "must be an E.164 number without a leading +"})
    if kind == "text":
        text, limit = body.get("text"), TEXT_LIMITS.get(channel or "", 4096)
        if not isinstance(text, str) or not text:
            invalid.append({"name": "text", "reason": "is required"})
        elif len(text) > limit:
            invalid.append({"name": "text", "reason": f"must be at most {limit} characters"})
    elif kind in MEDIA_TYPES:
        invalid += media_problems(kind, channel, body)
    elif kind == "template":
        invalid += template_problems(body)
    client_ref = body.get("client_ref")
    if client_ref is not None and (not isinstance(client_ref, str) or len(client_ref) > 100):
        invalid.append({"name": "client_ref", "reason": "must be a string of at most 100 characters"})
    return invalid
