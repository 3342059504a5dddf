"""The wiring of the AI (issues 9 and 12): the tenant's model settings, the classifier, the reply
writer and what uses it (auto-replies, drafts). Re-exported by `inbox.wiring`, where callers find them
(`wiring.classifier()`); each reaches the rest through `wiring`, so that a test replacing one there
(the reply writer, say) is obeyed."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from inbox import wiring, wiring_insight
from inbox.settings import get_settings

if TYPE_CHECKING:
    from inbox.services.ai_lookups import AiLookups
    from inbox.services.ai_replies import ReplyWriter
    from inbox.services.ai_settings import AiSettings
    from inbox.services.ai_try import AiTry
    from inbox.services.autoreply import AutoReplies
    from inbox.services.classify import Classifier
    from inbox.services.drafts import Drafts


@cache
def ai_settings() -> AiSettings:
    from inbox.services.ai_settings import AiSettings

    settings = get_settings()
    return AiSettings(
        wiring.store(),
        wiring.cipher(),
        settings.openai_api_key or None,
        settings.openai_model,
        settings.openai_base_url or None,
    )


def chat_model(config):
    """The tenant's chat model: a tenant's own server goes through the outbound guard; the deployment's
    is the operator's choice."""
    from inbox.adapters.ai import ChatModel

    guard = wiring.destinations() if config.source == "tenant" else None
    return ChatModel(config.api_key, config.model, config.base_url, get_settings().ai_timeout_seconds, guard=guard)


@cache
def classifier() -> Classifier:
    from inbox.services.classify import Classifier

    return Classifier(
        wiring.store(),
        wiring.blobs(),
        wiring.ai_settings(),
        wiring.classify_queue,
        wiring.autoreply_queue if get_settings().autoreply_queue_url else None,
        wiring.chat_model,
        wiring_insight.ai_usage,
    )


@cache
def reply_writer() -> ReplyWriter:
    """Writes AI replies and summaries (issue 12): the auto-reply consumer's and the API's."""
    from inbox.services.ai_replies import ReplyWriter

    settings = wiring.ai_settings()
    return ReplyWriter(
        settings,
        wiring.knowledge_base,
        wiring.blobs(),
        wiring.chat_model,
        wiring_insight.ai_usage,
        lookups=wiring.ai_lookups,  # the tenant's lookups the model may call (issue 16)
    )


@cache
def auto_replies() -> AutoReplies:
    """The AutoReplyQueue's consumer: one outcome per customer message (issue 12)."""
    from inbox.services.autoreply import AutoReplies

    return AutoReplies(
        wiring.store(),
        wiring.reply_writer,
        lambda who, conversation_id, text, **options: wiring.replies().reply(who, conversation_id, text, **options),
        wiring.ai_settings().autoreply_limits,
    )


@cache
def drafts() -> Drafts:
    """People and the AI's drafts, suggestions and summaries (the API's)."""
    from inbox.services.drafts import Drafts

    return Drafts(
        wiring.store(),
        wiring.reply_writer,
        lambda who, conversation_id, text: wiring.replies().reply(who, conversation_id, text),
    )


@cache
def ai_lookups() -> AiLookups:
    """The AI's lookups (issue 16, item 1): the API's CRUD, and the reply writer's tools and calls."""
    from inbox.adapters.dynamodb.ai_lookups import AiLookupStore
    from inbox.adapters.lookup_http import post_lookup
    from inbox.services.ai_lookups import AiLookups

    guard = wiring.destinations()
    return AiLookups(
        AiLookupStore(wiring.client("dynamodb"), get_settings().table_name),
        wiring.cipher(),
        lambda url, body, headers: post_lookup(url, body, headers, guard),
    )


# --- trying the AI on a sample (issue 16, item 3) --------------------------------------------------


@cache
def ai_try() -> AiTry:
    """What the AI would do with a sample message: reads and model calls only, nothing stored."""
    from inbox.services.ai_try import AiTry

    return AiTry(wiring.store(), wiring.ai_settings(), wiring.chat_model, try_reply_writer)


def try_reply_writer() -> ReplyWriter:
    """The reply writer as wired (its knowledge base, its lookups), its usage not counted."""
    return wiring.reply_writer().uncounted()
