import pytest

from inbox.domain import signatures
from inbox.errors import SignatureError

SECRET = "whsec_unit_0123456789abcdefghij"
BODY = b'{"external_id":"1","from":{"email":"a@b.co"},"text":"hi"}'
NOW = 1_795_471_200


def test_signatures_accept_a_fresh_signature_of_the_exact_body():
    header = signatures.sign(SECRET, BODY, NOW)
    signatures.verify(SECRET, BODY, header, now=NOW + 299)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "missing"),
        ("", "missing"),
        ("v1=abc", "malformed"),
        ("t=notanumber,v1=abc", "malformed"),
        (f"t={NOW}", "malformed"),
    ],
)
def test_signatures_refuse_a_missing_or_malformed_header(header, reason):
    with pytest.raises(SignatureError, match=reason):
        signatures.verify(SECRET, BODY, header, now=NOW)


def test_signatures_refuse_a_stale_or_future_timestamp():
    header = signatures.sign(SECRET, BODY, NOW)
    with pytest.raises(SignatureError, match="window"):
        signatures.verify(SECRET, BODY, header, now=NOW + 301)
    with pytest.raises(SignatureError, match="window"):
        signatures.verify(SECRET, BODY, header, now=NOW - 301)


def test_signatures_refuse_a_changed_body_a_wrong_secret_or_a_replayed_timestamp():
    header = signatures.sign(SECRET, BODY, NOW)
    with pytest.raises(SignatureError, match="does not match"):
        signatures.verify(SECRET, BODY + b" ", header, now=NOW)
    with pytest.raises(SignatureError, match="does not match"):
        signatures.verify("another-secret-0123456789abcd", BODY, header, now=NOW)
    mac = header.split("v1=")[1]
    with pytest.raises(SignatureError, match="does not match"):
        signatures.verify(SECRET, BODY, f"t={NOW + 10},v1={mac}", now=NOW)


def test_signatures_accept_any_of_several_v1_values_while_a_secret_rolls():
    good = signatures.sign(SECRET, BODY, NOW).split("v1=")[1]
    signatures.verify(SECRET, BODY, f"t={NOW},v1={'0' * 64},v1={good}", now=NOW)


@pytest.mark.parametrize(
    "header",
    ["t=²,v1=" + "a" * 64, "t=1795471200,v1=é", "t=" + "9" * 400 + ",v1=" + "a" * 64, "t=-5,v1=" + "a" * 64],
)
def test_signatures_refuse_hostile_headers_as_bad_signatures_not_crashes(header):
    with pytest.raises(SignatureError):
        signatures.verify(SECRET, BODY, header, now=NOW)
