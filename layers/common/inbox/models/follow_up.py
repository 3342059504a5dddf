"""A follow-up ("relance") a person schedules on a conversation: at a time, remind them, reopen the
conversation, send a written message or have the AI draft one; optionally only if the customer has
not written by then (issue 13, item 6).

It fires once, from a one-time schedule (`inbox.adapters.schedules`, FollowUpDueJob): `scheduled`
is the only state a fire works from, so a job delivered twice does the work once."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from inbox.models.whatsapp_template import TemplateChoice


class FollowUpAction(StrEnum):
    REMIND = "remind"  # a `follow_up_due` notification to its creator; the conversation back on top, open
    REOPEN = "reopen"  # the conversation open again, on top of the lists
    SEND = "send"  # `text` goes out through the one send path, as its creator
    DRAFT = "draft"  # the AI writes a reply, kept as a pending draft for a person


class FollowUpState(StrEnum):
    SCHEDULED = "scheduled"  # waiting for its time
    FIRING = "firing"  # claimed by a fire: its work is being done (once)
    DONE = "done"  # fired: `outcome` says what it did
    CANCELLED = "cancelled"  # by a person, or by the customer's answer (`outcome` says which)


class FollowUpOutcome(StrEnum):
    """What a follow-up came to, beyond its state."""

    REMINDED = "reminded"
    REOPENED = "reopened"
    SENT = "sent"
    SEND_FAILED = "send_failed"  # the send path recorded the message as failed (see the message)
    SEND_UNCONFIRMED = "send_unconfirmed"  # the send ended in an error: it may or may not have gone out
    DRAFTED = "drafted"
    DRAFT_FAILED = "draft_failed"  # the AI is not configured, or a draft already waits (see `detail`)
    TEMPLATE_NEEDED = "template_needed"  # WhatsApp's 24 h window was closed: its creator was notified
    CONVERSATION_GONE = "conversation_gone"
    CANCELLED = "cancelled"  # by a person
    CUSTOMER_ANSWERED = "customer_answered"  # `only_if_no_answer`, and the customer wrote first


class FollowUp(BaseModel):
    id: str
    tenant_id: str
    conversation_id: str
    created_by: str = Field(description="The person who scheduled it: notified, and the author of what it sends.")
    created_at: datetime
    due_at: datetime
    action: FollowUpAction
    text: str | None = Field(None, description="`send`: the message; otherwise an optional note for the reminder.")
    only_if_no_answer: bool = Field(False, description="Cancelled if the customer writes before `due_at`.")
    template: TemplateChoice | None = Field(
        None, exclude_if=lambda t: t is None, description="`send` on WhatsApp: sent if the window is closed."
    )
    state: FollowUpState = FollowUpState.SCHEDULED
    outcome: FollowUpOutcome | None = None
    detail: str | None = Field(None, description="Why, in English, when the outcome needs words.")
    fired_at: datetime | None = None
    message_id: str | None = Field(None, description="`send`: the message sent.")
    draft_id: str | None = Field(None, description="`draft`: the draft written.")
    version: int = 0
