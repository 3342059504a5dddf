"""The loop guard: whether a customer's message may be answered automatically, and if not, why.

Pure: the consumer of AutoReplyQueue reads the conversation, the message, the conversation's
replies, when auto-replies last went to this recipient and the tenant's caps, and asks. The
rules, in the order they are asked (the first that says no names the reason):
1. only a customer's message, in a conversation that is neither spam nor archived;
2. never to a machine, nor to ourselves: automated mail, machine addresses, our own addresses;
3. WhatsApp only within 24 hours of the customer's last message (free-form text is refused after);
4. one reply per customer message, and one auto-reply until a person replies: a failed auto-reply
   waits for a person (never retried in a loop), a reply in the last 2 minutes holds any other;
5. the tenant's caps per recipient, across conversations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from inbox.domain.autoreply.limits import AutoReplyLimits, cap_refusal
from inbox.domain.autoreply.reasons import Refusal, RefusalReason
from inbox.domain.autoreply.senders import machine_refusal, recipient_refusal
from inbox.domain.conversations import reply_refusal
from inbox.models import Channel, Conversation, DeliveryState, Direction, Message, Status

QUIET_PERIOD = timedelta(minutes=2)  # after any reply, person's or automatic, no auto-reply


@dataclass(frozen=True)
class SentReply:
    """A reply of the conversation, as far as the guard cares: when, by whom, and whether it failed."""

    at: datetime
    automatic: bool  # sent by the auto-reply (or by another responder of the business), not by a person
    failed: bool = False


def sent_replies(messages: Iterable[Message]) -> list[SentReply]:
    """The outbound messages among `messages` as the guard sees them. Automatic: marked as our
    auto-reply, or machine-written mail found in the business's Sent folder (its own vacation
    responder). A person's reply from the business's mail client counts as a person's."""
    return [
        SentReply(
            at=message.sent_at or message.received_at,
            automatic=message.auto_reply or bool(message.automated),
            failed=message.delivery is DeliveryState.FAILED,
        )
        for message in messages
        if message.direction is Direction.OUTBOUND
    ]


@dataclass(frozen=True, kw_only=True)
class AutoReplyCase:
    """Everything the guard decides on.

    `replies`: the conversation's replies, at least its latest ones (`sent_replies` of its latest
    messages), in any order. `recipient_auto_replies`: when auto-replies went to the same recipient
    in the last 24 hours, in any of the tenant's conversations, failed ones included.
    `own_identities`: the tenant's addresses and numbers (`own_identities(...)`).
    """

    conversation: Conversation
    message: Message  # the customer's message to answer
    replies: Sequence[SentReply] = ()
    recipient_auto_replies: Sequence[datetime] = ()
    own_identities: frozenset[str] = frozenset()
    limits: AutoReplyLimits = field(default_factory=AutoReplyLimits)
    now: datetime


def auto_reply_refusal(case: AutoReplyCase) -> Refusal | None:
    """Why `case.message` must not be answered automatically now; None when it may."""
    conversation, message = case.conversation, case.message
    if message.direction is not Direction.INBOUND:
        return Refusal(RefusalReason.NOT_CUSTOMER_MESSAGE, "only a customer's message is answered automatically")
    if conversation.status is Status.SPAM:
        return Refusal(RefusalReason.CONVERSATION_SPAM, "the conversation is marked as spam")
    if conversation.status is Status.ARCHIVED:
        return Refusal(RefusalReason.CONVERSATION_ARCHIVED, "the conversation is archived")
    refusal = recipient_refusal(conversation.channel, conversation.contact) or machine_refusal(
        message, conversation.contact, case.own_identities
    )
    if refusal:
        return refusal
    if conversation.channel is Channel.WHATSAPP and reply_refusal(conversation, case.now):
        return Refusal(RefusalReason.WHATSAPP_WINDOW_CLOSED, "more than 24 hours since the customer last wrote")
    return _replies_refusal(message, case.replies, case.now) or cap_refusal(
        case.recipient_auto_replies, case.limits, case.now
    )


def _replies_refusal(message: Message, replies: Sequence[SentReply], now: datetime) -> Refusal | None:
    if any(not reply.failed and reply.at > message.received_at for reply in replies):
        return Refusal(RefusalReason.ALREADY_ANSWERED, "a reply went out after this message came in")
    # The latest reply; at the same moment, an automatic one counts as the later (the safer reading).
    latest = max(replies, key=lambda reply: (reply.at, reply.automatic), default=None)
    if latest is not None and latest.automatic:
        if latest.failed:
            return Refusal(RefusalReason.PREVIOUS_SEND_FAILED, "the last auto-reply failed; a person answers next")
        return Refusal(RefusalReason.NO_HUMAN_REPLY_SINCE_LAST_AUTO, "no person has replied since the last auto-reply")
    if any(now - reply.at < QUIET_PERIOD for reply in replies):
        return Refusal(RefusalReason.RECENT_REPLY, "a reply went out in this conversation in the last 2 minutes")
    return None
