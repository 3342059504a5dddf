"""Vonage's webhooks, verified and read: pure functions, no I/O.

Two signing schemes, as Vonage documents them:
- SMS API: `sig` over the parameters sorted by name, each as `&name=value` with `&` and `=` in values
  replaced by `_`, then MD5 of that string and the secret (`md5hash`) or an HMAC keyed by the secret.
  `timestamp` is signed too, which is what makes freshness checkable.
- Messages API: `Authorization: Bearer <JWT>`, HS256 with the signature secret, whose `payload_hash`
  is the SHA-256 of the raw body: the token alone proves nothing about a body it was not made for.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from inbox.domain.contacts import normalize_phone
from inbox.domain.json_text import read_json
from inbox.errors import InvalidInputError, SignatureError
from inbox.models import Channel

SIGNATURE_METHODS = ("md5hash", "md5", "sha1", "sha256", "sha512")
TOLERANCE_SECONDS = 300
# The one answer to a signature that does not match, and to a number nobody owns.
SIGNATURE_MISMATCH = "signature does not match"
MEDIA_KINDS = ("image", "file", "audio", "video", "sticker")
_MAX_TEXT = 100_000


# --- signatures -------------------------------------------------------------------------------------


def sms_signature(params: Mapping[str, str], secret: str, method: str) -> str:
    """The `sig` Vonage puts on SMS API parameters (lower-case hex)."""
    signed = "".join(
        f"&{name}={str(value).replace('&', '_').replace('=', '_')}"
        for name, value in sorted(params.items())
        if name != "sig"
    )
    if method == "md5hash":
        return hashlib.md5((signed + secret).encode(), usedforsecurity=False).hexdigest()
    if method not in SIGNATURE_METHODS:
        raise ValueError(f"unknown signature method {method!r}")
    return hmac.new(secret.encode(), signed.encode(), method).hexdigest()


def verify_sms(
    params: Mapping[str, str], secret: str, method: str, now: float, tolerance: int = TOLERANCE_SECONDS
) -> None:
    """Raise SignatureError unless `sig` signs these parameters and their `timestamp` is fresh."""
    sig = params.get("sig")
    if not sig:
        raise SignatureError("missing sig parameter")
    timestamp = params.get("timestamp", "")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:  # not "²" or "١٢"
        raise SignatureError("missing or malformed timestamp parameter")
    if abs(now - int(timestamp)) > tolerance:
        raise SignatureError("signature timestamp outside the accepted window")
    # Vonage sends HMACs in upper case and md5hash in lower case: compare without case.
    if not hmac.compare_digest(sms_signature(params, secret, method).encode(), sig.strip().lower().encode()):
        raise SignatureError(SIGNATURE_MISMATCH)


def check_messages_token(
    authorization: str | None, body: bytes, now: float, tolerance: int = TOLERANCE_SECONDS
) -> None:
    """What can be checked before the tenant, and so the secret, is known: a bearer token issued
    lately, HS256, whose `payload_hash` is this body's. Nothing in the body is read before this
    passes, and what it says is the same whoever owns the number in the body."""
    header, claims = _token_parts(_bearer(authorization))
    if header.get("alg") != "HS256":
        raise SignatureError("bad token (not HS256)")
    issued, payload_hash = claims.get("iat"), claims.get("payload_hash")
    if not isinstance(issued, int | float) or not (now - tolerance <= issued <= now + 60):
        raise SignatureError("token issued outside the accepted window")
    expected = hashlib.sha256(body).hexdigest().encode()
    if not hmac.compare_digest(expected, str(payload_hash).lower().encode()):
        raise SignatureError("token was not made for this body (payload_hash differs)")


def verify_messages_jwt(
    authorization: str | None, body: bytes, secret: str, now: float, tolerance: int = TOLERANCE_SECONDS
) -> dict[str, Any]:
    """The verified claims of a Messages API webhook's bearer token, made for exactly this body."""
    import jwt  # only the Messages API webhooks pay for it

    token = _bearer(authorization)
    _token_parts(token)  # bounded first: PyJWT's parser would recurse through a nested header
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["iat", "payload_hash"], "verify_iat": False, "verify_exp": True},
        )
    except jwt.InvalidSignatureError as error:
        raise SignatureError(SIGNATURE_MISMATCH) from error
    except jwt.PyJWTError as error:
        raise SignatureError(f"bad token ({type(error).__name__})") from error
    issued = claims["iat"]
    if not isinstance(issued, int | float) or not (now - tolerance <= issued <= now + 60):
        raise SignatureError("token issued outside the accepted window")
    expected = hashlib.sha256(body).hexdigest().encode()
    if not hmac.compare_digest(expected, str(claims["payload_hash"]).lower().encode()):
        raise SignatureError("token was not made for this body (payload_hash differs)")
    return claims


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise SignatureError("missing bearer token")
    return token.strip()


def _token_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A JWT's header and claims, unverified, read within bounds (a token is the sender's text too)."""
    segments = token.split(".")
    if len(segments) != 3 or len(token) > 8192:
        raise SignatureError("bad token (not a JWT)")
    try:
        header, claims = (
            read_json(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)), "token", max_depth=4)
            for segment in segments[:2]
        )
    except (ValueError, InvalidInputError) as error:
        raise SignatureError("bad token (not a JWT)") from error
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise SignatureError("bad token (not a JWT)")
    return header, claims


# --- what a webhook says ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaRef:
    """A file the customer sent, still at Vonage: fetched later, outside the webhook."""

    kind: str  # image, file, audio, video, sticker
    url: str
    name: str | None = None


@dataclass(frozen=True)
class InboundText:
    """One customer message, from either API, in our terms."""

    channel: Channel
    provider_id: str
    sender: str  # E.164
    to: str  # E.164: our number, which says whose message it is
    text: str
    sent_at: datetime | None = None
    profile_name: str | None = None
    media: list[MediaRef] = field(default_factory=list)
    replies_to: str | None = None  # the provider id of the message answered (WhatsApp context)
    defects: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SmsPart:
    """One part of a long SMS: reassembled once every part is here."""

    ref: str
    total: int
    number: int


@dataclass(frozen=True)
class StatusUpdate:
    provider_id: str
    status: str  # submitted, delivered, read, rejected, undeliverable
    our_number: str  # E.164: `from` of what we sent
    client_ref: str | None
    error: str | None
    at: datetime | None


def routing_number(document: Mapping[str, Any], key: str) -> str:
    """Our number in a payload (`to` inbound, `from` in a status), before anything is trusted:
    it only says which secret to verify with."""
    value = document.get(key)
    if isinstance(value, dict):  # the Messages API's older (v0.1) shape nests it
        value = value.get("number")
    if not isinstance(value, str | int) or not str(value).strip():
        raise InvalidInputError(key, "is required")
    return normalize_phone(str(value), key) or ""


def routing_channel(document: Mapping[str, Any]) -> Channel:
    """The channel a Messages API payload (inbound or status) is on, before anything is trusted: with
    the number, it says whose secret to verify with, a number being routed per channel."""
    channel = document.get("channel")
    if channel not in ("sms", "whatsapp"):
        raise InvalidInputError("channel", "must be sms or whatsapp")
    return Channel(channel)


def read_sms_api(params: Mapping[str, str]) -> tuple[InboundText, SmsPart | None]:
    """An SMS API inbound message (`msisdn`, `to`, `messageId`, `text`...) and, for a part of a long
    message, which part it is."""
    provider_id = _required(params, "messageId")
    defects = []
    text = params.get("text", "")
    if params.get("type") == "binary":
        defects.append("sms: binary message, its data is kept in the raw payload only")
    part = None
    if str(params.get("concat", "")).lower() == "true":
        total, number = _count(params, "concat-total"), _count(params, "concat-part")
        if number > total:
            raise InvalidInputError("concat-part", "is past concat-total")
        part = SmsPart(ref=_required(params, "concat-ref"), total=total, number=number)
    return (
        InboundText(
            channel=Channel.SMS,
            provider_id=provider_id,
            sender=_phone(params, "msisdn"),
            to=_phone(params, "to"),
            text=text[:_MAX_TEXT],
            sent_at=_sms_time(params.get("message-timestamp")),
            defects=defects,
        ),
        part,
    )


def read_messages_api(document: Mapping[str, Any]) -> InboundText:
    """A Messages API (v1) inbound message on the `sms` or `whatsapp` channel."""
    channel = document.get("channel")
    if channel not in ("sms", "whatsapp"):
        raise InvalidInputError("channel", "must be sms or whatsapp")
    kind = document.get("message_type")
    media: list[MediaRef] = []
    defects: list[str] = []
    if kind == "text":
        text = _string(document, "text", required=True)
    elif kind in MEDIA_KINDS:
        content = _object(document, kind)
        url = _string(content, "url", required=True, where=kind)
        if not url.startswith(("https://", "http://")):
            raise InvalidInputError(f"{kind}.url", "is not an http(s) URL")
        text = _string(content, "caption", where=kind)
        media.append(MediaRef(kind=kind, url=url, name=_string(content, "name", where=kind) or None))
    elif kind == "location":
        text = _location(_object(document, "location"))
    elif kind == "reply":  # a tap on an interactive list or button
        reply = _object(document, "reply")
        text = _string(reply, "title", where="reply") or _string(reply, "id", where="reply")
    elif kind == "button":
        button = _object(document, "button")
        text = _string(button, "text", where="button") or _string(button, "payload", where="button")
    elif kind == "unsupported":  # WhatsApp's own word for what it cannot pass on: kept, flagged
        text = ""
        defects.append("whatsapp: a message type WhatsApp does not pass on (kept in the raw payload)")
    else:
        raise InvalidInputError("message_type", f"{kind!r} is not a message type we read")
    profile = document.get("profile")
    context = document.get("context")
    return InboundText(
        channel=Channel(channel),
        provider_id=_required(document, "message_uuid"),
        sender=_phone(document, "from"),
        to=_phone(document, "to"),
        text=text[:_MAX_TEXT],
        sent_at=_iso_time(document.get("timestamp")),
        profile_name=(str(profile.get("name"))[:200] or None)
        if isinstance(profile, dict) and profile.get("name")
        else None,
        media=media,
        replies_to=str(context["message_uuid"]) if isinstance(context, dict) and context.get("message_uuid") else None,
        defects=defects,
    )


def read_status(document: Mapping[str, Any]) -> StatusUpdate:
    """A Messages API status webhook: what became of something we sent."""
    status = document.get("status")
    if status not in ("submitted", "delivered", "read", "rejected", "undeliverable"):
        raise InvalidInputError("status", "must be submitted, delivered, read, rejected or undeliverable")
    error = document.get("error")
    reason = None
    if isinstance(error, dict):
        detail = error.get("detail") or error.get("reason") or error.get("title") or "no reason given"
        code = error.get("title") if isinstance(error.get("title"), int) else error.get("code")
        reason = f"{detail} (Vonage error {code})" if code is not None else str(detail)
    client_ref = document.get("client_ref")
    return StatusUpdate(
        provider_id=_required(document, "message_uuid"),
        status=status,
        our_number=routing_number(document, "from"),
        client_ref=str(client_ref) if client_ref else None,
        error=reason[:500] if reason else None,
        at=_iso_time(document.get("timestamp")),
    )


# --- helpers ----------------------------------------------------------------------------------------


def _required(document: Mapping[str, Any], name: str) -> str:
    value = document.get(name)
    if value is None or not str(value).strip():
        raise InvalidInputError(name, "is required")
    value = str(value).strip()
    if len(value) > 200:
        raise InvalidInputError(name, "is too long")
    return value


def _string(document: Mapping[str, Any], name: str, required: bool = False, where: str | None = None) -> str:
    value = document.get(name)
    label = f"{where}.{name}" if where else name
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInputError(label, "is required" if value is None else "must be a non-empty string")
    return value


def _object(document: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = document.get(name)
    if not isinstance(value, dict):
        raise InvalidInputError(name, "is required (an object)")
    return value


def _count(params: Mapping[str, str], name: str) -> int:
    value = str(params.get(name, ""))
    if not value.isdigit() or not 1 <= int(value) <= 255:
        raise InvalidInputError(name, "must be a number from 1 to 255")
    return int(value)


def _phone(document: Mapping[str, Any], name: str) -> str:
    value = document.get(name)
    if isinstance(value, dict):
        value = value.get("number")
    if value is None or not str(value).strip():
        raise InvalidInputError(name, "is required")
    return normalize_phone(str(value), name) or ""


def _location(location: Mapping[str, Any]) -> str:
    try:
        lat, long = float(location["lat"]), float(location["long"])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInputError("location", "needs numeric lat and long") from error
    label = " — ".join(str(location[k]) for k in ("name", "address") if location.get(k))
    link = f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={long:.6f}"
    return f"Location: {label + ' ' if label else ''}({lat:.6f}, {long:.6f}) {link}"


def _sms_time(value: str | None) -> datetime | None:
    try:
        return datetime.strptime(value or "", "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _iso_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
