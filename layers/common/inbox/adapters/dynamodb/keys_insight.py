"""The keys of search, statistics and audit (issue 14), built here and re-exported by `keys`, where
every store finds them (`keys.audit_pk(...)`): keys.py stays the one place a key is built, in two files."""

from __future__ import annotations

# ------------------------------------------------------------------ audit (issue 14, item 3)

AUDIT_TYPE = "audit"  # an entry's `type`; it holds no `tenant_id`, so the stream's readers pass it by


def audit_pk(tenant_id: str, month: str) -> str:
    """A tenant's entries of one month (`2026-11`): a partition that stops growing when the month ends."""
    return f"T#{tenant_id}#AUDIT#{month}"


def audit_pk_prefix(tenant_id: str) -> str:
    return f"T#{tenant_id}#AUDIT#"


def audit_sk(at: str, entry_id: str) -> str:
    """`at`: keys.stamp of the entry's time, so that a month reads newest first backwards."""
    return f"{at}#{entry_id}"


def conversation_audit_pk(tenant_id: str, conversation_id: str) -> str:
    """GSI1: a conversation's entries (sort key `activity` = the entry's sort key)."""
    return f"T#{tenant_id}#AUDITOF#{conversation_id}"


# ------------------------------------------------------------------ statistics (issue 14, item 2)


def stats_counters_pk(tenant_id: str, granularity: str, dimension: str) -> str:
    """The counters of one granularity (day, week, month) and dimension (`all`, `channel:email`,
    `folder:<id>`, `assignee:<user>`), one item per period: a page reads one partition's range."""
    return f"T#{tenant_id}#STATS#{granularity}#{dimension}"


def stats_people_pk(tenant_id: str, granularity: str) -> str:
    """Per person counters of one granularity, one item per (period, person)."""
    return f"T#{tenant_id}#STATS#{granularity}#PEOPLE"


def stats_period_sk(start: str, person_id: str | None = None) -> str:
    """`P#<period's first day>`, and `#<person>` in the people's partition (ISO dates sort in time)."""
    return f"P#{start}" + (f"#{person_id}" if person_id else "")


def stats_period_of(sk: str) -> tuple[str, str | None]:
    start, _, person_id = sk.removeprefix("P#").partition("#")
    return start, person_id or None


def stats_applied_pk(tenant_id: str) -> str:
    """The markers of the stream batches counted (one item per batch and tenant, TTL a day)."""
    return f"T#{tenant_id}#STATS#APPLIED"


# ------------------------------------------------------------------ search (issue 14, item 1)

SEARCH_MANIFEST = "MANIFEST"
SEARCH_MANIFEST_TYPE = "search_manifest"  # it holds no `tenant_id`: the stream's readers pass it by
SEARCH_TOMBSTONE = "TOMB#"  # + a forgotten conversation's id, in the manifest's partition, read by merges only
SEARCH_TOMBSTONE_TYPE = "search_tombstone"


def search_tombstone_sk(conversation_id: str) -> str:
    return f"{SEARCH_TOMBSTONE}{conversation_id}"


def search_pk(tenant_id: str) -> str:
    """A tenant's search index: its commit point (the live segments, the forgotten conversations)."""
    return f"T#{tenant_id}#SEARCH"
