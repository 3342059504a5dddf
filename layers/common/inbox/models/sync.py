"""Where the sync of a mailbox stands: what was read of each folder, and how the last run went."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class FolderCursor(BaseModel):
    """How far one folder was read. UIDs only mean something under the same UIDVALIDITY."""

    uidvalidity: int
    last_uid: int = 0
    failing_uid: int | None = Field(None, description="The message the last runs stopped at, if one failed.")
    failing_attempts: int = Field(0, description="How many runs in a row failed on that message.")
    history_until: int = Field(
        0, description="UIDs up to this one were there before the first read: history, kept out of statistics."
    )


class SyncState(BaseModel):
    tenant_id: str
    integration_id: str
    folders: dict[str, FolderCursor] = Field(default_factory=dict)
    lease_owner: str | None = None
    lease_until: datetime | None = None
    next_sync_at: datetime
    last_sync_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_imported: int = 0
    imported_total: int = 0
    failures: int = Field(0, description="Failed runs in a row; the next one waits longer.")
    running: bool = False
