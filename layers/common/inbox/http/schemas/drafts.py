"""`/conversations/{id}/drafts`, `/suggestion` and `/summary`: the AI's drafts and summary as the web app shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from inbox.domain.autoreply.reasons import RefusalReason
from inbox.http.schemas.conversations import MessageOut
from inbox.models.ai_lookup import LookupCall
from inbox.models.ai_reply import ConversationSummary, HoldReason
from inbox.models.draft import Draft, DraftOutcome, DraftStatus, OutcomeReason

MAX_REPLY_CHARS = 100_000


class PassageOut(BaseModel):
    document_id: str
    passage_id: str
    title: str = Field(description="The knowledge-base document's title.")
    text: str


class ChosenPassageOut(BaseModel):
    document_id: str
    passage_id: str
    title: str = Field(description="The knowledge-base document's title.")


class DraftOut(BaseModel):
    id: str
    conversation_id: str
    message_id: str | None = Field(description="The customer message it answers.")
    source: Literal["auto_reply", "suggestion", "nudge"] = Field(
        description="The folder's auto-reply, asked for, or the folder's nudge to validate (not the AI's)."
    )
    mode: Literal["automatic", "validation"] | None = Field(description="The folder's mode, for an auto-reply.")
    status: DraftStatus = Field(
        description="`pending` waits for a person; `sent`, `discarded`; `refused` (the loop guard), "
        "`not_configured` (no model or company prompt) and `failed` (the send or the provider) say why "
        "nothing went out; `writing` and `sending` are in progress."
    )
    reason: RefusalReason | HoldReason | OutcomeReason | None = Field(
        description="A stable name: the loop guard's rule (`refused`), the hold (`pending` in automatic mode), "
        "or why nothing was written or sent (`not_configured`, `failed`, and the ends of superseded drafts)."
    )
    detail: str | None = Field(description="What exactly, in English.")
    text: str | None
    language: str | None
    confidence: float | None = Field(description="The model's, 0 to 1.")
    needs_person: bool | None
    ai_reason: str | None = Field(description="The model's one line about this answer.")
    passages: list[PassageOut] = Field(description="The knowledge-base passages the reply used.")
    knowledge_whole: bool | None = Field(
        description="What the prompt was given: true, the whole knowledge base; false, the passages chosen as "
        "most relevant to the conversation (`knowledge_chosen`); null when nothing was written."
    )
    knowledge_passages: int | None = Field(description="How many passages the prompt was given.")
    knowledge_chosen: list[ChosenPassageOut] = Field(
        description="Not the whole base: the passages chosen, the first 20 in the base's order (there may be "
        "more: `knowledge_passages`)."
    )
    lookups: list[LookupCall] = Field(
        description="The lookups the model called while writing it (issue 16): what each was asked and answered, "
        "or why it failed; a failed one holds an automatic reply (`lookup_failed`)."
    )
    hold: HoldReason | None
    outcome: DraftOutcome | None = Field(description="How it ended: auto_sent, sent_unchanged, sent_edited, discarded.")
    edit_ratio: float | None = Field(description="Sent edited: the share of characters changed, 0 to 1.")
    sent_message_id: str | None
    decided_by: str | None = Field(description="The person who sent or discarded it.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, draft: Draft) -> DraftOut:
        return cls.model_validate(draft.model_dump(include=set(cls.model_fields)))


class DraftList(BaseModel):
    items: list[DraftOut] = Field(description="Newest first: the pending ones, and how the latest others ended.")


class DraftSendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(
        None, min_length=1, max_length=MAX_REPLY_CHARS, description="The text to send; leave out to send it as drafted."
    )


class DraftSent(BaseModel):
    draft: DraftOut
    message: MessageOut = Field(description="The reply, `sent` or `failed` (then the draft stays pending).")


class SummaryOut(BaseModel):
    key_points: list[str]
    customer_wants: str
    promised: list[str]
    language: str
    covers_message_id: str = Field(description="The latest message it covers; newer ones make it again.")
    created_at: datetime
    made_now: bool = Field(description="False: the kept summary, no newer message since.")

    @classmethod
    def of(cls, summary: ConversationSummary, made_now: bool) -> SummaryOut:
        return cls(**summary.model_dump(include=set(cls.model_fields) - {"made_now"}), made_now=made_now)
