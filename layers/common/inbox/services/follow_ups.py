"""Manual follow-ups ("relances", issue 13, item 6): at a time, remind the person who set it, reopen
the conversation, send a written message (through the one send path), or have the AI draft a reply
for a person to validate; optionally only if the customer has not written by then.

Each follow-up is a one-time schedule (FollowUpDueJob, named `followup.<tenant>.<id>`) that invokes
ScheduledFunction, which calls `fire`. A fire claims the follow-up (scheduled -> firing, a versioned
write) before its work, so a job delivered twice does the work once; every fire reads `now` from the
injected clock. A customer's message cancels the follow-ups waiting for their silence
(`customer_wrote`, called by the ingest), and a fire checks again in case that message came between.
Snoozes are services/snoozes.py; this service answers for both (wiring.follow_ups())."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from inbox.clock import EARLY_FIRE
from inbox.domain import stats_waits
from inbox.domain.conversations import reply_refusal
from inbox.domain.follow_ups import MAX_TEXT, answered_since, check_time
from inbox.domain.ids import new_id
from inbox.domain.saved_replies import PLACEHOLDER, Filled, unknown_placeholders
from inbox.errors import (
    ConcurrentUpdateError,
    ConflictError,
    InboxError,
    InvalidInputError,
    NotFoundError,
    PermanentError,
)
from inbox.models import Channel, Conversation, DeliveryState, Message, Principal, Role, Status
from inbox.models.draft import Draft
from inbox.models.follow_up import FollowUp, FollowUpAction, FollowUpOutcome, FollowUpState
from inbox.models.jobs import FollowUpDueJob, SnoozeEndsJob
from inbox.models.notification import NotificationKind
from inbox.models.whatsapp_template import TemplateChoice
from inbox.observability import logger
from inbox.services.snoozes import Schedules, Snoozes, change_conversation


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def save_conversation(self, before: Conversation, after: Conversation) -> None: ...
    def create_follow_up(self, follow_up: FollowUp) -> FollowUp: ...
    def get_follow_up(self, tenant_id: str, conversation_id: str, follow_up_id: str) -> FollowUp | None: ...
    def save_follow_up(self, before: FollowUp, after: FollowUp) -> FollowUp: ...
    def list_follow_ups(self, tenant_id: str, conversation_id: str) -> list[FollowUp]: ...
    def scheduled_follow_ups(
        self, tenant_id: str, user_id: str, limit: int, cursor: str | None = None
    ) -> tuple[list[FollowUp], str | None]: ...


class Notifier(Protocol):
    def notify(self, tenant_id: str, user_id: str, kind: NotificationKind, **fields: Any) -> Any: ...


class Reply(Protocol):
    """services.send.Replies.reply: the one send path, as the person who set the follow-up."""

    def __call__(self, who: Principal, conversation_id: str, text: str, template: Any = None) -> Message: ...


class Fill(Protocol):
    """services.saved_replies.SavedReplies.fill_text: placeholders filled for the conversation, as its sender."""

    def __call__(self, who: Principal, conversation_id: str, text: str) -> Filled: ...


class Suggest(Protocol):
    """services.drafts.Drafts.suggest: one model call, the draft kept pending for a person."""

    def __call__(self, who: Principal, conversation_id: str) -> Draft: ...


# Over ScheduledFunction's 30 s timeout: a claim this old died with its invocation (a timeout, a crash).
ABANDONED_AFTER = timedelta(seconds=45)


def _abandoned(follow_up: FollowUp, now: datetime) -> bool:
    """A claim whose invocation died before recording the outcome: the retry may take it again, but
    for `send` (what the send path stored may have gone out: a customer is never sent it twice)."""
    return (
        follow_up.state is FollowUpState.FIRING
        and follow_up.action is not FollowUpAction.SEND
        and follow_up.fired_at is not None
        and now - follow_up.fired_at > ABANDONED_AFTER
    )


def follow_up_schedule(tenant_id: str, follow_up_id: str) -> str:
    from inbox.domain.schedule_names import schedule_name

    return schedule_name("followup", tenant_id, follow_up_id)


class FollowUps:
    def __init__(
        self,
        store: Store,
        schedules: Callable[[], Schedules],
        notifications: Callable[[], Notifier],
        reply: Reply,
        suggest: Suggest,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        fill: Fill | None = None,
        check_template: Callable[[Principal, str, Any], None] | None = None,
    ):
        self._store = store
        self._check_template = check_template  # services.whatsapp_templates: approved, and its count (issue 16)
        self._fill = fill
        self._schedules = schedules
        self._notifications = notifications
        self._reply = reply
        self._suggest = suggest
        self._clock = clock
        self._snoozes = Snoozes(store, schedules, clock)

    # ------------------------------------------------------------------ a person's follow-ups

    def create(
        self,
        who: Principal,
        conversation_id: str,
        due_at: datetime,
        action: FollowUpAction,
        text: str | None = None,
        only_if_no_answer: bool = False,
        template: TemplateChoice | None = None,
    ) -> FollowUp:
        """Schedule a follow-up (422 on `due_at` in the past or over a year ahead, on `text` missing
        for `send` or too long; 404 on a conversation not the caller's tenant's). A `send` may carry a
        WhatsApp `template`, sent when the 24-hour window is closed (or when it has no text)."""
        now = self._clock()
        due_at = check_time("due_at", due_at, now).astimezone(UTC)
        text = (text or "").strip() or None
        if action is FollowUpAction.SEND and text is None and template is None:
            raise InvalidInputError("text", "is required to send a message (or a WhatsApp `template`)")
        if template is not None and action is not FollowUpAction.SEND:
            raise InvalidInputError("template", "only a `send` follow-up sends a template")
        if text is not None and len(text) > MAX_TEXT:
            raise InvalidInputError("text", f"is longer than {MAX_TEXT} characters")
        if self._fill is not None and action is FollowUpAction.SEND and unknown_placeholders(text or ""):
            # Filled when it fires (a saved reply's text): a typo found now, not then.
            names = ", ".join(f"{{{{{name}}}}}" for name in unknown_placeholders(text or ""))
            raise InvalidInputError("text", f"has placeholders we do not know: {names}")
        if self._store.get_conversation(who.tenant_id, conversation_id) is None:
            raise NotFoundError(f"conversation {conversation_id}")
        if template is not None and self._fill is not None:
            template.check_placeholders()  # filled when it fires, as the text
        if template is not None and self._check_template is not None:
            self._check_template(who, conversation_id, template.request())
        follow_up = FollowUp(
            id=new_id(now.timestamp()),
            tenant_id=who.tenant_id,
            conversation_id=conversation_id,
            created_by=who.user_id,
            created_at=now,
            due_at=due_at,
            action=action,
            text=text,
            only_if_no_answer=only_if_no_answer,
            template=template,
        )
        # The schedule first: a follow-up stored without one would never fire; a schedule whose
        # follow-up was never stored fires, finds nothing, and is gone.
        job = FollowUpDueJob(tenant_id=who.tenant_id, conversation_id=conversation_id, follow_up_id=follow_up.id)
        self._schedules().put(follow_up_schedule(who.tenant_id, follow_up.id), due_at, job)
        return self._store.create_follow_up(follow_up)

    def list(self, who: Principal, conversation_id: str) -> list[FollowUp]:
        if self._store.get_conversation(who.tenant_id, conversation_id) is None:
            raise NotFoundError(f"conversation {conversation_id}")
        return self._store.list_follow_ups(who.tenant_id, conversation_id)

    def mine(self, who: Principal, limit: int, cursor: str | None = None) -> tuple[list[FollowUp], str | None]:
        """What the caller has scheduled, soonest first."""
        return self._store.scheduled_follow_ups(who.tenant_id, who.user_id, limit, cursor)

    def cancel(self, who: Principal, conversation_id: str, follow_up_id: str) -> FollowUp:
        """Cancel a scheduled follow-up (409 once it fired or was cancelled)."""
        follow_up = self._store.get_follow_up(who.tenant_id, conversation_id, follow_up_id)
        if follow_up is None:
            raise NotFoundError(f"follow-up {follow_up_id}")
        if follow_up.state is not FollowUpState.SCHEDULED:
            raise ConflictError(f"the follow-up is {follow_up.state} already")
        try:
            cancelled = self._end(follow_up, FollowUpState.CANCELLED, FollowUpOutcome.CANCELLED)
        except ConcurrentUpdateError:
            raise ConflictError("the follow-up fired or changed meanwhile") from None
        try:
            self._schedules().cancel(follow_up_schedule(who.tenant_id, follow_up_id))
        except InboxError:  # it fires then, finds the follow-up cancelled, and does nothing
            logger.warning("follow-up schedule not cancelled", follow_up_id=follow_up_id)
        return cancelled

    def customer_wrote(self, conversation: Conversation) -> None:
        """The ingest's listener: the customer's message cancels the follow-ups set "only if no answer".
        Their schedules stay (the ingest's functions do not manage schedules): each fires and finds
        its follow-up cancelled."""
        for follow_up in self._store.list_follow_ups(conversation.tenant_id, conversation.id):
            if follow_up.state is FollowUpState.SCHEDULED and answered_since(follow_up, conversation):
                try:
                    self._end(follow_up, FollowUpState.CANCELLED, FollowUpOutcome.CUSTOMER_ANSWERED)
                except ConcurrentUpdateError:
                    logger.info("follow-up changed meanwhile", follow_up_id=follow_up.id)

    # ------------------------------------------------------------------ the fire

    def fire(self, job: FollowUpDueJob) -> str:
        """The follow-up's time came: do its action once, record what came of it; the outcome, in a
        word, for the log. Something cancelled, answered, gone or done already does nothing."""
        now = self._clock()
        follow_up = self._store.get_follow_up(job.tenant_id, job.conversation_id, job.follow_up_id)
        if follow_up is None:
            return "gone"
        if follow_up.state is not FollowUpState.SCHEDULED and not _abandoned(follow_up, now):
            return f"already_{follow_up.state}"
        if now < follow_up.due_at - EARLY_FIRE:
            return "early"
        conversation = self._store.get_conversation(job.tenant_id, job.conversation_id)
        if conversation is None:
            self._end(follow_up, FollowUpState.CANCELLED, FollowUpOutcome.CONVERSATION_GONE)
            return FollowUpOutcome.CONVERSATION_GONE
        if answered_since(follow_up, conversation):
            self._end(follow_up, FollowUpState.CANCELLED, FollowUpOutcome.CUSTOMER_ANSWERED)
            return FollowUpOutcome.CUSTOMER_ANSWERED
        try:
            claimed = self._store.save_follow_up(
                follow_up, follow_up.model_copy(update={"state": FollowUpState.FIRING, "fired_at": now})
            )
        except ConcurrentUpdateError:
            return "taken"  # another delivery of the job claimed it
        try:
            done = self._act(claimed, conversation, now)
        except Exception:
            # Nothing went out (a send never raises past `_send`): give it back for the retry.
            self._store.save_follow_up(claimed, follow_up.model_copy(update={"state": FollowUpState.SCHEDULED}))
            raise
        self._store.save_follow_up(claimed, done)
        return done.outcome or "done"

    def _act(self, follow_up: FollowUp, conversation: Conversation, now: datetime) -> FollowUp:
        """The follow-up's work; the follow-up as done, with its outcome."""
        who = Principal(user_id=follow_up.created_by, tenant_id=follow_up.tenant_id, role=Role.AGENT)
        done = {"state": FollowUpState.DONE}
        match follow_up.action:
            case FollowUpAction.REMIND:
                self._bring_back(follow_up, now, reopen=(Status.RESOLVED, Status.ARCHIVED))
                self._notify(follow_up, NotificationKind.FOLLOW_UP_DUE, now)
                return follow_up.model_copy(update=done | {"outcome": FollowUpOutcome.REMINDED})
            case FollowUpAction.REOPEN:
                self._bring_back(follow_up, now, reopen=(Status.RESOLVED, Status.ARCHIVED, Status.SPAM))
                return follow_up.model_copy(update=done | {"outcome": FollowUpOutcome.REOPENED})
            case FollowUpAction.SEND:
                return follow_up.model_copy(update=done | self._send(who, follow_up, conversation, now))
            case FollowUpAction.DRAFT:
                return follow_up.model_copy(update=done | self._draft(who, follow_up, now))

    def _send(self, who: Principal, follow_up: FollowUp, conversation: Conversation, now: datetime) -> dict:
        refusal = reply_refusal(conversation, now)
        choice = follow_up.template if follow_up.template and (refusal or not follow_up.text) else None
        if refusal and conversation.channel is Channel.WHATSAPP and choice is None:
            # WhatsApp's window is closed: only a template may go out, and a person chooses it.
            self._notify(follow_up, NotificationKind.TEMPLATE_NEEDED, now)
            return {"outcome": FollowUpOutcome.TEMPLATE_NEEDED, "detail": refusal}
        fill = self._fill
        if choice is not None and fill is not None:
            choice, left = choice.filled(lambda value: fill(who, follow_up.conversation_id, value))
            if left:  # the parameters' placeholders, as the text's: never sent as typed
                self._notify(follow_up, NotificationKind.FOLLOW_UP_DUE, now)
                names = ", ".join(left)
                return {"outcome": FollowUpOutcome.SEND_FAILED, "detail": f"placeholders without a value: {names}"}
        template = choice.request() if choice is not None else None
        text = "" if template else follow_up.text or ""  # a template's text is its own, rendered
        if self._fill is not None and template is None and PLACEHOLDER.search(text):
            filled = self._fill(who, follow_up.conversation_id, text)
            if not filled.complete:  # never a customer's "Bonjour {{contact.first_name}}": its creator is told
                self._notify(follow_up, NotificationKind.FOLLOW_UP_DUE, now)
                names = ", ".join(filled.missing + filled.unknown)
                return {"outcome": FollowUpOutcome.SEND_FAILED, "detail": f"placeholders without a value: {names}"}
            text = filled.text
        try:
            message = self._reply(who, follow_up.conversation_id, text, template=template)
        except (InvalidInputError, NotFoundError) as refused:  # refused before anything was stored
            self._notify_after_send(follow_up, now)
            return {"outcome": FollowUpOutcome.SEND_FAILED, "detail": str(refused)}
        except Exception as error:
            # The reply was attempted: the provider may have taken it before a later write failed (its
            # delivery state throttled, say). Never given back for the retry: a customer is never sent
            # it twice; its creator is told to look.
            logger.exception("follow-up send ended in an error", follow_up_id=follow_up.id)
            self._notify_after_send(follow_up, now)
            return {"outcome": FollowUpOutcome.SEND_UNCONFIRMED, "detail": f"{type(error).__name__}: {error}"[:500]}
        if message.delivery is DeliveryState.FAILED:
            self._notify_after_send(follow_up, now)
            return {"outcome": FollowUpOutcome.SEND_FAILED, "detail": message.delivery_error, "message_id": message.id}
        return {"outcome": FollowUpOutcome.SENT, "message_id": message.id}

    def _draft(self, who: Principal, follow_up: FollowUp, now: datetime) -> dict:
        """One model call here, in the scheduled function: the auto-reply queue's jobs answer a
        customer's message (a draft keyed by it), and this draft answers none. A model outage
        (TransientError) is raised: the follow-up goes back to scheduled and the invocation is retried."""
        try:
            draft = self._suggest(who, follow_up.conversation_id)
        except (ConflictError, PermanentError) as refused:  # a draft waits already; no AI configured
            self._notify(follow_up, NotificationKind.FOLLOW_UP_DUE, now)
            return {"outcome": FollowUpOutcome.DRAFT_FAILED, "detail": str(refused)}
        self._notify(follow_up, NotificationKind.FOLLOW_UP_DUE, now)
        return {"outcome": FollowUpOutcome.DRAFTED, "draft_id": draft.id}

    def _bring_back(self, follow_up: FollowUp, now: datetime, reopen: tuple[Status, ...]) -> None:
        """The conversation back in the lists, on top, awake, and open if it was one of `reopen`."""

        def back(conversation: Conversation) -> dict[str, Any]:
            changes: dict[str, Any] = {
                "snoozed_until": None,
                "last_activity_at": max(now, conversation.last_activity_at),
            }
            if conversation.status in reopen:
                changes["status"] = Status.OPEN
                changes |= stats_waits.reopening(conversation.status, Status.OPEN, now)  # resolution times
            return changes

        change_conversation(self._store, follow_up.tenant_id, follow_up.conversation_id, back)

    def _notify(self, follow_up: FollowUp, kind: NotificationKind, now: datetime) -> None:
        self._notifications().notify(
            follow_up.tenant_id,
            follow_up.created_by,
            kind,
            conversation_id=follow_up.conversation_id,
            text=follow_up.text,
            now=now,
        )

    def _notify_after_send(self, follow_up: FollowUp, now: datetime) -> None:
        """Once the reply was attempted nothing may raise: the follow-up would be given back and sent again."""
        try:
            self._notify(follow_up, NotificationKind.FOLLOW_UP_DUE, now)
        except Exception:
            logger.exception("follow-up notification not stored", follow_up_id=follow_up.id)

    def _end(self, follow_up: FollowUp, state: FollowUpState, outcome: FollowUpOutcome) -> FollowUp:
        """Cancelled without firing (`fired_at` stays empty: the event bus reads it as not due)."""
        return self._store.save_follow_up(follow_up, follow_up.model_copy(update={"state": state, "outcome": outcome}))

    # ------------------------------------------------------------------ snoozes (services/snoozes.py)

    def snooze(self, who: Principal, conversation_id: str, until: datetime) -> Conversation:
        return self._snoozes.snooze(who, conversation_id, until)

    def unsnooze(self, who: Principal, conversation_id: str) -> Conversation:
        return self._snoozes.unsnooze(who, conversation_id)

    def wake(self, job: SnoozeEndsJob) -> str:
        return self._snoozes.wake(job)
