"""Every key of the table, and every index key, built by one named function (the layout is in
the package docstring). No other module builds a key string."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from inbox.models import Channel

# Sort keys that are constants, and the prefixes that a Query reads a kind of item by.
ROUTE = "ROUTE"
CONVERSATION = "CONV"
CONTACT = "CONTACT"
IDENTITY = "IDENTITY"
DELIVERY = "DELIVERY"
THREAD = "THREAD"
MSGID = "MSGID"
SENT = "SENT"
AI_SETTINGS = "SETTINGS#AI"
DELETING = "#DELETING"  # a deleted conversation's marker; "#" sorts before its children's keys
INTEGRATION_PREFIX = "INTEGRATION#"
FOLDER_PREFIX = "FOLDER#"
COUNTER_PREFIX = "COUNTER#FOLDER#"
MESSAGE_PREFIX = "MSG#"
NOTE_PREFIX = "NOTE#"
DAY_PREFIX = "DAY#"
SYNC_DUE = "SYNC#DUE"  # GSI1: every mailbox by the time its next sync is due, across tenants


def stamp(moment: datetime) -> str:
    """A UTC time that sorts as text: always the same length, always microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def digest(value: str) -> str:
    """A provider's id, thread key or Message-ID, whose length we do not control, as a key part."""
    return hashlib.sha256(value.encode()).hexdigest()


# ------------------------------------------------------------------ the tenant's own partition


def tenant(tenant_id: str) -> str:
    return f"T#{tenant_id}"


def integration_sk(integration_id: str) -> str:
    return f"{INTEGRATION_PREFIX}{integration_id}"


def folder_sk(folder_id: str) -> str:
    return f"{FOLDER_PREFIX}{folder_id}"


def counter_sk(folder: str) -> str:
    return f"{COUNTER_PREFIX}{folder}"


def folder_of_counter(sk: str) -> str:
    return sk.removeprefix(COUNTER_PREFIX)


ASSIGNEE_COUNTER_PREFIX = "COUNTER#ASSIGNEE#"


def assignee_counter_sk(assignee: str) -> str:
    """The counters of one assignee's conversations (`none`: the unassigned ones), kept like a folder's."""
    return f"{ASSIGNEE_COUNTER_PREFIX}{assignee}"


def sync_sk(integration_id: str) -> str:
    return f"SYNC#{integration_id}"


def sync_due(at: datetime, tenant_id: str, integration_id: str) -> str:
    """The sort key (`activity`) of a mailbox in the SYNC#DUE view."""
    return f"{stamp(at)}#{tenant_id}#{integration_id}"


def sync_due_until(now: datetime) -> str:
    """The highest `activity` of a mailbox due at `now`."""
    return f"{stamp(now)}#~"


# ------------------------------------------------------------------ routes (no tenant prefix)


def integration_route_pk(integration_id: str) -> str:
    return f"ROUTE#INTEGRATION#{integration_id}"


def number_route_pk(kind: Channel, number: str) -> str:
    """The route of a number for one kind of message: SMS and WhatsApp claims never meet."""
    if kind not in (Channel.SMS, Channel.WHATSAPP):
        raise ValueError(f"no number routes for {kind}")
    return f"ROUTE#NUMBER#{kind}#{number}"


# ------------------------------------------------------------------ contacts


def contact_pk(tenant_id: str, contact_id: str) -> str:
    return f"T#{tenant_id}#CONTACT#{contact_id}"


def identity_pk(tenant_id: str, identity: str) -> str:
    return f"T#{tenant_id}#IDENTITY#{identity}"


def contacts_pk(tenant_id: str) -> str:
    """GSI1: every contact of a tenant, sorted by `contact_sort` (the contacts list, found by name)."""
    return f"T#{tenant_id}#CONTACTS"


def contact_sort(folded_name: str, contact_id: str) -> str:
    """A contact's `activity` in GSI1: its folded name (domain.contacts.sort_name), so that a
    name's start is a begins_with on the sort key; the id keeps namesakes apart."""
    return f"{folded_name}#{contact_id}"


# ------------------------------------------------------------------ projects

PROJECT_PREFIX = "PROJECT#"


def projects_pk(tenant_id: str) -> str:
    """A tenant's projects, one partition: a business has tens or hundreds, read in one Query."""
    return f"T#{tenant_id}#PROJECTS"


def project_sk(project_id: str) -> str:
    return f"{PROJECT_PREFIX}{project_id}"


# ------------------------------------------------------------------ conversations and what they hold


def conversation_pk(tenant_id: str, conversation_id: str) -> str:
    return f"T#{tenant_id}#CONV#{conversation_id}"


def conversation_pk_prefix(tenant_id: str) -> str:
    """What every conversation's partition key of a tenant starts with."""
    return f"T#{tenant_id}#CONV#"


def message_sk(received_at: datetime, message_id: str) -> str:
    return f"{MESSAGE_PREFIX}{stamp(received_at)}#{message_id}"


def note_sk(created_at: datetime, note_id: str) -> str:
    return f"{NOTE_PREFIX}{stamp(created_at)}#{note_id}"


def decision_sk(message_id: str) -> str:
    return f"DECISION#{message_id}"


DRAFT_PREFIX = "DRAFT#"
SUMMARY = "SUMMARY"  # the AI summary kept on a conversation
SUGGESTING = "SUGGESTING"  # a suggestion being written (a short lease: one model call at a time)
AUTO_REPLYING = "AUTOREPLYING"  # an auto-reply being written or sent (one per conversation at a time)


def draft_sk(draft_id: str) -> str:
    """A draft reply: an automatic one's id is the answered message's, so a job delivered again finds it."""
    return f"{DRAFT_PREFIX}{draft_id}"


def activity(last_activity_at: datetime, conversation_id: str) -> str:
    """The sort key every conversation view shares: newest activity first when read backwards."""
    return f"{stamp(last_activity_at)}#{conversation_id}"


def priority(rank: int, last_activity_at: datetime, conversation_id: str) -> str:
    """The sort key of the same views by urgency (GSI1U..GSI6U): read backwards, the most urgent
    first (`rank`, one digit, domain.conversations.urgency_rank) and the newest first among equals."""
    return f"{rank}#{activity(last_activity_at, conversation_id)}"


MIGRATIONS_PK = "META#MIGRATIONS"  # one item per data migration applied to the table (migrations.py)


def migration_sk(name: str) -> str:
    return f"MIGRATION#{name}"


def all_conversations_pk(tenant_id: str) -> str:
    """GSI1: every conversation of a tenant."""
    return f"T#{tenant_id}#CONVS"


def view_pk(tenant_id: str, view: str, value: object) -> str:
    """GSI2..GSI7: the conversations of one folder, status, assignee, contact, channel or project
    (`view` is FOLDER, STATUS, ASSIGNEE, CONTACT, CHANNEL or PROJECT)."""
    return f"T#{tenant_id}#{view}#{value}"


# ------------------------------------------------------------------ deliveries and pointers


def delivery_pk(tenant_id: str, integration_id: str, external_id: str) -> str:
    return f"T#{tenant_id}#DELIVERY#{integration_id}#{digest(external_id)}"


def sent_pk(tenant_id: str, integration_id: str, provider_id: str) -> str:
    return f"T#{tenant_id}#SENT#{integration_id}#{digest(provider_id)}"


def thread_pk(tenant_id: str, integration_id: str, thread_key: str) -> str:
    return f"T#{tenant_id}#THREAD#{integration_id}#{digest(thread_key)}"


def msgid_pk(tenant_id: str, message_id: str) -> str:
    return f"T#{tenant_id}#MSGID#{digest(message_id)}"


def sms_part_pk(tenant_id: str, integration_id: str, group: str) -> str:
    return f"T#{tenant_id}#SMSPART#{integration_id}#{digest(group)}"


def sms_part_sk(number: int) -> str:
    return f"PART#{number:03d}"


# ------------------------------------------------------------------ auto-replies per recipient


def auto_replied_pk(tenant_id: str, recipient: str) -> str:
    """When auto-replies went to one address or number (any conversation): the caps read one partition."""
    return f"T#{tenant_id}#AUTOREPLIED#{digest(recipient)}"


def auto_replied_sk(at: datetime, draft_id: str) -> str:
    return f"AT#{stamp(at)}#{draft_id}"


def auto_replied_since(moment: datetime) -> str:
    return f"AT#{stamp(moment)}"


# ------------------------------------------------------------------ statistics


def stats_pk(tenant_id: str) -> str:
    return f"T#{tenant_id}#STATS"


def day_sk(day: str) -> str:
    return f"{DAY_PREFIX}{day}"


def day_of(sk: str) -> str:
    return sk.removeprefix(DAY_PREFIX)


# ------------------------------------------------------------------ knowledge base

KNOWLEDGE_BASE = "BASE"  # the base's version and totals, moved by every write to its documents
KNOWLEDGE_DOCUMENT_PREFIX = "DOC#"
KNOWLEDGE_PASSAGES_PREFIX = "PASSAGES#"


def knowledge_pk(tenant_id: str) -> str:
    """A tenant's knowledge base: its documents, their passages and its version, in one partition."""
    return f"T#{tenant_id}#KNOWLEDGE"


def knowledge_document_sk(document_id: str) -> str:
    return f"{KNOWLEDGE_DOCUMENT_PREFIX}{document_id}"


def knowledge_passages_sk(document_id: str) -> str:
    """A document's passages, one item; the base in its order is one Query of this prefix (ids sort by creation)."""
    return f"{KNOWLEDGE_PASSAGES_PREFIX}{document_id}"


# ------------------------------------------------------------------ live updates (WebSocket connections)

CONNECTION_PREFIX = "CONN#"


def connections_pk(tenant_id: str) -> str:
    """A tenant's open WebSocket connections: the fan-out of a change is one Query of this partition."""
    return f"T#{tenant_id}#CONNS"


def connection_sk(connection_id: str) -> str:
    return f"{CONNECTION_PREFIX}{connection_id}"


def connection_route_pk(connection_id: str) -> str:
    """A connection id -> its tenant: API Gateway's $disconnect names the connection and nothing else."""
    return f"ROUTE#CONNECTION#{connection_id}"


# The teamwork around a conversation (issue 13), and search, statistics and audit (issue 14): their
# keys are in keys_teamwork.py, keys_insight.py and keys_answers.py, found here.
from inbox.adapters.dynamodb.keys_answers import *  # noqa: E402, F403
from inbox.adapters.dynamodb.keys_insight import *  # noqa: E402, F403
from inbox.adapters.dynamodb.keys_teamwork import *  # noqa: E402, F403
