"""The search index's segments: immutable SQLite FTS5 files in the blob bucket (issue 14, item 1)."""

from __future__ import annotations

from typing import Any


class SearchSegments:
    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._bucket = bucket
