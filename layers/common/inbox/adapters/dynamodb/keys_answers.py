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


def ai_lookup_name_sk(name: str) -> str:
    """A name's claim by one lookup of the tenant, in the lookups' partition (outside LOOKUP#): two of
    one name would be two functions of one name, which OpenAI refuses."""
    return f"NAME#{name}"


# ------------------------------------------------------------------ H5 saved replies (issue 16, item 4)

SAVED_TEAM_PREFIX = "TEAM#"
SAVED_PERSONAL_PREFIX = "USER#"


def saved_replies_pk(tenant_id: str) -> str:
    """A tenant's saved replies, one partition: the team's are one Query, a person's own another."""
    return f"T#{tenant_id}#SAVEDREPLIES"


def saved_team_reply_sk(reply_id: str) -> str:
    return f"{SAVED_TEAM_PREFIX}{reply_id}"


def saved_personal_prefix(user_id: str) -> str:
    """A person's own replies: their key names their owner, so nobody else's read can reach them."""
    return f"{SAVED_PERSONAL_PREFIX}{user_id}#"


def saved_personal_reply_sk(user_id: str, reply_id: str) -> str:
    return f"{saved_personal_prefix(user_id)}{reply_id}"


# ------------------------------------------------------------------ H6 WhatsApp templates listed by Vonage

WHATSAPP_TEMPLATES_PREFIX = "WATEMPLATES#"  # not under INTEGRATION#: a Query of the integrations must not read it


def whatsapp_templates_sk(integration_id: str) -> str:
    """Under the tenant's partition (keys.tenant): what Vonage listed for one integration."""
    return f"{WHATSAPP_TEMPLATES_PREFIX}{integration_id}"
