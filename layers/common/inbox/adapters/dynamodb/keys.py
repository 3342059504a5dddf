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


# ------------------------------------------------------------------ follow-ups and snoozes (issue 13, item 6)

FOLLOW_UP_PREFIX = "FOLLOWUP#"


def follow_up_sk(follow_up_id: str) -> str:
    """A follow-up, under its conversation: deleting the conversation takes it, and a customer's
    message finds the conversation's follow-ups with one Query of this prefix."""
    return f"{FOLLOW_UP_PREFIX}{follow_up_id}"


def scheduled_follow_ups_pk(tenant_id: str, user_id: str) -> str:
    """GSI1: the follow-ups a person scheduled that are still to fire (sparse: a follow-up leaves it
    once it fired or was cancelled), sorted by `activity` = follow_up_due."""
    return f"T#{tenant_id}#FOLLOWUPS#{user_id}"


def follow_up_due(due_at: datetime, follow_up_id: str) -> str:
    return f"{stamp(due_at)}#{follow_up_id}"


def snoozed_conversations_pk(tenant_id: str) -> str:
    """GSI1 of a snoozed conversation in place of all_conversations_pk: the Snoozed view."""
    return f"T#{tenant_id}#SNOOZED#CONVS"


def snoozed_view_pk(tenant_id: str, view: str, value: object) -> str:
    """GSI2..GSI4 and GSI6 of a snoozed conversation in place of view_pk: out of the folder, status,
    assignee and channel lists, and in the Snoozed view's own (filtered the same ways) until it wakes."""
    return f"T#{tenant_id}#SNOOZED#{view}#{value}"


# ------------------------------------------------------------------ outbound webhooks (issue 13, item 8)

WEBHOOK_PREFIX = "WEBHOOK#"
WEBHOOK_LOG_PREFIX = "LOG#"


def webhooks_pk(tenant_id: str) -> str:
    """A tenant's outbound webhooks, one partition: the publisher reads them with one Query per batch."""
    return f"T#{tenant_id}#WEBHOOKS"


def webhook_sk(webhook_id: str) -> str:
    return f"{WEBHOOK_PREFIX}{webhook_id}"


def webhook_log_pk(tenant_id: str, webhook_id: str) -> str:
    """A webhook's delivery log (TTL), newest first when read backwards."""
    return f"T#{tenant_id}#WEBHOOK#{webhook_id}#LOG"


def webhook_log_sk(event_time: datetime, event_id: str) -> str:
    """One event's delivery, rewritten by each attempt: its place is the event's time, never the attempt's."""
    return f"{WEBHOOK_LOG_PREFIX}{stamp(event_time)}#{event_id}"


# ------------------------------------------------------------------ notifications (one partition per person)

NOTIFICATION_PREFIX = "NOTIF#"
UNREAD_PREFIX = "UNREAD#"


def notifications_pk(tenant_id: str, user_id: str) -> str:
    """A person's notifications: their list and their unread count are Queries of this partition alone."""
    return f"T#{tenant_id}#USER#{user_id}"


def notification_sk(notification_id: str) -> str:
    """Notification ids sort by creation time, so the partition read backwards is newest first."""
    return f"{NOTIFICATION_PREFIX}{notification_id}"


def unread_sk(notification_id: str) -> str:
    """The marker of an unread notification: the unread count is a COUNT Query of these."""
    return f"{UNREAD_PREFIX}{notification_id}"


# ------------------------------------------------------------------ business hours and nudges (issue 13, item 6)

BUSINESS_HOURS = "SETTINGS#BUSINESS_HOURS"  # under the tenant: its time zone, week and holidays
NUDGE = "NUDGE"  # under a conversation: the automatic follow-up waiting on the customer's silence


# ------------------------------------------------------------------ tasks (issue 13, item 5)

TASK_PREFIX = "TASK#"
TASK_REF = "TASK"  # the SK of a task's pointer: its id -> its conversation


def task_sk(task_id: str) -> str:
    """A task, under its conversation: the conversation's tasks are one Query of this prefix, and
    deleting the conversation takes them."""
    return f"{TASK_PREFIX}{task_id}"


def task_ref_pk(tenant_id: str, task_id: str) -> str:
    """A task's pointer to its conversation: /tasks/{id} names the task alone."""
    return f"T#{tenant_id}#TASK#{task_id}"


def assigned_tasks_pk(tenant_id: str, user_id: str, done: bool) -> str:
    """GSI1: a person's open (or done) tasks, sorted by `activity` = task_due."""
    return f"T#{tenant_id}#TASKS#{user_id}#{'DONE' if done else 'OPEN'}"


def task_due(due_at: datetime, task_id: str) -> str:
    return f"{stamp(due_at)}#{task_id}"


# Search, statistics and audit (issue 14): their keys are in keys_insight.py, found here.
from inbox.adapters.dynamodb.keys_insight import *  # noqa: E402, F403
