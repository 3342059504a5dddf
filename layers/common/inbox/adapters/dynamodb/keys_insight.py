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
