"""The one send path: a person's reply is stored, then handed to the sender of its channel."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from inbox.domain import conversations, stats_waits
from inbox.domain.ids import new_id
from inbox.domain.references import reply_references
from inbox.domain.whatsapp_templates import TemplateOffer, TemplateRequest, offer, template_reply
from inbox.errors import (
    ConcurrentUpdateError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermanentError,
    TransientError,
)
from inbox.models import (
    Channel,
    Conversation,
    DeliveryState,
    Direction,
    Integration,
    Message,
    Party,
    Principal,
    Status,
)
from inbox.models.conversation import SentTemplate
from inbox.models.integration_settings import VonageSettings, WhatsAppTemplate
from inbox.observability import logger

if TYPE_CHECKING:
    from inbox.services.attachments import Attachments, Outgoing, Plan

_LATEST_MESSAGES = 20  # where the message answered is looked for, and the latest ids for References
_PAGE = 100
_PAGES_BACK = 10


class ChannelSender(Protocol):
    def send(self, integration: Integration, message: Message) -> str | None:
        """Hand the message to the channel; the provider's id for it, when it gives one."""

    def sender_party(self, integration: Integration, parent: Message | None) -> Party:
        """Who the reply comes from: the address or the number the customer wrote to."""

    def message_id(self, integration: Integration, message_id: str) -> str | None: ...


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_integration(self, tenant_id: str, integration_id: str) -> Integration | None: ...
    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]: ...
    def commit_outbound(self, message: Message, before: Conversation, after: Conversation) -> None: ...
    def set_delivery(self, message: Message) -> None: ...


class TemplateSource(Protocol):
    """services.whatsapp_templates.WhatsAppTemplates: the templates Vonage listed, as kept (issue 16)."""

    def offer(self, integration: Integration) -> TemplateOffer: ...


class Replies:
    def __init__(
        self,
        store: Store,
        senders: dict[Channel, Callable[[], ChannelSender]],
        files: Callable[[], Attachments] | None = None,
        after_sent: Callable[[Conversation, Message], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        templates: Callable[[], TemplateSource] | None = None,
    ):
        self._store = store
        self._templates = templates  # the WhatsApp templates Vonage lists; without it, the typed ones alone
        # The system's time; a test of the statistics scripts a day with its own clock.
        self._clock = clock or (lambda: datetime.now(UTC))
        self._senders = senders
        self._after_sent = after_sent  # e.g. the folder's nudge, scheduled from the reply (services/nudges.py)
        self._files = files  # files, Cc/Bcc, reply-all and forwards (services/attachments.py)

    def reply(
        self,
        who: Principal,
        conversation_id: str,
        text: str,
        html: str | None = None,
        subject: str | None = None,
        template: TemplateRequest | None = None,
        auto_reply: bool = False,
        outgoing: Outgoing | None = None,
    ) -> Message:
        """Store the reply as `sending`, send it, and record `sent` or `failed` with the reason.
        `subject` replaces the email's `Re: ` subject; other channels have none to change. A WhatsApp
        reply may be one of the integration's approved `template`s (its text is then the template's).
        `auto_reply`: written by the AI and sent by itself, not by `who` (marked so, and its email
        says `Auto-Submitted: auto-replied`). `outgoing`: files, Cc, Bcc, reply-all or a forward's
        recipient, each checked (uploads read back) before anything is stored."""
        conversation = self._store.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        integration = self._store.get_integration(who.tenant_id, conversation.integration_id)
        if integration is None:
            raise InvalidInputError("conversation_id", "its channel was disconnected; it cannot be answered")
        if conversation.channel not in self._senders:
            raise InvalidInputError("conversation_id", f"answering on {conversation.channel} is not available yet")
        if subject is not None and conversation.channel is not Channel.EMAIL:
            raise InvalidInputError("subject", f"a reply on {conversation.channel} has no subject")
        check_reply_body(text, html, template, outgoing)
        sent_template = None
        if template is not None:
            # A template may go out whatever the window: that is what it is for.
            if conversation.channel is not Channel.WHATSAPP:
                reason = f"only WhatsApp takes templates; a {conversation.channel} reply is text"
                raise InvalidInputError("template", reason)
            offered = self._offer(integration)
            text, sent_template = template_reply(offered.usable, template, offered.refused)
        else:
            refusal = conversations.reply_refusal(conversation, datetime.now(UTC))
            if refusal:
                raise InvalidInputError("text", refusal)
        plan = None
        if outgoing is not None:
            if self._files is None:  # never send a reply without the files it was given
                raise RuntimeError("a reply with files, recipients or a forward needs the file service")
            plan = self._files().plan(who.tenant_id, conversation, outgoing)
        sender = self._senders[conversation.channel]()
        forward = outgoing is not None and outgoing.forwarded is not None
        message = self._store_reply(
            who, conversation, integration, sender, text, html, subject, sent_template, auto_reply, plan, not forward
        )
        try:
            provider_id = self._send(sender, integration, message)
        except (PermanentError, TransientError) as error:
            message = message.model_copy(update={"delivery": DeliveryState.FAILED, "delivery_error": str(error)})
            logger.warning("reply not sent", channel=conversation.channel, message_id=message.id, reason=str(error))
        except Exception:
            # Our own trouble: the reply must still end as failed, never stay "sending" for good.
            logger.exception("reply not sent: internal error", channel=conversation.channel, message_id=message.id)
            reason = "an internal error stopped the send; it may or may not have gone out"
            message = message.model_copy(update={"delivery": DeliveryState.FAILED, "delivery_error": reason})
        else:
            message = message.model_copy(
                update={"delivery": DeliveryState.SENT, "sent_at": datetime.now(UTC), "provider_id": provider_id}
            )
        self._store.set_delivery(message)
        # A forward goes to a colleague, not the customer: it answers nobody (no folder nudge follows it).
        if self._after_sent is not None and message.delivery is DeliveryState.SENT and not forward:
            try:
                self._after_sent(conversation, message)
            except Exception:  # the reply went out: what follows it must not turn it into an error
                logger.exception("after-send step failed", message_id=message.id)
        return message

    def _store_reply(
        self,
        who: Principal,
        conversation: Conversation,
        integration: Integration,
        sender: ChannelSender,
        text: str,
        html: str | None,
        subject: str | None,
        template: SentTemplate | None = None,
        auto_reply: bool = False,
        plan: Plan | None = None,
        answers: bool = True,
    ) -> Message:
        """`answers`: it answers the customer (a forward to a colleague does not): the customer's wait
        ends, and the reply keeps since when they waited (response times, issue 14 item 2)."""
        first, latest = self._thread(conversation)
        inbound = [m for m in latest if m.direction is Direction.INBOUND]
        parent = inbound[-1] if inbound else None
        now = self._clock()
        message_id = new_id()
        references = reply_references(first, latest, parent)
        message = Message(
            id=message_id,
            tenant_id=who.tenant_id,
            conversation_id=conversation.id,
            integration_id=integration.id,
            channel=conversation.channel,
            direction=Direction.OUTBOUND,
            sender=sender.sender_party(integration, parent),
            to=[conversation.contact],
            subject=subject or reply_subject(conversation),
            text=text,
            html=html,
            message_id=sender.message_id(integration, message_id),
            references=list(reversed(references)),  # stored like every message's: the most direct first
            author_id=None if auto_reply else who.user_id,
            auto_reply=auto_reply,
            template=template,
            delivery=DeliveryState.SENDING,
            received_at=now,
        )
        if plan is not None and self._files is not None:
            message = self._files().apply(plan, message, parent)  # recipients, and the files copied as its own
        draft, before = message, conversation
        for attempt in range(4):
            message = draft  # each attempt's wait from that attempt's `before` only (a retry never keeps one)
            after = before.model_copy(
                update={
                    "unread": False,
                    "message_count": before.message_count + 1,
                    "preview": conversations.preview(text),
                    "last_activity_at": now,
                    "status": Status.OPEN if before.status is Status.NEW else before.status,
                }
            )
            if answers:
                waited, clocks = stats_waits.answered(before, now, by_person=not auto_reply)
                message = draft.model_copy(update=waited)
                after = after.model_copy(update=clocks)
            try:
                self._store.commit_outbound(message, before, after)
                return message
            except ConcurrentUpdateError:
                time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter, not security
                before = self._store.get_conversation(conversation.tenant_id, conversation.id) or before
        raise ConflictError("the conversation is being changed by someone else; try again")

    @staticmethod
    def _send(sender: ChannelSender, integration: Integration, message: Message) -> str | None:
        # No second try here: a failure may come after the server took the mail, and a customer
        # answered twice is worse than a person pressing "send" again on a failed reply. (A channel
        # retries inside its sender only what cannot have been delivered, such as Vonage's 429.)
        return sender.send(integration, message)

    def _offer(self, integration: Integration) -> TemplateOffer:
        if self._templates is not None:
            return self._templates().offer(integration)
        return offer(whatsapp_templates_of(integration), [])

    def _thread(self, conversation: Conversation) -> tuple[Message | None, list[Message]]:
        """The conversation's first message and its latest ones (oldest first), for threading the reply."""
        latest, earlier = self._store.get_messages(conversation.tenant_id, conversation.id, _LATEST_MESSAGES)
        first = latest[0] if latest else None
        for _ in range(_PAGES_BACK):  # a longer conversation is answered with the oldest message found
            if not earlier:
                break
            older, earlier = self._store.get_messages(conversation.tenant_id, conversation.id, _PAGE, earlier)
            first = older[0] if older else first
        return first, latest


def check_reply_body(text: str, html: str | None, template: TemplateRequest | None, outgoing: Outgoing | None) -> None:
    """What a reply must hold, whoever sends it: a template, or text (which files may stand in for)."""
    files = bool(outgoing and outgoing.attachments)
    if template is not None:
        if text or html:
            field = "text" if text else "html"
            raise InvalidInputError(field, "a template reply has no text of its own: it is the template's, rendered")
        if files:
            raise InvalidInputError("attachments", "a template reply carries no file")
    elif not text and not files:
        raise InvalidInputError("text", "is required (or a WhatsApp `template`)")


def whatsapp_templates_of(integration: Integration) -> list[WhatsAppTemplate]:
    settings = integration.settings
    return list(settings.whatsapp_templates) if isinstance(settings, VonageSettings) else []


def reply_subject(conversation: Conversation) -> str:
    subject = conversation.subject or ""
    return subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()
