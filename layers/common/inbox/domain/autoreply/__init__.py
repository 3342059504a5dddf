"""Automatic replies: the loop guard that decides whether one may go out, and the headers it carries.

guard.py holds the rules (`auto_reply_refusal`), reasons.py the named reasons, senders.py what
tells a machine's mail or our own, limits.py the per-recipient caps, email_headers.py the
RFC 3834 headers of an emailed reply.
"""

from inbox.domain.autoreply.email_headers import reply_headers
from inbox.domain.autoreply.guard import QUIET_PERIOD, AutoReplyCase, SentReply, auto_reply_refusal, sent_replies
from inbox.domain.autoreply.limits import AutoReplyLimits, cap_refusal
from inbox.domain.autoreply.reasons import Refusal, RefusalReason
from inbox.domain.autoreply.senders import own_identities

__all__ = [
    "QUIET_PERIOD",
    "AutoReplyCase",
    "AutoReplyLimits",
    "Refusal",
    "RefusalReason",
    "SentReply",
    "auto_reply_refusal",
    "cap_refusal",
    "own_identities",
    "reply_headers",
    "sent_replies",
]
