"""The wiring of the teamwork around a conversation (issue 13): contacts, people's notifications,
projects, tasks, follow-ups, nudges and business hours, the files a reply sends and forwards, the
events other systems hear, and the live updates the team's open apps get. Re-exported by
`inbox.wiring`, where callers find them (`wiring.tasks()`); each reaches the core's clients and
services through `wiring` too, so that a test replacing one there (the clock, a service) is obeyed."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from inbox import wiring
from inbox.adapters.queue import WorkQueue
from inbox.settings import get_settings

if TYPE_CHECKING:
    from inbox.adapters.schedules import OneTimeSchedules
    from inbox.services.attachments import Attachments
    from inbox.services.business_hours import BusinessHoursSettings
    from inbox.services.contacts import Contacts
    from inbox.services.follow_ups import FollowUps
    from inbox.services.forward import Forwards
    from inbox.services.live_updates import Connections, LiveUpdates
    from inbox.services.notifications import Notifications
    from inbox.services.nudges import Nudges
    from inbox.services.projects import Projects
    from inbox.services.saved_replies import SavedReplies
    from inbox.services.tasks import Tasks


@cache
def contacts() -> Contacts:
    """Find, read, edit and merge contacts (the customer panel)."""
    from inbox.services.contacts import Contacts

    return Contacts(wiring.store())


@cache
def notifications() -> Notifications:
    """A person's notifications (issue 13): written by assignments, tasks, follow-ups and nudges."""
    from inbox.adapters.dynamodb.notifications import NotificationStore
    from inbox.services.notifications import Notifications

    return Notifications(NotificationStore(wiring.client("dynamodb"), get_settings().table_name))


@cache
def projects() -> Projects:
    from inbox.services.projects import Projects

    return Projects(wiring.store())


@cache
def schedules() -> OneTimeSchedules:
    """One-time schedules (EventBridge Scheduler) that invoke ScheduledFunction with a job at its time."""
    from inbox.adapters.schedules import OneTimeSchedules

    settings = get_settings()
    return OneTimeSchedules(
        wiring.client("scheduler"),
        settings.require("SCHEDULE_GROUP"),
        settings.require("SCHEDULE_TARGET_ARN"),
        settings.require("SCHEDULE_ROLE_ARN"),
    )


@cache
def tasks() -> Tasks:
    """Tasks (issue 13, item 5): the API's, and ScheduledFunction's due reminders."""
    from inbox.adapters.dynamodb.tasks import TaskStore
    from inbox.services.tasks import Tasks

    return Tasks(
        wiring.store(),
        TaskStore(wiring.client("dynamodb"), get_settings().table_name),
        wiring.schedules,
        wiring.people,
        wiring.notifications,
        wiring.clock(),
    )


@cache
def business_hours() -> BusinessHoursSettings:
    """The tenant's business hours and time zone (issue 13, item 6)."""
    from inbox.adapters.dynamodb.nudges import NudgeStore
    from inbox.services.business_hours import BusinessHoursSettings

    return BusinessHoursSettings(NudgeStore(wiring.client("dynamodb"), get_settings().table_name), wiring.clock())


@cache
def nudges() -> Nudges:
    """A folder's automatic follow-ups: scheduled by replies, cancelled by the customer, fired by ScheduledFunction."""
    from inbox.adapters.dynamodb.nudges import NudgeStore
    from inbox.models import Principal, Role, Status
    from inbox.services.nudges import NUDGE_AUTHOR, Nudges

    def admins(tenant_id: str) -> list[str]:
        who = Principal(user_id=NUDGE_AUTHOR, tenant_id=tenant_id, role=Role.ADMIN)
        return [p.id for p in wiring.people().list(who) if p.role is Role.ADMIN and p.enabled]

    return Nudges(
        wiring.store(),
        NudgeStore(wiring.client("dynamodb"), get_settings().table_name),
        wiring.business_hours().of,
        wiring.schedules,
        lambda who, conversation_id, text, **options: wiring.replies().reply(who, conversation_id, text, **options),
        lambda who, conversation_id: wiring.conversations().change(who, conversation_id, {"status": Status.RESOLVED}),
        wiring.notifications().notify,
        admins,
        wiring.clock(),
        fill=lambda who, conversation_id, text: saved_replies().fill_text(who, conversation_id, text, sender=False),
    )


@cache
def follow_ups() -> FollowUps:
    """Manual follow-ups and snoozes (issue 13, item 6): the API's, ScheduledFunction's fires, the ingest's listener."""
    from inbox.services.follow_ups import FollowUps

    return FollowUps(
        wiring.store(),
        wiring.schedules,
        wiring.notifications,
        lambda who, conversation_id, text, **options: wiring.replies().reply(who, conversation_id, text, **options),
        lambda who, conversation_id: wiring.drafts().suggest(who, conversation_id),
        wiring.clock(),
        fill=lambda who, conversation_id, text: saved_replies().fill_text(who, conversation_id, text),
        check_template=lambda who, conversation_id, template: wiring.whatsapp_templates().check(
            who, conversation_id, template
        ),
    )


@cache
def saved_replies() -> SavedReplies:
    """Saved replies and their placeholders' fill (issue 16, item 4): the API's, and follow-ups' at fire time."""
    from inbox.adapters.dynamodb.saved_replies import SavedReplyStore
    from inbox.services.saved_replies import SavedReplies

    return SavedReplies(
        SavedReplyStore(wiring.client("dynamodb"), get_settings().table_name),
        wiring.store(),
        lambda who: wiring.people().person(who, who.user_id),  # the sender: one AdminGetUser a fill
        wiring.clock(),
    )


@cache
def attachments() -> Attachments:
    """Files a reply sends (uploads, read back and checked), Cc/Bcc, reply-all (issue 13, item 4)."""
    from inbox.adapters.uploads import UploadBucket
    from inbox.services.attachments import Attachments

    return Attachments(wiring.store(), UploadBucket(wiring.client("s3"), get_settings().blob_bucket))


@cache
def forwards() -> Forwards:
    """One message forwarded by email with a note, through the send path (issue 13, item 4)."""
    from inbox.services.forward import Forwards

    return Forwards(wiring.store(), wiring.replies, wiring.blobs)


@cache
def webhook_delivery_queue() -> WorkQueue:
    return WorkQueue(wiring.client("sqs"), get_settings().require("WEBHOOK_DELIVERY_QUEUE_URL"))


@cache
def outbound_webhooks():
    from inbox.adapters.dynamodb.webhooks import WebhookStore
    from inbox.adapters.webhook_http import post_event
    from inbox.services.outbound_webhooks import OutboundWebhooks

    guard = wiring.destinations()
    return OutboundWebhooks(
        WebhookStore(wiring.client("dynamodb"), get_settings().table_name),
        wiring.cipher(),
        wiring.webhook_delivery_queue,
        lambda url, body, headers: post_event(url, body, headers, guard),
    )


@cache
def event_publisher():
    from inbox.adapters.event_bus import EventBus
    from inbox.services.events import EventPublisher

    bus = EventBus(wiring.client("events"), get_settings().require("EVENT_BUS_NAME"))
    return EventPublisher(bus, wiring.outbound_webhooks(), wiring.webhook_delivery_queue)


@cache
def websocket_connections() -> Connections:
    from inbox.adapters.dynamodb.connections import ConnectionStore
    from inbox.adapters.id_tokens import IdTokenVerifier
    from inbox.services.live_updates import Connections

    settings = get_settings()
    tokens = IdTokenVerifier(
        settings.require("TOKEN_ISSUER"), settings.require("TOKEN_AUDIENCE"), settings.aws_endpoint_url
    )
    return Connections(ConnectionStore(wiring.client("dynamodb"), settings.table_name), tokens.verify)


@cache
def live_updates() -> LiveUpdates:
    from inbox.adapters.connections_api import ConnectionsApi, management_endpoint
    from inbox.adapters.dynamodb.connections import ConnectionStore
    from inbox.services.live_updates import LiveUpdates

    settings = get_settings()
    config = Config(retries={"mode": "standard", "max_attempts": 2}, connect_timeout=2, read_timeout=3)
    endpoint = management_endpoint(settings.require("WEBSOCKET_ENDPOINT"))
    api = ConnectionsApi(boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, config=config))
    return LiveUpdates(ConnectionStore(wiring.client("dynamodb"), settings.table_name), api.post)
