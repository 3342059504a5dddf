"""A reply the AI wrote for a conversation, and what became of it.

An automatic reply's draft is keyed by the customer message it answers (its id is that message's
id), so however often its job is delivered there is one draft, one outcome. A draft asked for
on demand (the "suggestion") has an id of its own.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from inbox.models.ai_lookup import LookupCall
from inbox.models.ai_reply import HoldReason, ReplyProposal
from inbox.models.knowledge import Passage, PassageRef


class DraftStatus(StrEnum):
    """Where a draft is. `writing` and `sending` are an attempt's, under its lease; the rest are ends
    but `pending`, which waits for a person."""

    WRITING = "writing"  # claimed: the model is being asked
    SENDING = "sending"  # automatic mode: handed to the send path
    PENDING = "pending"  # waiting for a person: validation mode, held, or asked for on demand
    SENT = "sent"  # went out: automatically, or by a person (see `outcome`)
    DISCARDED = "discarded"  # a person threw it away
    REFUSED = "refused"  # the loop guard said no (`reason` names the rule)
    NOT_CONFIGURED = "not_configured"  # no AI model, or no company prompt: nothing written, nothing sent
    FAILED = "failed"  # the send failed, or the provider refused the settings: recorded, never retried


# Ends: nothing changes them any more. Settled: no attempt works on them (a pending one waits for a person).
FINAL = frozenset(
    (DraftStatus.SENT, DraftStatus.DISCARDED, DraftStatus.REFUSED, DraftStatus.NOT_CONFIGURED, DraftStatus.FAILED)
)
SETTLED = FINAL | {DraftStatus.PENDING}


class OutcomeReason(StrEnum):
    """Why an auto-reply was not written or not sent, beyond the loop guard's rules
    (domain.autoreply.RefusalReason) and the writer's holds (HoldReason)."""

    AI_NOT_CONFIGURED = "ai_not_configured"  # no AI model for the tenant or the deployment
    COMPANY_PROMPT_MISSING = "company_prompt_missing"  # the seed: the company prompt is required
    INTERRUPTED = "interrupted_while_sending"  # an attempt died after "sending": never sent twice
    SUPERSEDED = "superseded"  # newer messages came since this one
    AUTO_REPLY_OFF = "auto_reply_off"  # the folder no longer answers by itself
    SEND_FAILED = "send_failed"
    AI_REFUSED = "ai_refused"  # the provider refused the settings (key, model, URL)
    GAVE_UP = "gave_up"  # every try of the job failed (the model down, say): it is in the dead-letter queue


class DraftOutcome(StrEnum):
    """How a draft ended, for the AI reply accuracy statistics."""

    AUTO_SENT = "auto_sent"
    SENT_UNCHANGED = "sent_unchanged"
    SENT_EDITED = "sent_edited"
    DISCARDED = "discarded"


class Draft(BaseModel):
    id: str = Field(description="The answered message's id for an automatic reply; its own for a suggestion.")
    tenant_id: str
    conversation_id: str
    message_id: str | None = Field(None, description="The customer message it answers.")
    source: Literal["auto_reply", "suggestion", "nudge"] = Field(
        description="nudge: a folder's automatic follow-up kept for a person to validate (not the AI's)."
    )
    mode: Literal["automatic", "validation"] | None = Field(None, description="The folder's mode (auto replies).")
    status: DraftStatus
    reason: str | None = Field(
        None,
        description="Why it was not sent by itself: a loop-guard reason (`refused`), a hold reason (`pending` "
        "in automatic mode), or an OutcomeReason (`not_configured`, `failed`...).",
    )
    detail: str | None = Field(None, description="What exactly, in English (the reason is the stable name).")
    text: str | None = None
    language: str | None = None
    confidence: float | None = None
    needs_person: bool | None = None
    ai_reason: str | None = Field(None, description="The model's one line: why this answer.")
    passages: list[Passage] = Field(default_factory=list, description="The knowledge-base passages it used.")
    knowledge_whole: bool | None = Field(None, description="Whether the prompt was given the whole base.")
    knowledge_passages: int | None = Field(None, description="How many passages the prompt was given.")
    knowledge_chosen: list[PassageRef] = Field(
        default_factory=list, description="Not the whole base: the passages chosen (ReplyProposal.knowledge_chosen)."
    )
    lookups: list[LookupCall] = Field(
        default_factory=list, description="The lookups the model called while writing it, and what came back."
    )
    hold: HoldReason | None = None
    outcome: DraftOutcome | None = None
    edit_ratio: float | None = Field(None, description="Sent edited: the share of characters changed, 0 to 1.")
    sent_message_id: str | None = None
    decided_by: str | None = Field(None, description="The person who sent or discarded it.")
    prompt_tokens: int | None = None
    cached_tokens: int | None = None
    created_at: datetime
    updated_at: datetime

    def with_proposal(self, proposal: ReplyProposal) -> Draft:
        """The model's answer written into the draft."""
        return self.model_copy(
            update={
                "text": proposal.text,
                "language": proposal.language,
                "confidence": proposal.confidence,
                "needs_person": proposal.needs_person,
                "ai_reason": proposal.reason,
                "passages": list(proposal.passages),
                "knowledge_whole": proposal.knowledge_whole,
                "knowledge_passages": proposal.knowledge_passages,
                "knowledge_chosen": list(proposal.knowledge_chosen),
                "lookups": list(proposal.lookups),
                "hold": proposal.hold,
                "prompt_tokens": proposal.usage.prompt_tokens,
                "cached_tokens": proposal.usage.cached_tokens,
            }
        )
