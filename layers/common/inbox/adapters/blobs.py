"""The blob bucket: raw payloads, large bodies and attachments, under a `<tenant>/` prefix."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from inbox.errors import NotFoundError, TransientError


class BlobStore:
    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._bucket = bucket

    def put(self, key: str, data: bytes, content_type: str) -> str:
        try:
            self._client.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)
        except ClientError as error:
            raise TransientError(f"S3 put_object: {error.response['Error']['Code']}") from error
        return key

    def put_json(self, key: str, value: Any) -> str:
        return self.put(key, json.dumps(value, ensure_ascii=False).encode(), "application/json")

    def get(self, key: str) -> bytes:
        try:
            return self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
                raise NotFoundError(key) from error
            raise TransientError(f"S3 get_object: {error.response['Error']['Code']}") from error

    def download_url(self, key: str, filename: str, expires_in: int = 900) -> str:
        """A short-lived link the browser downloads from directly; computed locally, no request."""
        safe = filename.replace('"', "").replace("\\", "") or "download"
        return self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self._bucket, "Key": key, "ResponseContentDisposition": f'attachment; filename="{safe}"'},
            ExpiresIn=expires_in,
        )

    def get_json(self, key: str) -> Any:
        return json.loads(self.get(key))
