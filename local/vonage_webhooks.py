"""The Vonage side of Vonage's webhooks: inbound SMS (SMS API, `sig`-signed) and Messages API inbound and status
webhooks (HS256 JWT with `payload_hash`), built and delivered at least once, as Vonage does.

The signatures are written here from Vonage's documentation, independently of `inbox`, so that our verification
code is checked against a second implementation. FakeVonage (local/vonage.py) is a VonageWebhooks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import jwt
import requests

ERRORS = "https://developer.vonage.com/api-errors"
# GSM 03.38 basic set and extension table: SMS text outside them arrives as `type=unicode`.
GSM = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿")
GSM |= set("abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f")
HMAC_METHODS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
SignatureMethod = Literal["md5hash", "md5", "sha1", "sha256", "sha512"]
SmsStyle = Literal["GET", "POST-form", "POST-json"]


def sms_signature(params: dict[str, str], secret: str, method: SignatureMethod = "md5hash") -> str:
    """Vonage's `sig`: `&key=value` over the sorted params (`&`/`=` in values become `_`), hashed or HMACed."""
    signed = "".join(
        f"&{key}={str(value).replace('&', '_').replace('=', '_')}"
        for key, value in sorted(params.items())
        if key != "sig"
    )
    if method == "md5hash":
        return hashlib.md5((signed + secret).encode()).hexdigest()  # noqa: S324 - Vonage's algorithm
    return hmac.new(secret.encode(), signed.encode(), HMAC_METHODS[method]).hexdigest().upper()


def keyword(text: str) -> str:
    """Vonage's `keyword`: the first word, upper-cased."""
    words = text.split()
    return words[0].upper() if words else ""


def envelope(channel: str, to: str, from_: str) -> dict[str, Any]:
    """The fields every Messages API webhook starts with; timestamps are UTC seconds with `Z`."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"channel": channel, "message_uuid": str(uuid.uuid4()), "to": to, "from": from_, "timestamp": now}


@dataclass
class Attempt:
    """One HTTP attempt of a delivery; status 0 when the endpoint could not be reached."""

    status: int
    body: str
    request_body: bytes
    request_headers: dict[str, str]


@dataclass
class Delivery:
    """Every attempt of one webhook delivery, retries and deliberate repeats included."""

    url: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def statuses(self) -> list[int]:
        return [attempt.status for attempt in self.attempts]

    @property
    def ok(self) -> bool:
        return bool(self.attempts) and 200 <= self.attempts[-1].status < 300


class VonageWebhooks:
    """What Vonage posts to an application's webhooks, signed with the account's secrets."""

    application_id: str
    api_key: str
    signature_secret: str | None
    signature_method: SignatureMethod
    attempts: int  # per delivery, until a 2xx
    retry_delay: float  # seconds between attempts

    # ---- the webhook side: SMS API --------------------------------------------------------------

    def sms_params(
        self,
        msisdn: str,
        to: str,
        text: str,
        *,
        message_id: str | None = None,
        concat: tuple[str, int, int] | None = None,
    ) -> dict[str, str]:
        """An inbound SMS as Vonage sends it; `concat` is (ref, total, part); signed when there is a secret."""
        now = datetime.now(UTC)
        params = {"msisdn": msisdn, "to": to, "messageId": message_id or secrets.token_hex(8).upper(), "text": text}
        params |= {"type": "text" if set(text) <= GSM else "unicode", "keyword": keyword(text)}
        params |= {"message-timestamp": now.strftime("%Y-%m-%d %H:%M:%S"), "timestamp": str(int(now.timestamp()))}
        params |= {"nonce": str(uuid.uuid4()), "api-key": self.api_key}
        if concat:
            ref, total, part = concat
            params |= {"concat": "true", "concat-ref": ref, "concat-total": str(total), "concat-part": str(part)}
        if self.signature_secret is not None:
            params["sig"] = sms_signature(params, self.signature_secret, self.signature_method)
        return params

    def deliver_sms(
        self,
        url: str,
        msisdn: str,
        to: str,
        text: str,
        *,
        style: SmsStyle = "POST-form",
        attempts: int | None = None,
        repeat: int = 1,
    ) -> Delivery:
        """One inbound SMS, delivered to `url` in `style`; retries and repeats as for `deliver`."""
        params = self.sms_params(msisdn, to, text)
        return self.deliver_sms_params(url, params, style=style, attempts=attempts, repeat=repeat)

    def deliver_long_sms(
        self,
        url: str,
        msisdn: str,
        to: str,
        parts: list[str],
        *,
        order: list[int] | None = None,
        style: SmsStyle = "POST-form",
    ) -> list[Delivery]:
        """A concatenated SMS, part by part; `order` lists 1-based part numbers (may omit or repeat some)."""
        ref = str(secrets.randbelow(255) + 1)
        signed = [self.sms_params(msisdn, to, text, concat=(ref, len(parts), n)) for n, text in enumerate(parts, 1)]
        return [self.deliver_sms_params(url, signed[n - 1], style=style) for n in order or range(1, len(parts) + 1)]

    def deliver_sms_params(
        self,
        url: str,
        params: dict[str, str],
        *,
        style: SmsStyle = "POST-form",
        attempts: int | None = None,
        repeat: int = 1,
    ) -> Delivery:
        """Given (possibly tampered) params, delivered as they are, each resend identical."""

        def send() -> requests.Response:
            if style == "GET":
                return requests.get(url, params=params, timeout=10)
            if style == "POST-json":
                return requests.post(url, json=params, timeout=10)
            return requests.post(url, data=params, timeout=10)

        return self._at_least_once(url, send, attempts, repeat)

    # ---- the webhook side: Messages API ---------------------------------------------------------

    def whatsapp_inbound(
        self,
        to: str,
        sender: str,
        message_type: str = "text",
        *,
        name: str = "Jane",
        reply_to: str | None = None,
        **content: Any,
    ) -> dict[str, Any]:
        """An inbound WhatsApp message; `content` is the type's field, e.g. text="Hi" or image={"url": ...}."""
        payload = envelope("whatsapp", to, sender) | {"profile": {"name": name}, "context_status": "none"}
        if reply_to:
            payload |= {"context_status": "available", "context": {"message_uuid": reply_to, "message_from": to}}
        return payload | {"message_type": message_type} | content

    def sms_inbound(self, to: str, sender: str, text: str, *, num_messages: int = 1) -> dict[str, Any]:
        """An inbound SMS as the Messages API delivers it."""
        return envelope("sms", to, sender) | {
            "message_type": "text",
            "text": text,
            "sms": {"num_messages": str(num_messages), "keyword": keyword(text)},
            "usage": {"currency": "EUR", "price": "0.0057"},
        }

    def status(
        self,
        message_uuid: str,
        status: str,
        to: str,
        from_: str,
        channel: str,
        *,
        client_ref: str | None = None,
        error: int | dict[str, Any] | None = None,
        usage: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A status webhook for a send (`to` is the customer); `error` may be a Vonage code such as 1320."""
        payload = envelope(channel, to, from_) | {"message_uuid": message_uuid, "status": status}
        if isinstance(error, int):
            error = {"type": f"{ERRORS}/messages#{error}", "title": error, "instance": str(uuid.uuid4())}
            error["detail"] = "Message failed because the recipient is not reachable."
        extras = {"client_ref": client_ref, "error": error, "usage": usage}
        return payload | {key: value for key, value in extras.items() if value is not None}

    def sign_messages_jwt(
        self, body: bytes, *, secret: str | None = None, iat: int | None = None, **claims: Any
    ) -> str:
        """The Authorization JWT of a Messages API webhook; `claims` override or add claims."""
        token_claims = {
            "iat": int(time.time()) if iat is None else iat,
            "jti": str(uuid.uuid4()),
            "iss": "Vonage",
            "payload_hash": hashlib.sha256(body).hexdigest(),
            "api_key": self.api_key,
            "application_id": self.application_id,
        } | claims
        return jwt.encode(token_claims, secret or self.signature_secret or "", algorithm="HS256")

    def deliver(
        self,
        url: str,
        payload: dict[str, Any] | bytes,
        *,
        token: str | None = None,
        attempts: int | None = None,
        repeat: int = 1,
    ) -> Delivery:
        """A Messages API webhook: JSON with a fresh JWT per attempt; `token` sends that one ("" for none)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()

        def send() -> requests.Response:
            headers = {"Content-Type": "application/json"}
            bearer = self.sign_messages_jwt(body) if token is None and self.signature_secret is not None else token
            if bearer:
                headers["Authorization"] = f"Bearer {bearer}"
            return requests.post(url, data=body, headers=headers, timeout=10)

        return self._at_least_once(url, send, attempts, repeat)

    def _at_least_once(
        self, url: str, send: Callable[[], requests.Response], attempts: int | None, repeat: int
    ) -> Delivery:
        """Like Vonage: retry until a 2xx (up to `attempts`); `repeat` redelivers after success too."""
        delivery = Delivery(url)
        for _ in range(repeat):
            for attempt in range(attempts or self.attempts):
                if attempt:
                    time.sleep(self.retry_delay)
                try:
                    response = send()
                except requests.RequestException as error:
                    delivery.attempts.append(Attempt(0, repr(error), b"", {}))
                    continue
                sent = response.request
                body = sent.body.encode() if isinstance(sent.body, str) else (sent.body or b"")
                delivery.attempts.append(Attempt(response.status_code, response.text, body, dict(sent.headers)))
                if 200 <= response.status_code < 300:
                    break
        return delivery
