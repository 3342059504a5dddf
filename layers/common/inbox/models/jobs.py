"""Queue jobs: what a message on each queue says, typed, so a consumer never reads a bare dict.

One model per kind of job, one union per queue, discriminated by `job`. Producers build these
models and the queue serialises them; each consumer parses its queue's union at its entry
(`inbox.consumers.read_job`), so a malformed job fails there, named, and goes to the dead-letter
queue. A new kind of job is one model here, added to its queue's union.

Where a queue had a kind before it had a `job` field (a classify job for one message, a Vonage
job for a message's files), a message without `job` is still read as that kind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter, model_validator

MAX_PURGED_BLOBS = 50  # keys per purge_blobs job: ~250 bytes each at most, far below SQS's 16 KiB


class QueueJob(BaseModel):
    """What every job shares: immutable, and nothing in it that its model does not name."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _kind(default: str) -> Any:
    """A discriminator reading `job`, and `default` where a message has none (today's wire format)."""

    def kind(value: Any) -> str | None:
        if isinstance(value, dict):
            found = value.get("job", default)
            return found if isinstance(found, str) else None
        return getattr(value, "job", None)

    return Discriminator(kind)


# --- ClassifyQueue ----------------------------------------------------------------------------------


class ClassifyMessageJob(QueueJob):
    """File one message's conversation. `again`: a background re-sort of it (an empty `message_id`
    then means its latest inbound message); `ai`: the model may be asked."""

    job: Literal["message"] = "message"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)
    message_id: str
    again: bool = False
    ai: bool = False


class ReclassifyJob(QueueJob):
    """What fills the folders changed: re-sort the open conversations a person did not file, a page a job."""

    job: Literal["reclassify"] = "reclassify"
    tenant_id: str = Field(min_length=1)
    why: str | None = None
    cursor: str | None = None
    ai: bool = False


class RefileJob(QueueJob):
    """A folder was deleted: every conversation it held is filed again, a page a job."""

    job: Literal["refile"] = "refile"
    tenant_id: str = Field(min_length=1)
    folder_id: str = Field(min_length=1)
    cursor: str | None = None
    ai: bool = False


class UnfiledJob(QueueJob):
    """After a mailbox sync: what is still in the inbox with no decision is sorted again, a page a job."""

    job: Literal["unfiled"] = "unfiled"
    tenant_id: str = Field(min_length=1)
    cursor: str | None = None
    ai: bool = False


type ClassifyJob = Annotated[
    Annotated[ClassifyMessageJob, Tag("message")]
    | Annotated[ReclassifyJob, Tag("reclassify")]
    | Annotated[RefileJob, Tag("refile")]
    | Annotated[UnfiledJob, Tag("unfiled")],
    _kind("message"),
]
CLASSIFY_JOB: TypeAdapter[ClassifyJob] = TypeAdapter(ClassifyJob)


# --- AutoReplyQueue ---------------------------------------------------------------------------------


class AutoReplyJob(QueueJob):
    """A customer's message filed into a folder that answers by itself."""

    job: Literal["auto_reply"] = "auto_reply"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)
    message_id: str = Field(min_length=1)
    mode: Literal["automatic", "validation"]


# One kind so far: a second one makes this a discriminated union, as on the other queues.
AUTO_REPLY_JOB: TypeAdapter[AutoReplyJob] = TypeAdapter(AutoReplyJob)


# --- SyncQueue --------------------------------------------------------------------------------------


class SyncJob(QueueJob):
    """Sync one mailbox; a mailbox already syncing turns the job away by its lease."""

    job: Literal["sync_mailbox"] = "sync_mailbox"
    tenant_id: str = Field(min_length=1)
    integration_id: str = Field(min_length=1)


# One kind so far (sent without `job` before it had one): a second one makes this a union.
SYNC_JOB: TypeAdapter[SyncJob] = TypeAdapter(SyncJob)


# --- VonageQueue ------------------------------------------------------------------------------------


class FetchMediaJob(QueueJob):
    """Download the files a WhatsApp message links to, off the webhook's clock."""

    job: Literal["media"] = "media"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)
    message_id: str = Field(min_length=1)
    received_at: datetime


class SettleLongSmsJob(QueueJob):
    """Some time after a long SMS's first part: store what arrived if parts are still missing."""

    job: Literal["sms_parts"] = "sms_parts"
    tenant_id: str = Field(min_length=1)
    integration_id: str = Field(min_length=1)
    sender: str
    to: str
    ref: str
    total: int = Field(ge=1)


type VonageJob = Annotated[
    Annotated[FetchMediaJob, Tag("media")] | Annotated[SettleLongSmsJob, Tag("sms_parts")],
    _kind("media"),
]
VONAGE_JOB: TypeAdapter[VonageJob] = TypeAdapter(VonageJob)


# --- PurgeQueue -------------------------------------------------------------------------------------


class PurgeConversationJob(QueueJob):
    """PurgeQueue: remove what a deleted conversation held (its items, pointers and files)."""

    job: Literal["purge_conversation"] = "purge_conversation"
    tenant_id: str
    conversation_id: str


class PurgeBlobsJob(QueueJob):
    """PurgeQueue: remove copies nothing refers to (a raw payload sent again after its conversation
    was deleted, files fetched for a message deleted meanwhile). Only the purge worker may delete
    from the bucket; the functions that find such copies ask it to."""

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


# --- One-time schedules (EventBridge Scheduler -> ScheduledFunction) -------------------------------
# Not a queue: each job is the Input of a one-time schedule (`inbox.adapters.schedules`) that invokes
# ScheduledFunction at its time. A job may fire for something changed or gone since (a task done, a
# follow-up cancelled): its handler checks and does nothing then; firing twice does the work once.


class TaskDueJob(QueueJob):
    """A task is due: its assignee is told, unless it was done, deleted or moved meanwhile."""

    job: Literal["task_due"] = "task_due"
    tenant_id: str = Field(min_length=1)
    task_id: str = Field(min_length=1)
    due_at: datetime


class FollowUpDueJob(QueueJob):
    """A conversation's follow-up ("relance") is due."""

    job: Literal["follow_up_due"] = "follow_up_due"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)
    follow_up_id: str = Field(min_length=1)


class SnoozeEndsJob(QueueJob):
    """A snoozed conversation comes back, unless the customer wrote first or the snooze changed."""

    job: Literal["snooze_ends"] = "snooze_ends"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)
    until: datetime


class NudgeDueJob(QueueJob):
    """A folder's automatic follow-up: the customer has not answered our reply `reply_id`; `nudge` counts from 1."""

    job: Literal["nudge_due"] = "nudge_due"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)
    reply_id: str = Field(min_length=1)
    nudge: int = Field(ge=1)


type ScheduledJob = Annotated[TaskDueJob | FollowUpDueJob | SnoozeEndsJob | NudgeDueJob, Field(discriminator="job")]
SCHEDULED_JOB: TypeAdapter[ScheduledJob] = TypeAdapter(ScheduledJob)


# --- SearchQueue (FIFO: one group per tenant, so one indexer at a time writes a tenant's index) ------


class IndexDocumentJob(QueueJob):
    """Index (again) one document: a message (`message_id`) or a conversation's subject and contact.
    The fields are the document's words as the feed read them; a message whose body is in the blob
    store has `body_key` instead of its text, read by the indexer. A job whose words would not fit in
    a few KB (a long reply, many recipients) carries the message's key alone (`read_message`): the
    indexer reads the message (SearchQueue refuses a body past 64 KB: the feed must never send one)."""

    job: Literal["index"] = "index"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)
    message_id: str | None = None
    at: datetime
    subject: str = ""
    text: str = ""
    body_key: str | None = None
    contact: str = ""
    emails: str = ""
    phones: str = ""
    read_message: bool = False


class ForgetConversationJob(QueueJob):
    """A conversation was deleted: it leaves the index (a tombstone, then the next compaction)."""

    job: Literal["forget"] = "forget"
    tenant_id: str = Field(min_length=1)
    conversation_id: str = Field(min_length=1)


class ReindexContactJob(QueueJob):
    """A contact's name, emails or phones changed: its conversations' documents are indexed again with
    them (a conversation keeps the contact as its last message named them)."""

    job: Literal["reindex_contact"] = "reindex_contact"
    tenant_id: str = Field(min_length=1)
    contact_id: str = Field(min_length=1)


type SearchJob = Annotated[IndexDocumentJob | ForgetConversationJob | ReindexContactJob, Field(discriminator="job")]
SEARCH_JOB: TypeAdapter[SearchJob] = TypeAdapter(SearchJob)
