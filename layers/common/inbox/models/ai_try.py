"""Trying the AI on a sample message (issue 16, item 3): what would happen, nothing stored or sent."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from inbox.domain.autoreply.reasons import RefusalReason
from inbox.models import Channel, Status
from inbox.models.ai_reply import ReplyProposal

MAX_SAMPLE_CHARS = 10_000  # a sample is typed by a person: a long mail's top is what rules and the model read
MAX_SAMPLE_HEADERS = 20  # a few headers to match a rule on; a mail keeps at most inbound_limits.KEPT_HEADERS


class UnfiledReason(StrEnum):
    """Why classification filed nothing (decider `none` or `skipped`): a stable name the API returns and the web
    app words in each language; the decision's `reason` says it in English for logs. Recorded with every
    classification decision (services/classify_decision.py), so the try and classification name it alike."""

    AUTOMATED = "automated"  # automated mail (a bounce, an auto-reply, a list, a noreply sender): never sorted
    FILED_BY_PERSON = "filed_by_person"  # a person chose the folder: classification leaves it there
    AI_CHOICE_STANDS = "ai_choice_stands"  # a re-sort with rules only keeps the AI's earlier choice
    RULES_ONLY = "rules_only"  # a re-sort with rules only: no rule matched, the AI was not asked
    NO_RULES = "no_rules"  # no folder's rules matched and no folder has an AI filter
    AI_NOT_CONFIGURED = "ai_not_configured"  # a folder has an AI filter but the tenant has no model
    AI_FAILED = "ai_failed"  # the model refused the settings (a wrong key, an unknown model)


class SampleMessage(BaseModel):
    """A customer's message as if it had just come in, on a new conversation."""

    channel: Channel
    sender: str = Field(
        min_length=1,
        max_length=320,
        description="Who writes: an email address, or a phone number for SMS and WhatsApp.",
    )
    sender_name: str | None = Field(None, max_length=100)
    to: str | None = Field(
        None,
        max_length=320,
        description="Which of your addresses or numbers it was sent to, as rules on `to` see it. Default: the "
        "address or first number of your first integration of that channel (none for a custom channel).",
    )
    subject: str | None = Field(None, max_length=1_000)
    text: str = Field(min_length=1, max_length=MAX_SAMPLE_CHARS)
    headers: dict[str, str] = Field(
        default_factory=dict,
        max_length=MAX_SAMPLE_HEADERS,
        description="Email only: mail headers by name (List-Id, Auto-Submitted, ...), for rules on "
        "`header:<Name>` and the automated-mail detection; only the headers a message keeps are accepted.",
    )


class TryDecision(BaseModel):
    """Where the sample would be filed, and who decided."""

    decider: Literal["rule", "ai", "none", "skipped"] = Field(
        description="rule: a folder's rules matched; ai: the AI filter chose; none: neither filed it (it stays "
        "in the inbox, `reason` says why); skipped: automated mail, never sorted."
    )
    folder_id: str | None = None
    folder_name: str | None = Field(None, description="The folder, by name (a rule decides by its folder's name).")
    reason: str | None = Field(
        None, description="The AI's one sentence, or why nothing filed it in English (a technical detail)."
    )
    reason_code: UnfiledReason | None = Field(
        None,
        description="Why nothing filed it, as a stable name (decider none or skipped; null when a rule or the AI "
        "decided). A try, a new conversation's first message, gets automated, no_rules, ai_not_configured or "
        "ai_failed; the other names are classification's re-sorts and a person's filing.",
    )
    intent: str | None = Field(None, description="The AI's; null when a rule decided (the AI is not asked then).")
    urgency: str | None = Field(None, description="low, normal or high; null when the AI was not asked.")
    spam: bool | None = None
    confidence: Literal["low", "medium", "high"] | None = None
    status: Status = Field(description="The status the conversation would get: new, urgent (the AI, sure) or spam.")
    tokens: int | None = Field(None, description="The AI filter's tokens, when asked (not counted in statistics).")


class TryReply(BaseModel):
    """What the folder's auto-reply would do with the sample."""

    outcome: Literal["send", "hold", "refused", "no_auto_reply", "not_configured", "failed"] = Field(
        description="send: automatic mode would send it at once; hold: it would wait as a draft for a person "
        "(`reason`: validation_mode or the hold); refused: the loop guard says no (`reason`: its rule); "
        "no_auto_reply: no folder, or the folder does not answer by itself; not_configured and failed: "
        "nothing could be written (`reason` says why)."
    )
    mode: Literal["automatic", "validation"] | None = None
    reason: str | None = Field(
        None,
        description="A stable name: validation_mode, a hold (low_confidence, needs_person, ...), a loop-guard "
        "rule, no_folder, auto_reply_off, ai_not_configured, company_prompt_missing or ai_refused.",
    )
    detail: str | None = Field(None, description="What exactly, in English.")
    proposal: ReplyProposal | None = Field(
        None, description="The reply the folder's auto-reply would write, with its confidence, passages and lookups."
    )


class TryResult(BaseModel):
    decision: TryDecision
    reply: TryReply
    not_checked: list[RefusalReason] = Field(
        description="The loop guard's rules that depend on the conversation's history or on the recipient's "
        "recent auto-replies: a sample has neither, so they are not applied to it."
    )
