"""The AutoReplyQueue's consumer: one outcome per customer message, however often its job comes.

A job names a customer message filed into a folder that answers by itself. Its draft item, keyed
by that message, is created with a condition: the attempt that holds it (by a lease) decides the
outcome, and every other delivery of the job finds it and stops. What an attempt does:

1. the loop guard (domain.autoreply) on the conversation, its replies, the recipient's recent
   auto-replies across conversations, our own addresses and the tenant's caps: no -> `refused`
   with the rule's name;
2. the reply writer (one model call, or a few with the tenant's lookups, within WRITE_SECONDS): no
   model or no company prompt -> `not_configured`, nothing sent, no retry; the model down, slow or
   answering garbage -> the lease is given back and the job fails, so the queue's next delivery
   writes it;
3. automatic mode, nothing held -> `sending` is recorded first, then the one send path sends it
   marked as an auto-reply -> `sent` or `failed` (recorded, never tried again). An attempt that
   finds `sending` left by a crashed one never sends: it may have gone out, so it is `failed`;
4. validation mode, or a reply held (low confidence, a person needed, an unknown link) -> `pending`
   with the reason, for a person to send or discard.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

from inbox.domain import conversations as conversation_rules
from inbox.domain.autoreply import (
    AutoReplyCase,
    AutoReplyLimits,
    auto_reply_refusal,
    own_identities,
    sent_replies,
)
from inbox.domain.autoreply.limits import DAY
from inbox.domain.ids import new_id
from inbox.errors import (
    AiNotConfiguredError,
    CompanyPromptMissingError,
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermanentError,
    TransientError,
)
from inbox.models import Channel, Conversation, DeliveryState, Direction, Folder, Integration, Message, Principal, Role
from inbox.models.ai_reply import ConversationSummary, ReplyProposal
from inbox.models.draft import Draft, DraftOutcome, DraftStatus, OutcomeReason
from inbox.models.integration_settings import EmailSettings, VonageSettings
from inbox.models.jobs import AutoReplyJob
from inbox.observability import logger

# The classifier queues the job just before it records its decision (a crash between cannot lose the
# job), so a warm consumer may come first: it waits this long, in steps, then lets the queue retry.
CLASSIFIED_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
# Another message's auto-reply of the same conversation being written: waited for (one model call),
# then the queue retries; the guard then sees that reply.
CONVERSATION_WAITS = (0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
QUEUE_TRIES = 5  # AutoReplyQueue's maxReceiveCount (template.yaml): after that, the dead-letter queue
# The reply's time (ai_replies "Time"): its lookups (MAX_CALLS_PER_REPLY, 5 s each) and their
# completions (8 s at most each) when the model answers in its usual time.
WRITE_SECONDS = 60.0
# Sending it: an SMTP session and the copy to Sent over IMAP, or Vonage's tries (16 s): an estimate,
# not a bound, kept in AutoReplyFunction's Timeout with the waits above and WRITE_SECONDS.
SEND_SECONDS = 30.0
FUNCTION_TIMEOUT_SECONDS = (
    120  # AutoReplyFunction's Timeout (template.yaml; tests/functional/test_template_deadlines.py)
)
LEASE = timedelta(seconds=240)  # over the function's timeout: a holder still running never loses it
READ_MESSAGES = 50  # the conversation as the guard and the writer read it: its latest messages
AUTO_REPLY_AUTHOR = "auto-reply"  # the principal an auto-reply is sent as (its message has no author)


class ReplyWriter(Protocol):
    """inbox.services.ai_replies.ReplyWriter: one model call per reply, a few with lookups."""

    def write(
        self,
        conversation: Conversation,
        messages: Sequence[Message],
        *,
        folder: Folder | None,
        now: datetime,
        budget: float = ...,
    ) -> ReplyProposal: ...

    def summarize(
        self, conversation: Conversation, messages: Sequence[Message], *, now: datetime
    ) -> ConversationSummary: ...


class Send(Protocol):
    """services.send.Replies.reply: the one send path."""

    def __call__(self, who: Principal, conversation_id: str, text: str, *, auto_reply: bool = False) -> Message: ...


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def lock_auto_reply(self, tenant_id: str, conversation_id: str, now: datetime, until: datetime) -> bool: ...
    def unlock_auto_reply(self, tenant_id: str, conversation_id: str) -> None: ...
    def has_classification(self, tenant_id: str, conversation_id: str, message_id: str) -> bool: ...
    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]: ...
    def get_folder(self, tenant_id: str, folder_id: str) -> Folder | None: ...
    def list_integrations(self, tenant_id: str) -> list[Integration]: ...
    def claim_draft(self, draft: Draft, attempt: str, now: datetime, lease: timedelta) -> tuple[Draft | None, bool]: ...
    def save_draft(self, draft: Draft, attempt: str, lease_until: datetime | None = None) -> None: ...
    def release_draft(self, draft: Draft, attempt: str) -> None: ...
    def record_auto_reply(self, tenant_id: str, recipient: str, at: datetime, draft_id: str) -> None: ...
    def auto_replies_to(self, tenant_id: str, recipient: str, since: datetime) -> list[datetime]: ...
    def count_ai_replies(self, tenant_id: str, day: str, counters: dict[str, int]) -> None: ...


class AutoReplies:
    def __init__(
        self,
        store: Store,
        writer: Callable[[], ReplyWriter],
        send: Send,
        limits: Callable[[str], AutoReplyLimits],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self._store = store
        self._writer = writer
        self._send = send
        self._limits = limits
        self._clock = clock
        self._sleep = sleep

    def handle(self, job: AutoReplyJob, last_try: bool = False) -> str:
        """The job's outcome, by name (`duplicate` when another delivery owns or owned it). On the
        queue's last try a failure is recorded on the draft (`gave_up`) before the job goes to the
        dead-letter queue, so the message does not stay 'writing' for ever."""
        self._wait_for_classification(job)
        now = self._clock()
        conversation = self._store.get_conversation(job.tenant_id, job.conversation_id)
        if conversation is None:
            return "gone"  # deleted since: nothing to answer, nothing to keep
        attempt = new_id()
        fresh = Draft(
            id=job.message_id,
            tenant_id=job.tenant_id,
            conversation_id=job.conversation_id,
            message_id=job.message_id,
            source="auto_reply",
            mode=job.mode,
            status=DraftStatus.WRITING,
            created_at=now,
            updated_at=now,
        )
        draft, mine = self._store.claim_draft(fresh, attempt, now, LEASE)
        if draft is None or not mine:
            logger.info("auto-reply already handled", status=draft.status if draft else None)
            return "duplicate"
        if draft.status is DraftStatus.SENDING:
            # A previous attempt stopped between "sending" and its outcome: it may have gone out.
            reason = "an earlier attempt stopped while sending; it may or may not have gone out"
            return self._settle(draft, attempt, DraftStatus.FAILED, OutcomeReason.INTERRUPTED, reason)
        try:
            self._lock_conversation(job)
            try:
                return self._attempt(job, conversation, draft, attempt)
            finally:
                self._store.unlock_auto_reply(job.tenant_id, job.conversation_id)
        except Exception as error:  # TransientError above all (the model): the queue delivers the job again
            if last_try:
                self._settle(draft, attempt, DraftStatus.FAILED, OutcomeReason.GAVE_UP, f"every try failed: {error}")
            else:
                self._give_back(draft, attempt)
            raise

    def _lock_conversation(self, job: AutoReplyJob) -> None:
        def locked() -> bool:
            now = self._clock()
            return self._store.lock_auto_reply(job.tenant_id, job.conversation_id, now, now + LEASE)

        self._poll(CONVERSATION_WAITS, locked, "another auto-reply of this conversation is being written")

    def _wait_for_classification(self, job: AutoReplyJob) -> None:
        """Until the message's folder is recorded, the conversation does not say whether it answers by
        itself; read before that, it would be refused for good."""
        self._poll(
            CLASSIFIED_WAITS,
            lambda: self._store.has_classification(job.tenant_id, job.conversation_id, job.message_id),
            "the message's classification is not recorded yet",
        )

    def _poll(self, waits: Sequence[float], done: Callable[[], bool], why_not: str) -> None:
        """Ask `done` again after each wait; still not done after the last one, the job is tried later."""
        for wait in (*waits, None):
            if done():
                return
            if wait is not None:
                self._sleep(wait)
        raise TransientError(why_not)

    def _attempt(self, job: AutoReplyJob, conversation: Conversation, draft: Draft, attempt: str) -> str:
        messages, _ = self._store.get_messages(job.tenant_id, job.conversation_id, READ_MESSAGES)
        message = next((m for m in messages if m.id == job.message_id), None)
        if message is None:
            # Older than the latest READ_MESSAGES: newer messages came since, which a reply must not skip.
            return self._settle(
                draft, attempt, DraftStatus.REFUSED, OutcomeReason.SUPERSEDED, "newer messages came since"
            )
        now = self._clock()
        recipient = recipient_of(conversation)
        refusal = auto_reply_refusal(
            AutoReplyCase(
                conversation=conversation,
                message=message,
                replies=sent_replies(messages),
                recipient_auto_replies=self._store.auto_replies_to(job.tenant_id, recipient, now - DAY)
                if recipient
                else (),
                own_identities=own_identities(identities(self._store.list_integrations(job.tenant_id))),
                limits=self._limits(job.tenant_id),
                now=now,
            )
        )
        if refusal:
            logger.info("auto-reply refused", reason=refusal.reason, conversation_id=conversation.id)
            return self._settle(draft, attempt, DraftStatus.REFUSED, refusal.reason.value, refusal.detail)
        folder = self._store.get_folder(job.tenant_id, conversation.folder_id) if conversation.folder_id else None
        if folder is None or not folder.auto_reply.enabled:
            detail = "the conversation's folder does not answer by itself (any more)"
            return self._settle(draft, attempt, DraftStatus.REFUSED, OutcomeReason.AUTO_REPLY_OFF, detail)
        mode = folder.auto_reply.mode  # as the folder says now, not as it said when the job was queued
        draft = draft.model_copy(update={"mode": mode})
        try:
            proposal = self._writer().write(conversation, messages, folder=folder, now=now, budget=WRITE_SECONDS)
        except (AiNotConfiguredError, CompanyPromptMissingError) as error:
            no_prompt = isinstance(error, CompanyPromptMissingError)
            reason = OutcomeReason.COMPANY_PROMPT_MISSING if no_prompt else OutcomeReason.AI_NOT_CONFIGURED
            return self._settle(draft, attempt, DraftStatus.NOT_CONFIGURED, reason, str(error))
        except PermanentError as error:  # the provider refused the settings: a person must fix them first
            return self._settle(draft, attempt, DraftStatus.FAILED, OutcomeReason.AI_REFUSED, str(error))
        draft = draft.with_proposal(proposal)
        if mode == "validation" or proposal.hold is not None:
            reason = proposal.hold.value if proposal.hold is not None else None
            detail = proposal.hold_detail if proposal.hold is not None else None
            return self._settle(draft, attempt, DraftStatus.PENDING, reason, detail)
        return self._send_auto_reply(conversation, draft, attempt, recipient)

    def _send_auto_reply(self, conversation: Conversation, draft: Draft, attempt: str, recipient: str | None) -> str:
        now = self._clock()
        sending = draft.model_copy(update={"status": DraftStatus.SENDING, "updated_at": now})
        self._store.save_draft(sending, attempt, now + LEASE)  # from here on, no attempt sends it again
        who = Principal(user_id=AUTO_REPLY_AUTHOR, tenant_id=conversation.tenant_id, role=Role.AGENT)
        try:
            sent = self._send(who, conversation.id, draft.text or "", auto_reply=True)
        except (InvalidInputError, ConflictError, NotFoundError, PermanentError) as error:
            sent = None
            failure = str(error)
        else:
            failure = sent.delivery_error if sent.delivery is DeliveryState.FAILED else None
        if recipient:  # a failed one counts too: the caps must hold whatever the channel did
            self._store.record_auto_reply(conversation.tenant_id, recipient, now, draft.id)
        done = sending.model_copy(update={"sent_message_id": sent.id if sent else None})
        if failure is not None or sent is None:
            logger.warning("auto-reply not sent", conversation_id=conversation.id, reason=failure)
            return self._settle(done, attempt, DraftStatus.FAILED, OutcomeReason.SEND_FAILED, failure)
        done = done.model_copy(update={"outcome": DraftOutcome.AUTO_SENT})
        return self._settle(done, attempt, DraftStatus.SENT, None, None)

    def _settle(self, draft: Draft, attempt: str, status: DraftStatus, reason: str | None, detail: str | None) -> str:
        settled = draft.model_copy(
            update={"status": status, "reason": reason, "detail": detail, "updated_at": self._clock()}
        )
        try:
            self._store.save_draft(settled, attempt)
        except ConflictError:
            # Taken over: only when this attempt outlived its lease, which the function's timeout forbids.
            logger.error("auto-reply draft taken over before it was settled", draft_id=draft.id)
            return "taken_over"
        self._count(settled)
        return status.value

    def _give_back(self, draft: Draft, attempt: str) -> None:
        try:
            self._store.release_draft(draft, attempt)
        except Exception:  # the lease runs out by itself; the queue's next delivery takes it over then
            logger.exception("auto-reply draft not released")

    def _count(self, draft: Draft) -> None:
        """The day's auto-reply outcomes (`ai_reply:<status>`), for the statistics."""
        try:
            day = conversation_rules.day_of(self._clock())
            self._store.count_ai_replies(draft.tenant_id, day, {f"ai_reply:{draft.status}": 1})
        except Exception:
            logger.exception("auto-reply statistics not counted")


def recipient_of(conversation: Conversation) -> str | None:
    """Who an auto-reply goes to, as the caps count them (an address lower-cased, a number's digits)."""
    contact = conversation.contact
    value = contact.email if conversation.channel is Channel.EMAIL else contact.phone or contact.email
    found = sorted(own_identities([value]))
    return found[0] if found else None


def identities(integrations: Sequence[Integration]) -> list[str]:
    """The tenant's own addresses and numbers: a reply to them would answer ourselves."""
    values: list[str] = []
    for integration in integrations:
        settings = integration.settings
        if isinstance(settings, EmailSettings):
            values.append(settings.address)
        elif isinstance(settings, VonageSettings):
            values += [*settings.sms_numbers, *settings.whatsapp_numbers]
    return values


def latest_inbound(messages: Sequence[Message]) -> Message | None:
    return next((m for m in reversed(messages) if m.direction is Direction.INBOUND), None)
