"""Envelope encryption of integration secrets: a KMS data key per value, AES-256-GCM locally.

The encryption context (tenant, integration, field) is bound twice: KMS refuses to unwrap the
data key under another context, and the same context is the GCM associated data. A secret
copied onto another tenant's or another field's item therefore never decrypts.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

from botocore.exceptions import ClientError

from inbox.errors import InboxError, TransientError

_VERSION = "v1"


class DecryptionError(InboxError):
    """The ciphertext was altered or is read under the wrong context."""


def context_for(tenant_id: str, integration_id: str, field: str) -> dict[str, str]:
    return {"tenant_id": tenant_id, "integration_id": integration_id, "field": field}


class EnvelopeCipher:
    def __init__(self, kms_client: Any, key_id: str):
        self._kms = kms_client
        self._key_id = key_id

    def encrypt(self, plaintext: str, context: dict[str, str]) -> str:
        try:
            data_key = self._kms.generate_data_key(KeyId=self._key_id, KeySpec="AES_256", EncryptionContext=context)
        except ClientError as error:
            raise TransientError(f"KMS generate_data_key: {error.response['Error']['Code']}") from error
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # on first use: off the function's start

        nonce = os.urandom(12)
        sealed = AESGCM(data_key["Plaintext"]).encrypt(nonce, plaintext.encode(), _aad(context))
        parts = (data_key["CiphertextBlob"], nonce, sealed)
        return ".".join([_VERSION, *(base64.b64encode(p).decode() for p in parts)])

    def decrypt(self, envelope: str, context: dict[str, str]) -> str:
        try:
            version, wrapped, nonce, sealed = envelope.split(".")
            if version != _VERSION:
                raise ValueError(version)
            wrapped_key, nonce_bytes, sealed_bytes = (base64.b64decode(p) for p in (wrapped, nonce, sealed))
        except ValueError as error:
            raise DecryptionError("not an envelope this cipher wrote") from error
        try:
            data_key = self._kms.decrypt(CiphertextBlob=wrapped_key, EncryptionContext=context, KeyId=self._key_id)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("InvalidCiphertextException", "IncorrectKeyException"):
                raise DecryptionError("the data key does not open under this context") from error
            raise TransientError(f"KMS decrypt: {error.response['Error']['Code']}") from error
        from cryptography.exceptions import InvalidTag  # on first use: off the function's start
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            return AESGCM(data_key["Plaintext"]).decrypt(nonce_bytes, sealed_bytes, _aad(context)).decode()
        except InvalidTag as error:
            raise DecryptionError("the secret was altered or belongs elsewhere") from error


def _aad(context: dict[str, str]) -> bytes:
    return json.dumps(context, sort_keys=True, separators=(",", ":")).encode()
