"""A folder's automatic follow-ups ("nudges", issue 13, item 6).

When a reply goes out in a conversation of a folder whose nudge is on, a NudgeDueJob is scheduled
N hours later, moved into the tenant's business hours: `next_open(reply + N h)`, not N business
hours. The customer's silence runs on the customer's clock (24 hours after a Friday-evening reply
they have had the whole Saturday), while business hours are when the business may speak: a nudge
never goes out at night or on a closed day, and a person is there when the answer comes. Counting
N in business hours would make "24 hours" mean three working days.

When it fires, the customer still silent since that reply: the nudge is sent through the one send
path (marked automatic), or kept as a draft for a person, and counted; after K of them, the
conversation is resolved. Its reply schedules the next one the same way. A customer's message
ends it all. On WhatsApp past the 24-hour window no free text may go: the folder's approved template
goes out instead when it has one (automatic mode, issue 16), else the assignee (or the tenant's admins
when nobody is assigned) is told a template is needed.

Every check is made again when the job fires (the folder, the hours, the customer's last message,
the conversation's status), with `now` from the injected clock; the count moves by a conditional
write, so a job fired twice does its work once.

Each put of a nudge's schedule has a name of its own, kept in the nudge's state (and cancelled by
it): a schedule that fired is deleted by the scheduler after its run (ActionAfterCompletion), and a
next nudge put under the same name in that run could be deleted with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from inbox.clock import EARLY_FIRE
from inbox.domain import conversations as conversation_rules
from inbox.domain.business_hours import is_open, next_open
from inbox.domain.ids import new_id
from inbox.domain.saved_replies import PLACEHOLDER, Filled, sender_placeholders, unknown_placeholders
from inbox.domain.schedule_names import schedule_name
from inbox.errors import InboxError, InvalidInputError
from inbox.models import Channel, Conversation, DeliveryState, Folder, Message, Principal, Role, Status
from inbox.models.business_hours import BusinessHours
from inbox.models.draft import Draft, DraftStatus
from inbox.models.folder import Nudge
from inbox.models.jobs import NudgeDueJob
from inbox.models.notification import NotificationKind
from inbox.models.nudge import NudgeState
from inbox.observability import logger

NUDGE_AUTHOR = "nudge"  # the principal a nudge is sent as (its message has no author, as an auto-reply's)
FOLDER_CACHE_SECONDS = 60
SCHEDULE_KIND = "nudge"
CLOSED = (Status.RESOLVED, Status.ARCHIVED, Status.SPAM)


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_folder(self, tenant_id: str, folder_id: str) -> Folder | None: ...
    def create_draft(self, draft: Draft) -> None: ...


class NudgeStates(Protocol):
    def get_nudge(self, tenant_id: str, conversation_id: str) -> NudgeState | None: ...
    def save_nudge(self, state: NudgeState) -> None: ...
    def move_nudge(self, state: NudgeState, schedule: str) -> bool: ...
    def claim_nudge(self, state: NudgeState) -> bool: ...
    def end_nudge(self, tenant_id: str, conversation_id: str, reply_id: str | None = None) -> bool: ...


class Schedules(Protocol):
    def put(self, name: str, at: datetime, job: Any) -> None: ...
    def cancel(self, name: str) -> None: ...


class Reply(Protocol):
    def __call__(
        self, who: Principal, conversation_id: str, text: str, *, auto_reply: bool = False, template: Any = None
    ) -> Message: ...


class Notify(Protocol):
    def __call__(self, tenant_id: str, user_id: str, kind: NotificationKind, **fields: Any) -> Any: ...


class Nudges:
    def __init__(
        self,
        store: Store,
        states: NudgeStates,
        hours: Callable[[str], BusinessHours],
        schedules: Callable[[], Schedules],
        reply: Reply,
        resolve: Callable[[Principal, str], Any],
        notify: Notify,
        admins: Callable[[str], Sequence[str]],
        clock: Callable[[], datetime],
        fill: Callable[[Principal, str, str], Filled] | None = None,
    ):
        self._fill = fill  # a template parameter's placeholders (services.saved_replies, without a sender)
        self._store = store
        self._states = states
        self._hours = hours
        self._schedules = schedules
        self._reply = reply
        self._resolve = resolve
        self._notify = notify
        self._admins = admins
        self._clock = clock
        self._folders: dict[tuple[str, str], tuple[float, Folder | None]] = {}

    # ------------------------------------------------------------------ the hooks

    def replied(self, conversation: Conversation, message: Message) -> None:
        """A reply went out in `conversation` (a person's, an auto-reply, a nudge): if its folder
        nudges, the next nudge is scheduled after N hours of silence, within business hours."""
        folder = self._nudging_folder(conversation, fresh=False)
        if folder is None or message.delivery is DeliveryState.FAILED:
            return
        now = self._clock()
        before = self._states.get_nudge(conversation.tenant_id, conversation.id)
        # The count runs from the customer's last message: our own replies do not start it again.
        sent = before.sent if before and before.inbound_at == conversation.last_inbound_at else 0
        due = next_open(self._hours(conversation.tenant_id), now + timedelta(hours=folder.nudge.after_hours))
        state = NudgeState(
            tenant_id=conversation.tenant_id,
            conversation_id=conversation.id,
            folder_id=folder.id,
            reply_id=message.id,
            replied_at=now,
            inbound_at=conversation.last_inbound_at,
            sent=sent,
            due_at=due,
            schedule=_new_schedule(conversation.tenant_id, conversation.id, now),
        )
        # The schedule first: a state saved without it would never fire; a schedule whose state
        # was not saved fires, finds another reply (or none), and does nothing.
        self._put(state, due)
        self._states.save_nudge(state)
        if before is not None and schedule_of(before) != state.schedule:
            self._cancel(before)  # the nudge it replaces (gone already if it is what sent this reply)
        logger.info("nudge scheduled", conversation_id=conversation.id, nudge=sent + 1, due_at=due.isoformat())

    def customer_wrote(self, conversation: Conversation) -> None:
        """The customer answered: whatever nudge waited is cancelled (the fire would find the answer
        anyway; this spares the schedule). A read first: most messages have no nudge waiting, and
        a read costs less than the (conditional) delete."""
        if self._nudging_folder(conversation, fresh=False) is None:
            return
        state = self._states.get_nudge(conversation.tenant_id, conversation.id)
        if state is None:
            return
        if self._states.end_nudge(conversation.tenant_id, conversation.id, state.reply_id):
            self._cancel(state)
            logger.info("nudge cancelled: the customer wrote", conversation_id=conversation.id)

    # ------------------------------------------------------------------ the fire

    def fire(self, job: NudgeDueJob) -> str:
        """Do what the nudge is due for; what came of it, in a word."""
        now = self._clock()
        conversation = self._store.get_conversation(job.tenant_id, job.conversation_id)
        state = self._states.get_nudge(job.tenant_id, job.conversation_id)
        if conversation is None or state is None or state.reply_id != job.reply_id:
            return "superseded"  # gone, answered and cancelled, or a newer reply rescheduled it
        if conversation.last_inbound_at != state.inbound_at:
            self._states.end_nudge(job.tenant_id, job.conversation_id, state.reply_id)
            return "answered"
        folder = self._nudging_folder(conversation)
        if conversation.status in CLOSED or folder is None:
            self._states.end_nudge(job.tenant_id, job.conversation_id, state.reply_id)
            return "closed" if conversation.status in CLOSED else "nudge_off"
        if job.nudge != state.sent + 1:
            return "done_already"
        hours = self._hours(job.tenant_id)
        if now < state.due_at - EARLY_FIRE or not is_open(hours, now):
            # Early, or the hours changed since it was scheduled: it goes at the next opening, under
            # a new name (the one that fired is deleted once this run ends).
            moved = state.model_copy(update={"schedule": _new_schedule(state.tenant_id, state.conversation_id, now)})
            self._put(moved, next_open(hours, max(now, state.due_at)))
            if not self._states.move_nudge(state, str(moved.schedule)):
                self._cancel(moved)  # a newer reply (or the answer) took the state meanwhile
                return "superseded"
            return "rescheduled"
        if state.sent >= folder.nudge.max_nudges:
            if not self._states.end_nudge(job.tenant_id, job.conversation_id, state.reply_id):
                return "done_already"
            self._resolve(_nudger(job.tenant_id), job.conversation_id)
            logger.info("conversation resolved after its nudges", conversation_id=job.conversation_id)
            return "resolved"
        if conversation.channel is Channel.WHATSAPP and conversation_rules.reply_refusal(conversation, now):
            if folder.nudge.template is not None and folder.nudge.mode == "automatic":
                return self._send_template(conversation, folder, now, state)
            if not self._states.end_nudge(job.tenant_id, job.conversation_id, state.reply_id):
                return "done_already"
            self._template_needed(conversation, now)
            return "template_needed"
        # Filled before the nudge is counted: a read that fails here (throttled, the conversation just
        # deleted) raises with the count unmoved, and the job's retry does the nudge (review 16b, item 1).
        filled = self._filled(conversation, folder.nudge.text)
        if folder.nudge.mode == "validation":
            if not self._states.claim_nudge(state):
                return "done_already"
            self._draft(conversation, filled, now)  # filled as far as it goes: what is left, the person sees
            return "drafted"
        if not filled.complete:  # never "Bonjour {{contact.first_name}}" to a customer: a person is told
            return self._not_filled(conversation, folder, now, state, _left(filled))
        if not self._states.claim_nudge(state):
            return "done_already"
        return self._send(conversation, filled.text)

    def _send(self, conversation: Conversation, text: str) -> str:
        try:
            sent = self._reply(_nudger(conversation.tenant_id), conversation.id, text, auto_reply=True)
        except InboxError as error:  # counted already: never sent twice; the next reply starts again
            logger.warning("nudge not sent", conversation_id=conversation.id, reason=str(error))
            return "failed"
        return "failed" if sent.delivery is DeliveryState.FAILED else "sent"

    def _send_template(self, conversation: Conversation, folder: Folder, now: datetime, state: NudgeState) -> str:
        """The window is closed: the folder's approved template goes out instead of the text (issue 16).
        Its parameters are filled before the nudge is counted, as the text is. Refused by the send path
        (no longer approved, parameters that do not fit): a person is told."""
        template = folder.nudge.template
        assert template is not None
        who = _nudger(conversation.tenant_id)
        fill = self._fill
        if fill is not None:
            template, left = template.filled(lambda value: fill(who, conversation.id, value))
            if left:  # never "Bonjour {{contact.first_name}}" to a customer: a person is told what is missing
                return self._not_filled(conversation, folder, now, state, left, outcome="template_unfilled")
        if not self._states.claim_nudge(state):
            return "done_already"
        try:
            sent = self._reply(who, conversation.id, "", template=template.request(), auto_reply=True)
        except InvalidInputError as refused:
            logger.warning("nudge template refused", conversation_id=conversation.id, reason=str(refused))
            self._states.end_nudge(conversation.tenant_id, conversation.id, state.reply_id)
            self._template_needed(conversation, now)
            return "template_refused"
        except InboxError as error:  # counted already: never sent twice; the next reply starts again
            logger.warning("nudge template not sent", conversation_id=conversation.id, reason=str(error))
            return "failed"
        return "failed" if sent.delivery is DeliveryState.FAILED else "sent_template"

    def _not_filled(
        self,
        conversation: Conversation,
        folder: Folder,
        now: datetime,
        state: NudgeState,
        left: list[str],
        outcome: str = "text_unfilled",
    ) -> str:
        """A placeholder (of the text or of the template's parameters) has no value for this customer:
        nothing goes out, the nudges end (a person answers instead), and the assignee or the admins are
        told which folder's nudge and which placeholders. The conditional end is the claim: a job fired
        twice tells them once."""
        if not self._states.end_nudge(conversation.tenant_id, conversation.id, state.reply_id):
            return "done_already"
        logger.warning("nudge not filled", conversation_id=conversation.id, folder_id=folder.id, placeholders=left)
        self._tell(conversation, now, NotificationKind.NUDGE_UNFILLED, text=folder.name, placeholders=left)
        return outcome

    def _draft(self, conversation: Conversation, filled: Filled, now: datetime) -> None:
        """Validation: the nudge waits for a person as a draft; once sent, its reply schedules the next."""
        self._store.create_draft(
            Draft(
                id=new_id(now.timestamp()),
                tenant_id=conversation.tenant_id,
                conversation_id=conversation.id,
                source="nudge",
                mode="validation",
                status=DraftStatus.PENDING,
                text=filled.text,
                created_at=now,
                updated_at=now,
            )
        )

    def _filled(self, conversation: Conversation, text: str) -> Filled:
        """The nudge's words with their placeholders filled as a follow-up's are (services.saved_replies,
        without a sender: a nudge has none, so `agent.*` stays unfilled)."""
        if self._fill is None or not PLACEHOLDER.search(text):
            return Filled(text)
        return self._fill(_nudger(conversation.tenant_id), conversation.id, text)

    def _template_needed(self, conversation: Conversation, now: datetime) -> None:
        self._tell(conversation, now, NotificationKind.TEMPLATE_NEEDED)
        logger.info("nudge needs a WhatsApp template", conversation_id=conversation.id)

    def _tell(self, conversation: Conversation, now: datetime, kind: NotificationKind, **extra: Any) -> None:
        """A nudge has no owner: its conversation's assignee is told, or the tenant's admins when nobody is
        assigned (a follow-up tells its creator the same way)."""
        people = [conversation.assignee_id] if conversation.assignee_id else self._admins(conversation.tenant_id)
        for user_id in people:
            self._notify(conversation.tenant_id, user_id, kind, conversation_id=conversation.id, now=now, **extra)

    # ------------------------------------------------------------------ helpers

    def _nudging_folder(self, conversation: Conversation, fresh: bool = True) -> Folder | None:
        """The conversation's folder if it nudges. The hooks (every reply, every customer message)
        read it through a cache of a minute; a fire reads it afresh."""
        if not conversation.folder_id:
            return None
        cache_key = (conversation.tenant_id, conversation.folder_id)
        cached = None if fresh else self._folders.get(cache_key)
        if cached is not None and time.monotonic() - cached[0] < FOLDER_CACHE_SECONDS:
            folder = cached[1]
        else:
            folder = self._store.get_folder(conversation.tenant_id, conversation.folder_id)
            self._folders[cache_key] = (time.monotonic(), folder)
        return folder if folder is not None and folder.nudge.enabled else None

    def _put(self, state: NudgeState, at: datetime) -> None:
        job = NudgeDueJob(
            tenant_id=state.tenant_id,
            conversation_id=state.conversation_id,
            reply_id=state.reply_id,
            nudge=state.sent + 1,
        )
        self._schedules().put(schedule_of(state), at, job)

    def _cancel(self, state: NudgeState) -> None:
        self._schedules().cancel(schedule_of(state))


def check_words(nudge: Nudge | None, stored: Nudge | None = None) -> None:
    """What a nudge sends is filled when it fires, without a sender: a placeholder we do not know (a typo)
    or an `agent.*` one would never be filled, so it is a 422 naming the field when saved rather than a
    person told at every fire. Only what changed is checked (`stored`: the folder's nudge as it is), so a
    folder saved before stays editable."""
    if nudge is None:
        return
    if stored is None or nudge.text != stored.text:
        _refuse_unfillable("nudge.text", nudge.text)
    if nudge.template is not None and (stored is None or nudge.template != stored.template):
        for n, value in enumerate(nudge.template.parameters):
            _refuse_unfillable(f"nudge.template.parameters.{n}", value)


def _refuse_unfillable(field: str, text: str) -> None:
    def braced(names: list[str]) -> str:
        return ", ".join(f"{{{{{name}}}}}" for name in names)

    if unknown := unknown_placeholders(text):
        raise InvalidInputError(field, f"has placeholders we do not know: {braced(unknown)}")
    if sender := sender_placeholders(text):
        # The web app words this one by its start (web/src/settings/nudgeRefusal.ts): keep them in step.
        raise InvalidInputError(field, f"has placeholders a nudge cannot fill, nobody sends it: {braced(sender)}")


def schedule_of(state: NudgeState) -> str:
    """The name of the schedule that fires `state`'s next nudge (a state stored before names were
    kept in it has the conversation's own)."""
    return state.schedule or schedule_name(SCHEDULE_KIND, state.tenant_id, state.conversation_id)


def _new_schedule(tenant_id: str, conversation_id: str, now: datetime) -> str:
    """A name no schedule had: the conversation and a new id (hashed down when too long)."""
    return schedule_name(SCHEDULE_KIND, tenant_id, f"{conversation_id}.{new_id(now.timestamp())}")


def _left(filled: Filled) -> list[str]:
    return filled.missing + filled.unknown


def _nudger(tenant_id: str) -> Principal:
    return Principal(user_id=NUDGE_AUTHOR, tenant_id=tenant_id, role=Role.AGENT)
