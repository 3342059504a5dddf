"""Where a message's conversation goes: the one decision classification makes (services/classify.py)
and the AI try shows (services/ai_try.py), so the two cannot drift apart (issue 16 review, answers #6).

Pure but for two callables: `config` reads the tenant's AI settings (asked only when a folder has an
AI filter) and `ask` calls the model (asked at most once; the caller counts its usage, or not).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from inbox.domain import classification
from inbox.domain.rules import FolderRules, MessageFacts, first_match, parse_rules
from inbox.errors import PermanentError, TransientError
from inbox.models import ClassifiedBy, Conversation, Direction, Folder, Message
from inbox.models.ai_try import UnfiledReason
from inbox.services.ai_settings import AiConfig

NOT_CONFIGURED = "AI classification not configured"

# The model's answer to the folders it was offered, and what it cost (its usage: prompt and completion tokens).
Ask = Callable[[AiConfig, list[Folder]], tuple[classification.AiAnswer, Any]]


def decide(
    conversation: Conversation,
    message: Message,
    folders: list[Folder],
    *,
    config: Callable[[], AiConfig | None],
    ask: Ask,
    now: datetime,
    ask_ai: bool = True,
    again: bool = False,
) -> tuple[dict[str, Any], Conversation]:
    """The decision record and the conversation after it. `again`: a background re-sort (the decision is
    made anew); without `ask_ai`, a re-sort only re-runs the rules and keeps what the AI chose before.
    A new conversation (no folder, no decision, not pinned) is what the AI try decides for. A decision
    that files nothing (`none`, `skipped`) says why in English and by a stable name (`unfiled`)."""
    decision: dict[str, Any] = {"message_id": message.id, "decided_at": now.isoformat()}
    if conversation.automated:
        why = f"automated mail ({conversation.automated})"
        return decision | unfiled("skipped", UnfiledReason.AUTOMATED, why), conversation
    if conversation.folder_pinned:
        return decision | unfiled("skipped", UnfiledReason.FILED_BY_PERSON, "filed by a person"), conversation
    folder_id = rule_folder(folders, facts_of(conversation, message))
    if folder_id is not None:
        by = ClassifiedBy(decider="rule", folder_id=folder_id)
        after = conversation.model_copy(update={"folder_id": folder_id, "classified_by": by})
        return decision | by.model_dump(exclude_none=True), after
    previous = conversation.classified_by
    if not again and conversation.folder_id is not None:
        # A new message in a filed conversation: only a rule may move it (above), not its silence.
        return decision | {"decider": "kept", "folder_id": conversation.folder_id}, conversation
    if not ask_ai and previous is not None and previous.decider == "ai":
        return decision | unfiled("skipped", UnfiledReason.AI_CHOICE_STANDS, "the AI's choice stands"), conversation
    if previous is not None and previous.decider == "rule":
        # The rule that filed it no longer holds (the rules changed): back to the inbox, unless
        # the AI files it below.
        conversation = conversation.model_copy(update={"folder_id": None, "classified_by": None})
    filtered = [f for f in folders if f.ai_filter]
    settings = config() if filtered and ask_ai else None
    if filtered and not ask_ai:
        return decision | unfiled("none", UnfiledReason.RULES_ONLY, "rules only in this re-sort"), conversation
    if settings is None:
        note = NOT_CONFIGURED if filtered else None
        after = conversation.model_copy(update={"classification_note": note})
        code = UnfiledReason.AI_NOT_CONFIGURED if filtered else UnfiledReason.NO_RULES
        return decision | {"folder_id": None} | unfiled("none", code, note or "no folder has rules for it"), after
    try:
        answer, usage = ask(settings, filtered)
    except PermanentError as error:  # the settings are wrong: say so, do not retry forever
        note = f"AI classification failed: {error}"
        after = conversation.model_copy(update={"classification_note": note[:300]})
        return decision | unfiled("none", UnfiledReason.AI_FAILED, note), after
    by = ClassifiedBy(
        decider="ai",
        folder_id=answer.folder_id,
        model=settings.model,
        tokens=usage.prompt_tokens + usage.completion_tokens,
        reason=answer.reason,
    )
    after = conversation.model_copy(
        update={
            "folder_id": answer.folder_id,
            "intent": answer.intent,
            "urgency": answer.urgency,
            "status": classification.status_after(conversation.status, answer),
            "classified_by": by,
            "classification_note": None,
        }
    )
    extra = {"spam": answer.spam, "confidence": answer.confidence, "folder_id": answer.folder_id}
    return decision | by.model_dump(exclude_none=True) | extra, after


def unfiled(decider: str, code: UnfiledReason, reason: str) -> dict[str, Any]:
    """A decision that files nothing: why, in English for logs (`reason`) and by its stable name (`reason_code`)."""
    return {"decider": decider, "reason": reason, "reason_code": code.value}


def rule_folder(folders: list[Folder], facts: MessageFacts) -> str | None:
    """The first folder, in the folders' order, whose rules hold for a message."""
    ruled = [FolderRules(f.id, parse_rules(f.rules)) for f in folders if f.rules]
    return first_match(ruled, facts)


def classification_prompt(
    folders: list[Folder], conversation: Conversation, messages: list[Message]
) -> list[dict[str, str]]:
    """What the AI filter is asked: the instructions and folders first (cached), the conversation as data last."""
    return [
        {"role": "system", "content": classification.INSTRUCTIONS},
        {"role": "system", "content": classification.folders_prompt(folders)},
        {
            "role": "user",
            "content": classification.conversation_data(conversation.subject, conversation.channel, messages),
        },
    ]


def read_ai_answer(document: Any, folders: list[Folder]) -> classification.AiAnswer:
    """The model's answer, or TransientError when it cannot be used (the queue asks again later)."""
    try:
        return classification.read_answer(document, folders)
    except ValueError as error:
        raise TransientError(f"the AI answer could not be used: {error}") from error


def facts_of(conversation: Conversation, message: Message) -> MessageFacts:
    """What rules see of a message."""
    sender = message.sender if message.direction is Direction.INBOUND else conversation.contact
    return MessageFacts(
        from_email=sender.email or "",
        from_name=sender.name or "",
        from_phone=sender.phone or "",
        to=", ".join(p.email or p.phone or "" for p in message.to),
        subject=message.subject or conversation.subject or "",
        body=message.text,
        channel=str(message.channel),
        headers=message.headers,
    )
