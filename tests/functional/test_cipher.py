import pytest

from inbox import wiring
from inbox.adapters.cipher import DecryptionError, context_for


def test_cipher_opens_only_under_the_tenant_integration_and_field_it_sealed(aws):
    cipher = wiring.cipher()
    envelope = cipher.encrypt("imap-password-42", context_for("t1", "i1", "password"))
    assert "imap-password-42" not in envelope
    assert cipher.decrypt(envelope, context_for("t1", "i1", "password")) == "imap-password-42"
    for wrong in (
        context_for("t2", "i1", "password"),
        context_for("t1", "i2", "password"),
        context_for("t1", "i1", "secret"),
    ):
        with pytest.raises(DecryptionError):
            cipher.decrypt(envelope, wrong)


def test_cipher_detects_a_tampered_envelope(aws):
    cipher = wiring.cipher()
    context = context_for("t1", "i1", "secret")
    version, key, nonce, sealed = cipher.encrypt("s3cret", context).split(".")
    flipped = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(DecryptionError):
        cipher.decrypt(".".join([version, key, nonce, flipped]), context)
    with pytest.raises(DecryptionError):
        cipher.decrypt("not-an-envelope", context)


def test_cipher_uses_a_fresh_data_key_and_nonce_for_every_value(aws):
    cipher = wiring.cipher()
    context = context_for("t1", "i1", "secret")
    assert cipher.encrypt("same", context) != cipher.encrypt("same", context)
