"""boto3 clients for the local stack's endpoint (moto, or the user's own with --aws-endpoint-url)."""

from __future__ import annotations

import os
import threading
from typing import Any

import boto3
from botocore.config import Config

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def configure_credentials(region: str, *, keep_user_credentials: bool = False) -> None:
    """moto wants credentials and a region before the first client exists.

    With the embedded moto a real profile must never be used, so it is replaced by fake keys. With
    --aws-endpoint-url the user's own keys (if any) are kept: that endpoint may check them.
    """
    if not (keep_user_credentials and os.environ.get("AWS_ACCESS_KEY_ID")):
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_DEFAULT_PROFILE"):
            os.environ.pop(name, None)
        os.environ.update(FAKE_CREDENTIALS)
    os.environ["AWS_DEFAULT_REGION"] = region
    os.environ["AWS_REGION"] = region


class Aws:
    """One cached, thread-safe boto3 client per service, all pointed at `endpoint_url`."""

    def __init__(self, endpoint_url: str, region: str):
        self.endpoint_url = endpoint_url
        self.region = region
        self._session = boto3.session.Session(region_name=region)
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._config = Config(
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": "path"},
            connect_timeout=5,
            read_timeout=30,
        )

    def client(self, service: str) -> Any:
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self._session.client(
                    service, endpoint_url=self.endpoint_url, config=self._config
                )
            return self._clients[service]
