"""The keys of what helps answer (issue 16): the AI's lookups, saved replies, WhatsApp templates
read from Vonage. Re-exported by `keys`, where every store finds them: import `keys`, never this
module, so that `keys` stays the one place."""

from __future__ import annotations

# ------------------------------------------------------------------ H1 lookups: the AI's lookups (issue 16, item 1)

AI_LOOKUP_PREFIX = "LOOKUP#"


def ai_lookups_pk(tenant_id: str) -> str:
    """A tenant's lookups, one partition: the reply writer reads them all (its tools) with one Query."""
    return f"T#{tenant_id}#AI_LOOKUPS"


def ai_lookup_sk(lookup_id: str) -> str:
    return f"{AI_LOOKUP_PREFIX}{lookup_id}"
