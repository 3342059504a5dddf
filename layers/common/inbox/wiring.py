"""The container of a warm function: its boto3 clients, the adapters on them and the services on those,
each built once on first use. Tests call `reset()` (the environment changed) or pass fakes."""

from __future__ import annotations

from functools import cache, partial
from typing import TYPE_CHECKING, Any

# At import, as the store's modules import it too: every function's first request needs a client, so
# importing boto3 later would only move its cost from the start into that request (benchmarks/README.md).
import boto3
from botocore.config import Config

from inbox.adapters.blobs import BlobStore
from inbox.adapters.cipher import EnvelopeCipher
from inbox.adapters.dynamodb import InboxStore
from inbox.adapters.queue import WorkQueue
from inbox.clock import Clock
from inbox.models import Integration
from inbox.services.ingest import Ingestor
from inbox.services.integrations import Integrations
from inbox.settings import get_settings

if TYPE_CHECKING:
    from inbox.services.conversations import Conversations
    from inbox.services.custom_webhooks import CustomWebhooks
    from inbox.services.deletion import BlobDisposal, ConversationDeletion
    from inbox.services.folders import Folders
    from inbox.services.knowledge import KnowledgeBase
    from inbox.services.oauth import AccessTokens
    from inbox.services.send import Replies
    from inbox.services.stats import Statistics
    from inbox.services.sync_mailbox import MailboxSync, SyncScheduler
    from inbox.services.users import People
    from inbox.services.vonage_channel import MediaFetcher
    from inbox.services.vonage_webhooks import VonageWebhooks


@cache
def client(service: str) -> Any:
    config = Config(
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=3,
        read_timeout=10,
        signature_version="s3v4" if service == "s3" else None,
    )
    return boto3.client(service, endpoint_url=get_settings().aws_endpoint_url, config=config)


@cache
def store() -> InboxStore:
    return InboxStore(client("dynamodb"), get_settings().table_name)


@cache
def blobs() -> BlobStore:
    return BlobStore(client("s3"), get_settings().blob_bucket)


@cache
def cipher() -> EnvelopeCipher:
    return EnvelopeCipher(client("kms"), get_settings().key_id)


@cache
def classify_queue() -> WorkQueue:
    return WorkQueue(client("sqs"), get_settings().classify_queue_url)


# Only some functions get these: their handlers say so with @needs(...), which names a missing one
# on the first invocation; require() names it here too, should a path outside a handler get here.
@cache
def sync_queue() -> WorkQueue:
    return WorkQueue(client("sqs"), get_settings().require("SYNC_QUEUE_URL"))


@cache
def vonage_queue() -> WorkQueue:
    return WorkQueue(client("sqs"), get_settings().require("VONAGE_QUEUE_URL"))


@cache
def autoreply_queue() -> WorkQueue:
    return WorkQueue(client("sqs"), get_settings().require("AUTOREPLY_QUEUE_URL"))


@cache
def purge_queue() -> WorkQueue:
    return WorkQueue(client("sqs"), get_settings().require("PURGE_QUEUE_URL"))


@cache
def ingestor() -> Ingestor:
    # A customer's message cancels the follow-ups set "only if no answer" (issue 13, item 6).
    listeners = (
        lambda conversation: follow_ups().customer_wrote(conversation),
        lambda conversation: nudges().customer_wrote(conversation),  # and the folder's nudge
    )
    return Ingestor(store(), blobs(), classify_queue(), get_settings().inline_body_bytes, listeners)


@cache
def integrations() -> Integrations:
    return Integrations(store(), cipher(), sync_queue)


@cache
def conversations() -> Conversations:
    from inbox.services.conversations import Conversations  # not every function's: off the webhooks' start

    return Conversations(store(), blobs(), people, on_assigned=lambda who, c: notifications().assigned(who, c))


@cache
def people() -> People:
    """The tenant's people, from the user pool (the API's USER_POOL_ID)."""
    from inbox.adapters.user_pool import UserPool
    from inbox.services.users import People

    pool = UserPool(client("cognito-idp"), get_settings().require("USER_POOL_ID"))
    return People(pool, wiring_insight.person_changed)


@cache
def blob_disposal() -> BlobDisposal:
    """Copies nothing refers to, handed to the purge worker (the one function allowed to delete them)."""
    from inbox.services.deletion import BlobDisposal

    return BlobDisposal(purge_queue)


@cache
def conversation_deletion() -> ConversationDeletion:
    from inbox.services.deletion import ConversationDeletion

    return ConversationDeletion(store(), blobs(), purge_queue, schedules)  # the purge cancels what it left scheduled


@cache
def folders() -> Folders:
    from inbox.services.folders import Folders

    return Folders(store(), classify_queue)


@cache
def knowledge_base() -> KnowledgeBase:
    """The tenant's knowledge base: its documents (the API) and the passages a reply's prompt reads."""
    from inbox.adapters.dynamodb.knowledge import KnowledgeStore
    from inbox.services.knowledge import KnowledgeBase

    return KnowledgeBase(KnowledgeStore(client("dynamodb"), get_settings().table_name), blobs(), blob_disposal())


@cache
def statistics() -> Statistics:
    from inbox.services.stats import Statistics

    return Statistics(store(), wiring_insight.stats_calendar)


@cache
def custom_webhooks() -> CustomWebhooks:
    from inbox.services.custom_webhooks import CustomWebhooks  # the API's alone

    settings = get_settings()
    return CustomWebhooks(
        store(),
        blobs(),
        blob_disposal(),
        integrations(),
        ingestor(),
        settings.webhook_max_body_bytes,
        settings.webhook_tolerance_seconds,
    )


@cache
def clock() -> Clock:
    """The time scheduled fires and due dates are read from: the system's, unless a test moved it."""
    return Clock()


def reset() -> None:
    """Forget every client, adapter and service (each `@cache` function here), and the settings: the
    environment changed, as between tests."""
    here = (__name__, wiring_ai.__name__, wiring_teamwork.__name__, wiring_insight.__name__)
    built_once = [f for f in globals().values() if hasattr(f, "cache_clear") and f.__module__ in here]
    for built in (*built_once, get_settings):
        built.cache_clear()


def open_mailbox(integration: Integration):
    """An IMAP connection to an email integration, with its secret opened just for it."""
    from inbox.adapters.imap import Mailbox
    from inbox.services.email_channel import server_settings

    settings = server_settings(integration.settings.imap)
    return Mailbox.open(settings, credential(integration, "imap"), destinations())


def destinations():
    """Where this deployment lets a tenant's hosts point (OutboundAllowLoopback, OutboundAllowPrivate)."""
    from inbox.adapters.outbound import Destinations

    return Destinations.from_settings()


def vonage_account():
    """The deployment's Vonage API (VonageApiBaseUrl), to sign in to with an account's credentials."""
    from inbox.adapters.vonage import VonageClient

    return partial(VonageClient, get_settings().vonage_api_base_url)


def mailbox_opener():
    """Opens a tenant's IMAP server through the outbound guard, for a quick errand (a connection
    check, a Sent copy): not worth the sync's long wait."""
    from inbox.adapters.imap import Mailbox

    return partial(Mailbox.open, destinations=destinations(), timeout=10)


def smtp_login_check():
    """Logs in to a tenant's SMTP server through the outbound guard, sending nothing."""
    from inbox.adapters.smtp import check_login

    return partial(check_login, destinations=destinations())


def credential(integration: Integration, server: str) -> str:
    """What logs in to a mailbox's `server` (imap or smtp): its password, or a fresh access token."""
    mail_server = integration.settings.imap if server == "imap" else integration.settings.smtp
    if mail_server.auth == "xoauth2":
        return access_tokens().token(integration)
    return integrations().secret(integration, f"{server}_password")


@cache
def access_tokens() -> AccessTokens:
    from inbox.services.oauth import AccessTokens

    return AccessTokens(store(), integrations(), destinations())


@cache
def replies() -> Replies:
    from inbox.models import Channel
    from inbox.services.send import Replies

    def email_sender():
        from inbox.adapters.smtp import send_email
        from inbox.services.email_channel import EmailSender

        return EmailSender(credential, partial(send_email, destinations=destinations()), mailbox_opener(), blobs().get)

    def vonage_sender(channel: Channel):
        def build():
            from inbox.services.vonage_channel import VonageSender

            return VonageSender(channel, integrations(), vonage_account(), attachments().media_url)

        return build

    return Replies(
        store(),
        {
            Channel.EMAIL: email_sender,
            Channel.SMS: vonage_sender(Channel.SMS),
            Channel.WHATSAPP: vonage_sender(Channel.WHATSAPP),
        },
        after_sent=lambda conversation, message: nudges().replied(conversation, message),
        files=attachments,
        templates=whatsapp_templates,
    )


@cache
def whatsapp_templates():
    """The WhatsApp templates Vonage lists for an integration, kept in the table (issue 16, item 5)."""
    from inbox.adapters.dynamodb.whatsapp_templates import WhatsAppTemplateStore
    from inbox.services.vonage_channel import credentials_of
    from inbox.services.whatsapp_templates import WhatsAppTemplates

    return WhatsAppTemplates(
        store(),
        WhatsAppTemplateStore(client("dynamodb"), get_settings().table_name),
        lambda integration: vonage_account()(credentials_of(integration, integrations())),
    )


@cache
def vonage_webhooks() -> VonageWebhooks:
    from inbox.services.vonage_webhooks import VonageWebhooks

    settings = get_settings()
    return VonageWebhooks(
        store(),
        blobs(),
        blob_disposal(),
        integrations(),
        ingestor(),
        vonage_queue,
        settings.webhook_max_body_bytes,
        settings.webhook_tolerance_seconds,
    )


@cache
def media_fetcher() -> MediaFetcher:
    from inbox.services.vonage_channel import MediaFetcher

    return MediaFetcher(store(), blobs(), blob_disposal(), integrations(), vonage_account())


@cache
def mailbox_sync() -> MailboxSync:
    from inbox.services.sync_mailbox import MailboxSync  # the sync worker's alone: keep it off the API's start

    return MailboxSync(store(), ingestor(), open_mailbox)


def sync_scheduler() -> SyncScheduler:
    from inbox.services.sync_mailbox import SyncScheduler

    return SyncScheduler(store(), sync_queue())


# The AI (issues 9 and 12), the teamwork around a conversation (issue 13), and search, statistics and
# audit (issue 14), are wired in their own modules and found here like the rest.
from inbox import wiring_ai, wiring_insight, wiring_teamwork  # noqa: E402
from inbox.wiring_ai import (  # noqa: E402, F401 (found here: wiring.classifier())
    ai_lookups,
    ai_settings,
    ai_try,
    auto_replies,
    chat_model,
    classifier,
    drafts,
    reply_writer,
)
from inbox.wiring_insight import (  # noqa: E402, F401 (found here: wiring.search(), wiring.audit())
    audit,
    audit_trail,
    search,
    search_feed,
    search_indexer,
    search_segments,
    statistics_recorder,
)
from inbox.wiring_teamwork import (  # noqa: E402, F401 (found here: wiring.tasks())
    attachments,
    business_hours,
    contacts,
    event_publisher,
    follow_ups,
    forwards,
    live_updates,
    notifications,
    nudges,
    outbound_webhooks,
    projects,
    saved_replies,
    schedules,
    tasks,
    webhook_delivery_queue,
    websocket_connections,
)
