"""What the AI proposes as a reply to a conversation, and why it may not go out by itself."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from inbox.models.ai_lookup import LookupCall
from inbox.models.knowledge import Passage, PassageRef

CHOSEN_KEPT = 20  # of the passages chosen for a prompt, those a draft names (the base may hold thousands)


class HoldReason(StrEnum):
    """Why a reply written in automatic mode is kept as a draft for a person instead of being sent."""

    LOW_CONFIDENCE = "low_confidence"  # under the folder's threshold
    NEEDS_PERSON = "needs_person"  # the model says a person must answer
    UNKNOWN_LINK = "unknown_link"  # a link found neither in the knowledge base nor in the company prompt
    UNKNOWN_PHONE = "unknown_phone"  # a phone number found in neither
    TOO_LONG = "too_long"  # over the channel's limit: a person shortens it rather than a cut mid-sentence
    LOOKUP_FAILED = "lookup_failed"  # a lookup the model called failed: its facts may be missing or wrong


class TokenUsage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0  # of prompt_tokens, served from the provider's prompt cache


class ReplyProposal(BaseModel):
    """The model's answer for a conversation (a strict JSON schema; one call, or a few when it calls
    the tenant's lookups first)."""

    text: str
    language: str = Field(description="BCP 47 language of the reply, e.g. `fr` or `en`.")
    confidence: float = Field(ge=0, le=1)
    needs_person: bool
    reason: str = Field(description="One line: why this answer, or why a person is needed.")
    passages: list[Passage] = Field(default_factory=list, description="The knowledge-base passages it used.")
    knowledge_whole: bool | None = Field(None, description="Whether the prompt was given the whole base.")
    knowledge_passages: int | None = Field(None, description="How many passages the prompt was given.")
    knowledge_chosen: list[PassageRef] = Field(
        default_factory=list,
        description=f"Not the whole base: the passages chosen, the first {CHOSEN_KEPT} in the base's order.",
    )
    lookups: list[LookupCall] = Field(
        default_factory=list, description="The tenant's lookups the model called while writing it, in order."
    )
    usage: TokenUsage = Field(default_factory=TokenUsage, description="Every completion of the reply, summed.")
    hold: HoldReason | None = Field(None, description="Set when automatic mode must keep it as a draft.")
    hold_detail: str | None = None


class ConversationSummary(BaseModel):
    """The AI summary of a conversation, up to and including the message `covers_message_id`;
    made again only when newer messages exist."""

    key_points: list[str] = Field(default_factory=list, description="What matters, one short line each.")
    customer_wants: str = Field("", description="What the customer asks for, in one sentence.")
    promised: list[str] = Field(default_factory=list, description="What the business promised, if anything.")
    language: str = Field("en", description="BCP 47 language the summary is written in.")
    covers_message_id: str = Field(description="The id of the last message the summary covers.")
    created_at: datetime
    usage: TokenUsage = Field(default_factory=TokenUsage)
