"""Why the loop guard says no: one stable name per rule, for the API, the web app and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RefusalReason(StrEnum):
    """Why a customer message gets no automatic reply. The values are stable: the API returns them
    and the web app words them in each language; `Refusal.detail` is for logs and is English."""

    NOT_CUSTOMER_MESSAGE = "not_customer_message"  # the message is ours (outbound), not the customer's
    CONVERSATION_SPAM = "conversation_spam"
    CONVERSATION_ARCHIVED = "conversation_archived"
    NO_RECIPIENT = "no_recipient"  # no address or number of the channel to answer to
    OWN_ADDRESS = "own_address"  # the sender or the recipient is one of the tenant's addresses or numbers
    AUTOMATED_MAIL = "automated_mail"  # its headers say a machine wrote it: bounce, auto-reply, list, X-Loop
    AUTOMATED_SENDER = "automated_sender"  # a machine's address: mailer-daemon, postmaster, noreply
    WHATSAPP_WINDOW_CLOSED = "whatsapp_window_closed"  # 24 hours since the customer last wrote
    ALREADY_ANSWERED = "already_answered"  # a reply went out after this message came in
    PREVIOUS_SEND_FAILED = "previous_send_failed"  # the last auto-reply failed: a person looks first
    NO_HUMAN_REPLY_SINCE_LAST_AUTO = "no_human_reply_since_last_auto"
    RECENT_REPLY = "recent_reply"  # a reply went out in this conversation in the last 2 minutes
    RATE_LIMITED_RECIPIENT = "rate_limited_recipient"  # the tenant's caps per recipient are reached


@dataclass(frozen=True)
class Refusal:
    """The guard's no: the rule, by its stable name, and what exactly it saw."""

    reason: RefusalReason
    detail: str
