"""The blob bucket as the browser uploads to it (a presigned POST) and as a reply reads it back."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from inbox.errors import NotFoundError, TransientError

UPLOAD_SECONDS = 900  # the browser posts the file right after asking
MEDIA_URL_SECONDS = 3600  # Vonage fetches a WhatsApp file when it sends it, seconds after
SAMPLE_BYTES = 65536  # what is read of a file's start, and of its end (a zip's directory), to judge it


@dataclass(frozen=True)
class PresignedPost:
    url: str
    fields: dict[str, str]
    expires_at: datetime


@dataclass(frozen=True)
class StoredUpload:
    key: str
    filename: str
    content_type: str
    size: int
    etag: str


class UploadBucket:
    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._bucket = bucket

    def presigned_post(self, key: str, filename: str, content_type: str, max_bytes: int) -> PresignedPost:
        """A form the browser posts the file with: S3 refuses it past `max_bytes`, with another type
        or another name than those asked for. Computed locally, no request."""
        fields = {"Content-Type": content_type, "x-amz-meta-filename": urllib.parse.quote(filename, safe="")}
        conditions: list[Any] = [["content-length-range", 1, max_bytes], *({k: v} for k, v in fields.items())]
        post = self._client.generate_presigned_post(
            self._bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=UPLOAD_SECONDS
        )
        expires_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=UPLOAD_SECONDS)
        return PresignedPost(url=post["url"], fields=dict(post["fields"]), expires_at=expires_at)

    def stored(self, key: str) -> StoredUpload:
        """What was uploaded there; NotFoundError when nothing (never posted, or expired)."""
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("NoSuchKey", "404", "NotFound"):
                raise NotFoundError(key) from error
            raise TransientError(f"S3 head_object: {error.response['Error']['Code']}") from error
        filename = urllib.parse.unquote((head.get("Metadata") or {}).get("filename", ""))
        return StoredUpload(
            key=key,
            filename=filename,
            content_type=head.get("ContentType", ""),
            size=int(head["ContentLength"]),
            etag=head["ETag"],
        )

    def sample(self, upload: StoredUpload) -> bytes:
        """The file's start and its end (at most SAMPLE_BYTES of each): all a type check reads."""
        head = self._range(upload, 0, SAMPLE_BYTES - 1)
        if upload.size <= SAMPLE_BYTES:
            return head
        return head + self._range(upload, max(SAMPLE_BYTES, upload.size - SAMPLE_BYTES), upload.size - 1)

    def copy(self, upload: StoredUpload, key: str, content_type: str) -> str:
        """The upload as it was checked (same ETag: not one posted again since) copied to `key`."""
        try:
            self._client.copy_object(
                Bucket=self._bucket,
                Key=key,
                CopySource={"Bucket": self._bucket, "Key": upload.key},
                CopySourceIfMatch=upload.etag,
                ContentType=content_type,
                MetadataDirective="REPLACE",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] in ("PreconditionFailed", "412"):
                raise NotFoundError(f"{upload.key} changed since it was checked") from error
            raise TransientError(f"S3 copy_object: {error.response['Error']['Code']}") from error
        return key

    def copy_blob(self, source: str, key: str, content_type: str) -> str:
        """A stored file copied as another message's (a forward carries the original's files)."""
        try:
            self._client.copy_object(
                Bucket=self._bucket,
                Key=key,
                CopySource={"Bucket": self._bucket, "Key": source},
                ContentType=content_type,
                MetadataDirective="REPLACE",
            )
        except ClientError as error:
            raise TransientError(f"S3 copy_object: {error.response['Error']['Code']}") from error
        return key

    def media_url(self, key: str) -> str:
        """A link a channel's provider fetches the file from (no Content-Disposition: it is media)."""
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=MEDIA_URL_SECONDS
        )

    def _range(self, upload: StoredUpload, first: int, last: int) -> bytes:
        try:
            answer = self._client.get_object(
                Bucket=self._bucket, Key=upload.key, Range=f"bytes={first}-{last}", IfMatch=upload.etag
            )
            return answer["Body"].read()
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in ("NoSuchKey", "404", "PreconditionFailed", "412"):
                raise NotFoundError(upload.key) from error
            raise TransientError(f"S3 get_object: {code}") from error
