"""Queue jobs on the wire: what producers send reads back as the same job, and jobs sent before the
models existed (no `job` field, flags as "1", a count as a string) still read as what they were."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from inbox.models.jobs import (
    AUTO_REPLY_JOB,
    CLASSIFY_JOB,
    PURGE_JOB,
    SYNC_JOB,
    VONAGE_JOB,
    AutoReplyJob,
    ClassifyMessageJob,
    FetchMediaJob,
    PurgeBlobsJob,
    PurgeConversationJob,
    ReclassifyJob,
    RefileJob,
    SettleLongSmsJob,
    SyncJob,
    UnfiledJob,
)

JOBS = [
    (CLASSIFY_JOB, ClassifyMessageJob(tenant_id="t", conversation_id="c", message_id="m")),
    (CLASSIFY_JOB, ClassifyMessageJob(tenant_id="t", conversation_id="c", message_id="", again=True, ai=True)),
    (CLASSIFY_JOB, ReclassifyJob(tenant_id="t", why="folder f changed", ai=True)),
    (CLASSIFY_JOB, RefileJob(tenant_id="t", folder_id="f", cursor="next")),
    (CLASSIFY_JOB, UnfiledJob(tenant_id="t")),
    (AUTO_REPLY_JOB, AutoReplyJob(tenant_id="t", conversation_id="c", message_id="m", mode="validation")),
    (SYNC_JOB, SyncJob(tenant_id="t", integration_id="i")),
    (VONAGE_JOB, FetchMediaJob(tenant_id="t", conversation_id="c", message_id="m", received_at=datetime.now(UTC))),
    (VONAGE_JOB, SettleLongSmsJob(tenant_id="t", integration_id="i", sender="a", to="b", ref="r", total=3)),
    (PURGE_JOB, PurgeConversationJob(tenant_id="t", conversation_id="c")),
    (PURGE_JOB, PurgeBlobsJob(tenant_id="t", keys=("t/raw/1",))),
]


@pytest.mark.parametrize(("jobs", "job"), JOBS, ids=[f"{type(j).__name__}-{n}" for n, (_, j) in enumerate(JOBS)])
def test_queue_jobs_read_back_as_sent(jobs, job):
    assert jobs.validate_json(json.dumps(job.model_dump(mode="json"))) == job


def test_queue_jobs_sent_before_the_models_read_as_they_meant():
    requeued = {"tenant_id": "t", "conversation_id": "c", "message_id": "", "again": "1", "ai": "1"}
    assert CLASSIFY_JOB.validate_python(requeued) == ClassifyMessageJob(
        tenant_id="t", conversation_id="c", message_id="", again=True, ai=True
    )
    parts = {"job": "sms_parts", "tenant_id": "t", "integration_id": "i", "sender": "a", "to": "b", "ref": "r"}
    assert VONAGE_JOB.validate_python(parts | {"total": "3"}).total == 3
    media = {"tenant_id": "t", "conversation_id": "c", "message_id": "m", "received_at": "2026-11-20T09:30:00+00:00"}
    assert isinstance(VONAGE_JOB.validate_python(media), FetchMediaJob)
    assert SYNC_JOB.validate_python({"tenant_id": "t", "integration_id": "i"}) == SyncJob(
        tenant_id="t", integration_id="i"
    )
