"""Vonage's signatures as Vonage documents them, and its payloads read into our terms."""

from __future__ import annotations

import base64
import hashlib
import hmac

import jwt
import pytest

from inbox.domain import vonage
from inbox.errors import InvalidInputError, SignatureError
from inbox.models import Channel

NOW = 1_795_471_200
SECRET = "sig-secret-0123456789abcdef0123456789"


def _signed_string(params: dict[str, str]) -> str:
    return "".join(f"&{k}={v.replace('&', '_').replace('=', '_')}" for k, v in sorted(params.items()))


def test_md5hash_matches_vonages_published_vector():
    # From Vonage's own client library tests: a=1, b=2, timestamp=1461605396, secret "secret".
    params = {"a": "1", "b": "2", "timestamp": "1461605396"}
    assert vonage.sms_signature(params, "secret", "md5hash") == "6af838ef94998832dbfc29020b564830"
    vonage.verify_sms(params | {"sig": "6af838ef94998832dbfc29020b564830"}, "secret", "md5hash", now=1461605396)


@pytest.mark.parametrize("method", ["md5", "sha1", "sha256", "sha512"])
def test_hmac_methods_verify_upper_case_signatures_with_amp_and_equals_in_values(method):
    params = {"msisdn": "447700900001", "text": "a&b=c", "timestamp": str(NOW), "nonce": "n-1"}
    expected = hmac.new(SECRET.encode(), _signed_string(params).encode(), method).hexdigest().upper()

    vonage.verify_sms(params | {"sig": expected}, SECRET, method, now=NOW)

    with pytest.raises(SignatureError, match="does not match"):
        vonage.verify_sms(params | {"sig": expected, "text": "a&b=d"}, SECRET, method, now=NOW)
    with pytest.raises(SignatureError, match="does not match"):
        vonage.verify_sms(params | {"sig": expected}, SECRET + "x", method, now=NOW)
    with pytest.raises(SignatureError, match="does not match"):  # the method chosen in the dashboard matters
        vonage.verify_sms(params | {"sig": expected}, SECRET, "md5hash" if method != "md5hash" else "md5", now=NOW)


def test_sms_signature_needs_sig_and_a_fresh_timestamp():
    params = {"msisdn": "447700900001", "timestamp": str(NOW)}
    good = params | {"sig": vonage.sms_signature(params, SECRET, "md5hash")}

    with pytest.raises(SignatureError, match="missing sig"):
        vonage.verify_sms(params, SECRET, "md5hash", now=NOW)
    with pytest.raises(SignatureError, match="outside the accepted window"):
        vonage.verify_sms(good, SECRET, "md5hash", now=NOW + 301)
    untimed = {"msisdn": "447700900001"}
    with pytest.raises(SignatureError, match="timestamp"):
        vonage.verify_sms(untimed | {"sig": vonage.sms_signature(untimed, SECRET, "md5hash")}, SECRET, "md5hash", NOW)
    vonage.verify_sms(good, SECRET, "md5hash", now=NOW + 299)


def _token(body: bytes, secret: str = SECRET, iat: float | None = None, **claims) -> str:
    payload = {"iat": int(NOW if iat is None else iat), "jti": "j-1", "iss": "Vonage"}
    payload["payload_hash"] = hashlib.sha256(body).hexdigest()
    payload.update(claims)
    return "Bearer " + jwt.encode(payload, secret, algorithm="HS256")


def test_messages_jwt_binds_the_token_to_its_body_and_time():
    body = b'{"message_uuid": "u-1", "text": "hello"}'
    claims = vonage.verify_messages_jwt(_token(body), body, SECRET, now=NOW + 10)
    assert claims["iss"] == "Vonage"

    with pytest.raises(SignatureError, match="payload_hash"):  # a token replayed on another body
        vonage.verify_messages_jwt(_token(body), b'{"message_uuid": "u-1", "text": "HELLO"}', SECRET, now=NOW)
    with pytest.raises(SignatureError, match="signature does not match"):
        vonage.verify_messages_jwt(_token(body, secret="another-secret-0123456789abcdefghijkl"), body, SECRET, now=NOW)
    with pytest.raises(SignatureError, match="outside the accepted window"):  # a token replayed later
        vonage.verify_messages_jwt(_token(body), body, SECRET, now=NOW + 301)
    with pytest.raises(SignatureError, match="missing bearer"):
        vonage.verify_messages_jwt(None, body, SECRET, now=NOW)
    unbound = "Bearer " + jwt.encode({"iat": NOW}, SECRET, algorithm="HS256")
    with pytest.raises(SignatureError, match="bad token"):  # no payload_hash at all
        vonage.verify_messages_jwt(unbound, body, SECRET, now=NOW)
    with pytest.raises(SignatureError, match="bad token"):  # alg none is never accepted
        vonage.verify_messages_jwt(
            "Bearer " + jwt.encode({"iat": NOW, "payload_hash": "x"}, None, algorithm="none"), body, SECRET, NOW
        )


def test_sms_api_message_and_its_parts_are_read_with_e164_numbers():
    params = {
        "msisdn": "447700900001",
        "to": "447700900000",
        "messageId": "0A000001",
        "text": "Bonjour",
        "type": "text",
        "message-timestamp": "2026-11-24 10:00:00",
    }
    text, part = vonage.read_sms_api(params)
    assert (text.sender, text.to, text.provider_id, text.channel) == (
        "+447700900001",
        "+447700900000",
        "0A000001",
        "sms",
    )
    assert text.sent_at is not None
    assert text.sent_at.isoformat() == "2026-11-24T10:00:00+00:00"
    assert part is None

    _, part = vonage.read_sms_api(
        params | {"concat": "true", "concat-ref": "7", "concat-total": "3", "concat-part": "2"}
    )
    assert part == vonage.SmsPart(ref="7", total=3, number=2)

    with pytest.raises(InvalidInputError, match=r"^msisdn: "):
        vonage.read_sms_api(params | {"msisdn": "not a number"})
    with pytest.raises(InvalidInputError, match=r"^concat-part: "):
        vonage.read_sms_api(params | {"concat": "true", "concat-ref": "7", "concat-total": "2", "concat-part": "3"})


def _whatsapp(**changes):
    return {
        "channel": "whatsapp",
        "message_uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
        "to": "447700900000",
        "from": "33612345678",
        "timestamp": "2026-11-24T10:00:00Z",
        "profile": {"name": "Élodie"},
        "message_type": "text",
        "text": "Ma commande ?",
    } | changes


def test_whatsapp_messages_of_every_kind_are_read():
    text = vonage.read_messages_api(_whatsapp())
    assert (text.channel, text.sender, text.profile_name, text.text) == (
        Channel.WHATSAPP,
        "+33612345678",
        "Élodie",
        "Ma commande ?",
    )

    image = vonage.read_messages_api(
        _whatsapp(message_type="image", image={"url": "https://api.nexmo.com/v3/media/1", "caption": "Le colis"})
    )
    assert image.text == "Le colis"
    assert image.media == [vonage.MediaRef("image", "https://api.nexmo.com/v3/media/1")]

    document = vonage.read_messages_api(
        _whatsapp(message_type="file", file={"url": "https://api.nexmo.com/v3/media/2", "name": "facture.pdf"})
    )
    assert document.media[0].name == "facture.pdf"

    place = vonage.read_messages_api(
        _whatsapp(message_type="location", location={"lat": 48.8584, "long": 2.2945, "name": "Tour Eiffel"})
    )
    assert "Tour Eiffel" in place.text
    assert "48.858400" in place.text
    assert "openstreetmap" in place.text

    reply = vonage.read_messages_api(
        _whatsapp(context={"message_uuid": "earlier-uuid", "message_from": "447700900000"})
    )
    assert reply.replies_to == "earlier-uuid"

    unsupported = vonage.read_messages_api(_whatsapp(message_type="unsupported", text=None))
    assert unsupported.defects
    assert unsupported.text == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"message_type": "hologram"}, "message_type"),
        ({"message_type": "image"}, "image"),
        ({"message_type": "image", "image": {"url": "file:///etc/passwd"}}, "image.url"),
        ({"text": None}, "text"),
        ({"from": "12"}, "from"),
        ({"channel": "fax"}, "channel"),
        ({"message_uuid": ""}, "message_uuid"),
    ],
)
def test_a_bad_field_is_named(changes, field):
    with pytest.raises(InvalidInputError) as error:
        vonage.read_messages_api(_whatsapp(**changes))
    assert error.value.field == field


def test_status_reads_the_reason_of_a_failure():
    status = vonage.read_status(
        {
            "message_uuid": "u-1",
            "to": "33612345678",
            "from": "447700900000",
            "timestamp": "2026-11-24T10:00:05Z",
            "status": "rejected",
            "channel": "sms",
            "client_ref": "m-1",
            "error": {
                "type": "https://developer.vonage.com/api-errors/messages#1320",
                "title": 1320,
                "detail": "Number barred",
            },
        }
    )
    assert (status.status, status.our_number, status.client_ref) == ("rejected", "+447700900000", "m-1")
    assert status.error == "Number barred (Vonage error 1320)"
    with pytest.raises(InvalidInputError, match=r"^status: "):
        vonage.read_status({"message_uuid": "u-1", "from": "447700900000", "status": "lost"})


def test_messages_token_is_checked_against_its_body_before_any_secret_is_known():
    body = b'{"to": "447700900000"}'
    vonage.check_messages_token(_token(body, secret="whatever-the-sender-chose-0123456789"), body, now=NOW)

    with pytest.raises(SignatureError, match="missing bearer"):
        vonage.check_messages_token(None, body, now=NOW)
    with pytest.raises(SignatureError, match="payload_hash"):
        vonage.check_messages_token(_token(b"{}"), body, now=NOW)
    with pytest.raises(SignatureError, match="window"):
        vonage.check_messages_token(_token(body), body, now=NOW + 3600)
    with pytest.raises(SignatureError, match="not a JWT"):
        vonage.check_messages_token("Bearer e30." + "W" * 9000 + ".sig", body, now=NOW)
    nested = base64.urlsafe_b64encode(b'{"alg": "HS256", "x": ' + b"[" * 3000 + b"]" * 3000 + b"}").decode()
    with pytest.raises(SignatureError, match="not a JWT"):
        vonage.check_messages_token(f"Bearer {nested}.e30.sig", body, now=NOW)


def test_sms_timestamp_of_digits_from_other_scripts_is_malformed_not_a_crash():
    params = {"timestamp": "١٧٩٥٤٧١٢٠٠", "sig": "0" * 32}
    with pytest.raises(SignatureError, match="timestamp"):
        vonage.verify_sms(params, SECRET, "md5hash", now=NOW)
    with pytest.raises(SignatureError, match="timestamp"):
        vonage.verify_sms(params | {"timestamp": "²"}, SECRET, "md5hash", now=NOW)
