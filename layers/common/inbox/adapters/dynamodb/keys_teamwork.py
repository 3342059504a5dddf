"""The keys of the teamwork around a conversation (issue 13): follow-ups and snoozes, outbound
webhooks, notifications, business hours and nudges, tasks. Re-exported by `keys`, where every store
finds them (`keys.task_sk(...)`): import `keys`, never this module, so that `keys` stays the one place."""

from __future__ import annotations

from datetime import datetime

from inbox.adapters.dynamodb.keys import stamp

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
    """The marker of an unread notification: listed to mark them all read."""
    return f"{UNREAD_PREFIX}{notification_id}"


UNREAD_COUNT_PREFIX = "UNREADCOUNT#"


def unread_count_sk(expiry_day: str) -> str:
    """How many of the person's unread markers expire on that UTC day (yyyy-mm-dd): the unread count
    is the sum of these, at most one a day of the notifications' 90 days, however many there are."""
    return f"{UNREAD_COUNT_PREFIX}{expiry_day}"


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
