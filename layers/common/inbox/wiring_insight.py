"""The wiring of finding, measuring and tracing (issue 14): the search index and its indexer, the
statistics, and the audit trail. Re-exported by `inbox.wiring`, where callers find them
(`wiring.search()`); each reaches the core's clients and services through `wiring` too, so that a
test replacing one there (the clock, a service) is obeyed."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from inbox import wiring
from inbox.settings import get_settings

if TYPE_CHECKING:
    from inbox.adapters.search_index import SearchSegments
    from inbox.models.business_hours import BusinessHours
    from inbox.services.audit import Audit
    from inbox.services.audit_trail import AuditTrail
    from inbox.services.search import Search
    from inbox.services.search_indexer import SearchFeed, SearchIndexer
    from inbox.services.stats_recorder import StatisticsRecorder


@cache
def search() -> Search:
    """The search reader (the API): the manifest item, the segments from the /tmp cache."""
    from inbox.services.search import Search

    return Search(wiring.store(), search_segments(), wiring.store(), wiring.clock())


@cache
def search_segments() -> SearchSegments:
    """The tenant's index segments in the blob bucket, cached in /tmp by key (they never change)."""
    from inbox.adapters.search_index import SearchSegments

    return SearchSegments(wiring.client("s3"), get_settings().blob_bucket)


@cache
def audit() -> Audit:
    """The audit trail's reader (the API): an admin's pages, a conversation's history."""
    from inbox.services.audit import Audit

    return Audit(wiring.store(), get_settings().audit_retention_days)


def stats_calendar(tenant_id: str) -> tuple[BusinessHours | None, str]:
    """The tenant's business hours, and the time zone its statistics are counted in: the business
    hours' once an admin set them; until then none (every hour open: "within business hours" is the
    wall clock, not the Paris office defaults nobody chose) and UTC (statistics, issue 14 item 2)."""
    from inbox.adapters.dynamodb.nudges import NudgeStore

    stored = NudgeStore(wiring.client("dynamodb"), get_settings().table_name).get_business_hours(tenant_id)
    return (stored, stored.time_zone) if stored is not None else (None, "UTC")


@cache
def search_feed() -> SearchFeed:
    """The stream's reader for search (EventsFunction): index jobs to SearchQueue, one group per tenant."""
    from inbox.adapters.queue import FifoQueue
    from inbox.services.search_indexer import SearchFeed

    return SearchFeed(FifoQueue(wiring.client("sqs"), get_settings().require("SEARCH_QUEUE_URL")))


@cache
def search_indexer() -> SearchIndexer:
    """SearchQueue's worker (IndexerFunction): one segment and one commit per batch and tenant."""
    from inbox.services.search_indexer import SearchIndexer

    # The purge worker alone deletes from the bucket: replaced segments are queued to it.
    return SearchIndexer(wiring.store(), search_segments(), wiring.blobs(), wiring.purge_queue)


@cache
def statistics_recorder() -> StatisticsRecorder:
    """The statistics' stream reader: counters moved as conversations and messages are written."""
    from inbox.services.stats_recorder import StatisticsRecorder

    return StatisticsRecorder(wiring.store(), stats_calendar)


def ai_usage(tenant_id: str, model: str, spent: Any) -> None:
    """Where the AI is called (classification, replies, summaries): its tokens counted."""
    from inbox.services.stats_recorder import UsageCounter

    UsageCounter(wiring.store(), lambda: wiring.clock().now())(tenant_id, model, spent)


@cache
def audit_trail() -> AuditTrail:
    """The audit trail's writer (the stream reader), keeping entries AuditRetentionDays."""
    from inbox.services.audit_trail import AuditTrail

    return AuditTrail(wiring.store(), get_settings().audit_retention_days)


def person_changed(before, after, invited_again: bool = False) -> None:
    """The people's changes, into the audit trail (they live in the user pool: no stream tells them).
    The change is made when this runs: an entry that cannot be written is logged, not the request failed."""
    from inbox.domain.ids import new_id
    from inbox.observability import logger
    from inbox.services.audit_trail import person_entry

    try:
        entry = person_entry(f"user.{new_id()}", wiring.clock().now(), before, after, invited_again)
        audit_trail().record([entry])
    except Exception:  # whatever failed, the person's change stands
        logger.exception("audit entry of a person's change not written", user_id=after.id)
