"""Queue jobs: what a message on each queue says, typed, so a consumer never reads a bare dict."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

MAX_PURGED_BLOBS = 50  # keys per purge_blobs job: ~250 bytes each at most, far below SQS's 16 KiB


class PurgeConversationJob(BaseModel):
    """PurgeQueue: remove what a deleted conversation held (its items, pointers and files)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    job: Literal["purge_conversation"] = "purge_conversation"
    tenant_id: str
    conversation_id: str


class PurgeBlobsJob(BaseModel):
    """PurgeQueue: remove copies nothing refers to (a raw payload sent again after its conversation
    was deleted, files fetched for a message deleted meanwhile). Only the purge worker may delete
    from the bucket; the functions that find such copies ask it to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    job: Literal["purge_blobs"] = "purge_blobs"
    tenant_id: str = Field(min_length=1)
    keys: tuple[str, ...] = Field(min_length=1, max_length=MAX_PURGED_BLOBS)

    @model_validator(mode="after")
    def _the_tenants_own(self) -> Self:
        # Every blob key starts with its tenant: a job never names another tenant's files.
        if any(not key.startswith(f"{self.tenant_id}/") for key in self.keys):
            raise ValueError("every key must be under the tenant's prefix")
        return self


type PurgeJob = Annotated[PurgeConversationJob | PurgeBlobsJob, Field(discriminator="job")]
PURGE_JOB: TypeAdapter[PurgeJob] = TypeAdapter(PurgeJob)
