"""The blob bucket: raw payloads, large bodies and attachments, under a `<tenant>/` prefix."""

from __future__ import annotations

import json
from collections.abc import Iterable
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

    def delete(self, keys: Iterable[str]) -> None:
        """Every version of these objects, delete markers included: the bucket is versioned, and a
        plain delete would only hide the bytes for the 30 days old versions are kept. A key ending
        in "/" is a prefix: everything under it goes. A key already gone is no error; a version S3
        refuses to delete is (TransientError), so the caller retries."""
        versions: list[dict[str, str]] = []
        for key in dict.fromkeys(keys):
            versions += self._versions(key)
        for start in range(0, len(versions), 1000):  # delete_objects takes at most 1,000
            try:
                answer = self._client.delete_objects(
                    Bucket=self._bucket, Delete={"Objects": versions[start : start + 1000], "Quiet": True}
                )
            except ClientError as error:
                raise TransientError(f"S3 delete_objects: {error.response['Error']['Code']}") from error
            if answer.get("Errors"):
                raise TransientError(f"S3 kept {len(answer['Errors'])} object version(s)")

    def _versions(self, key: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        query: dict[str, Any] = {"Bucket": self._bucket, "Prefix": key}
        while True:
            try:
                page = self._client.list_object_versions(**query)
            except ClientError as error:
                raise TransientError(f"S3 list_object_versions: {error.response['Error']['Code']}") from error
            for entry in (*page.get("Versions", []), *page.get("DeleteMarkers", [])):
                # A key's prefix also matches longer keys: those are not ours, unless a prefix was asked for.
                if entry["Key"] == key or (key.endswith("/") and entry["Key"].startswith(key)):
                    found.append({"Key": entry["Key"], "VersionId": entry["VersionId"]})
            if not page.get("IsTruncated"):
                return found
            query["KeyMarker"], query["VersionIdMarker"] = page["NextKeyMarker"], page["NextVersionIdMarker"]
