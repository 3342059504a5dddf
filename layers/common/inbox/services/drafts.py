"""People and the AI's drafts: list them, send one (as drafted or edited) or discard it, ask for one
on demand, and the conversation's summary (made again only when newer messages exist)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from inbox.domain import conversations as conversation_rules
from inbox.domain.drafts import outcome_counters, sent_outcome
from inbox.domain.ids import new_id
from inbox.errors import (
    AiNotConfiguredError,
    CompanyPromptMissingError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermanentError,
)
from inbox.models import Conversation, DeliveryState, Folder, Message, Principal
from inbox.models.ai_reply import ConversationSummary
from inbox.models.draft import Draft, DraftOutcome, DraftStatus, OutcomeReason
from inbox.observability import logger
from inbox.services.autoreply import READ_MESSAGES, ReplyWriter, latest_inbound

SUGGESTION_LEASE = timedelta(seconds=40)  # over the API's 29 s: a crashed request frees it soon


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]: ...
    def get_folder(self, tenant_id: str, folder_id: str) -> Folder | None: ...
    def get_draft(self, tenant_id: str, conversation_id: str, draft_id: str) -> Draft | None: ...
    def list_drafts(self, tenant_id: str, conversation_id: str, limit: int = 20) -> list[Draft]: ...
    def create_draft(self, draft: Draft) -> None: ...
    def decide_draft(self, after: Draft, attempt: str, expected: DraftStatus = DraftStatus.PENDING) -> None: ...
    def lock_suggestion(self, tenant_id: str, conversation_id: str, now: datetime, until: datetime) -> bool: ...
    def unlock_suggestion(self, tenant_id: str, conversation_id: str) -> None: ...
    def get_summary(self, tenant_id: str, conversation_id: str) -> ConversationSummary | None: ...
    def save_summary(self, tenant_id: str, conversation_id: str, summary: ConversationSummary) -> None: ...
    def count_ai_replies(self, tenant_id: str, day: str, counters: dict[str, int]) -> None: ...


class Reply(Protocol):
    """services.send.Replies.reply: the one send path, as the person."""

    def __call__(self, who: Principal, conversation_id: str, text: str) -> Message: ...


class Drafts:
    def __init__(
        self,
        store: Store,
        writer: Callable[[], ReplyWriter],
        reply: Reply,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ):
        self._store = store
        self._writer = writer
        self._reply = reply
        self._clock = clock

    def list(self, who: Principal, conversation_id: str) -> list[Draft]:
        self._conversation(who, conversation_id)
        return self._store.list_drafts(who.tenant_id, conversation_id)

    def send(self, who: Principal, conversation_id: str, draft_id: str, text: str | None) -> tuple[Draft, Message]:
        """Send a pending draft as `who`, as drafted (`text` None) or edited; how much was changed is
        recorded on it. 409 when it is not pending (sent, discarded, being sent by someone else)."""
        draft = self._pending(who, conversation_id, draft_id)
        final_text = draft.text or "" if text is None else text
        if not final_text.strip():
            raise InvalidInputError("text", "is empty: write the reply, or discard the draft")
        attempt = new_id()
        sending = draft.model_copy(
            update={"status": DraftStatus.SENDING, "decided_by": who.user_id, "updated_at": self._clock()}
        )
        self._decide(sending, attempt)
        try:
            message = self._reply(who, conversation_id, final_text)
        except Exception:
            self._store.decide_draft(draft, attempt, DraftStatus.SENDING)  # back to pending, as it was
            raise
        if message.delivery is DeliveryState.FAILED:
            # The failed reply shows in the conversation; the draft waits to be sent again.
            back = draft.model_copy(
                update={
                    "reason": OutcomeReason.SEND_FAILED,
                    "detail": message.delivery_error,
                    "updated_at": self._clock(),
                }
            )
            self._store.decide_draft(back, attempt, DraftStatus.SENDING)
            return back, message
        outcome, ratio = sent_outcome(draft.text or "", final_text)
        sent = sending.model_copy(
            update={
                "status": DraftStatus.SENT,
                "outcome": outcome,
                "edit_ratio": ratio,
                "sent_message_id": message.id,
                "updated_at": self._clock(),
            }
        )
        self._store.decide_draft(sent, attempt, DraftStatus.SENDING)
        if draft.source != "nudge":  # a folder's nudge is not the AI's: its accuracy counts stay the AI's
            self._count(who, outcome_counters(outcome, ratio))
        return sent, message

    def discard(self, who: Principal, conversation_id: str, draft_id: str) -> Draft:
        draft = self._pending(who, conversation_id, draft_id)
        discarded = draft.model_copy(
            update={
                "status": DraftStatus.DISCARDED,
                "outcome": DraftOutcome.DISCARDED,
                "decided_by": who.user_id,
                "updated_at": self._clock(),
            }
        )
        self._decide(discarded, new_id())
        if draft.source != "nudge":
            self._count(who, outcome_counters(DraftOutcome.DISCARDED))
        return discarded

    def suggest(self, who: Principal, conversation_id: str) -> Draft:
        """A draft written now for any conversation (one model call), kept pending for a person. 409
        while another draft of it is pending or being written: that one is to be sent or discarded."""
        conversation = self._conversation(who, conversation_id)
        waiting = [
            d for d in self._store.list_drafts(who.tenant_id, conversation_id) if d.status is DraftStatus.PENDING
        ]
        if waiting:
            raise ConflictError(f"draft {waiting[0].id} is waiting: send or discard it first")
        now = self._clock()
        if not self._store.lock_suggestion(who.tenant_id, conversation_id, now, now + SUGGESTION_LEASE):
            raise ConflictError("a draft for this conversation is being written")
        try:
            messages, _ = self._store.get_messages(who.tenant_id, conversation_id, READ_MESSAGES)
            folder = self._store.get_folder(who.tenant_id, conversation.folder_id) if conversation.folder_id else None
            proposal = _asking(lambda: self._writer().write(conversation, messages, folder=folder, now=now))
            answered = latest_inbound(messages)
            draft = Draft(
                id=new_id(),
                tenant_id=who.tenant_id,
                conversation_id=conversation_id,
                message_id=answered.id if answered else None,
                source="suggestion",
                status=DraftStatus.PENDING,
                created_at=now,
                updated_at=now,
            ).with_proposal(proposal)
            if proposal.hold is not None:
                draft = draft.model_copy(update={"reason": proposal.hold.value, "detail": proposal.hold_detail})
            self._store.create_draft(draft)
        finally:
            try:
                self._store.unlock_suggestion(who.tenant_id, conversation_id)
            except Exception:  # its lease runs out by itself
                logger.exception("suggestion lock not released")
        self._count(who, {"ai_reply:suggested": 1})
        return draft

    def summary(self, who: Principal, conversation_id: str) -> tuple[ConversationSummary, bool]:
        """The conversation's summary, and whether it was made now: the kept one while no message is
        newer than the one it covers up to (no model call), else made again and kept."""
        conversation = self._conversation(who, conversation_id)
        messages, _ = self._store.get_messages(who.tenant_id, conversation_id, READ_MESSAGES)
        if not messages:
            raise InvalidInputError("conversation_id", "has no messages to summarise")
        kept = self._store.get_summary(who.tenant_id, conversation_id)
        if kept is not None and kept.covers_message_id == messages[-1].id:
            return kept, False
        made = _asking(lambda: self._writer().summarize(conversation, messages, now=self._clock()))
        self._store.save_summary(who.tenant_id, conversation_id, made)
        return made, True

    def _conversation(self, who: Principal, conversation_id: str) -> Conversation:
        conversation = self._store.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        return conversation

    def _pending(self, who: Principal, conversation_id: str, draft_id: str) -> Draft:
        self._conversation(who, conversation_id)
        draft = self._store.get_draft(who.tenant_id, conversation_id, draft_id)
        if draft is None:
            raise NotFoundError(f"draft {draft_id}")
        if draft.status is not DraftStatus.PENDING:
            raise ConflictError(f"the draft is {draft.status}, not pending")
        return draft

    def _decide(self, after: Draft, attempt: str) -> None:
        try:
            self._store.decide_draft(after, attempt)
        except ConflictError:
            raise ConflictError("the draft was sent or discarded meanwhile") from None

    def _count(self, who: Principal, counters: dict[str, int]) -> None:
        try:
            self._store.count_ai_replies(who.tenant_id, conversation_rules.day_of(self._clock()), counters)
        except Exception:
            logger.exception("draft statistics not counted")


def _asking[T](call: Callable[[], T]) -> T:
    """The model's answer; settings the provider refuses (key, model, URL) are the tenant's to fix,
    said as "not configured" (a 409), never a 500."""
    try:
        return call()
    except (AiNotConfiguredError, CompanyPromptMissingError):
        raise
    except PermanentError as error:
        raise AiNotConfiguredError(str(error)) from error


def pending(drafts: Sequence[Draft]) -> list[Draft]:
    return [d for d in drafts if d.status is DraftStatus.PENDING]
