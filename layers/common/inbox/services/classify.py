"""Sorting conversations: the folders' rules first, the AI filter where no rule decides.

Jobs come from the classify queue: one per ingested message (`message`), and background ones
when what fills the folders changed (`reclassify`), a folder was deleted (`refile`) or a mailbox
sync ended (`unfiled`). Each message is classified once (a decision record, written with the
conversation in one transaction); a conversation a person filed by hand stays where they put it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from inbox.domain import classification, conversations
from inbox.domain.html import html_to_text
from inbox.errors import ConcurrentUpdateError, DuplicateDeliveryError, TransientError
from inbox.models import (
    Conversation,
    ConversationFilter,
    Direction,
    Folder,
    Message,
    Status,
)
from inbox.models.jobs import (
    AutoReplyJob,
    ClassifyJob,
    ClassifyMessageJob,
    ReclassifyJob,
    RefileJob,
    UnfiledJob,
)
from inbox.observability import logger
from inbox.services.ai_settings import AiConfig
from inbox.services.classify_decision import classification_prompt, decide, read_ai_answer

RECLASSIFY_PAGE = 100  # conversations re-sorted per background job; the rest follow in the next one
OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.URGENT)
SWEEP_AFTER = timedelta(minutes=10)


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def get_messages(
        self, tenant_id: str, conversation_id: str, limit: int, before: str | None = None
    ) -> tuple[list[Message], str | None]: ...
    def list_folders(self, tenant_id: str) -> list[Folder]: ...
    def list_conversations(
        self, tenant_id: str, where: ConversationFilter, limit: int, cursor: str | None
    ) -> tuple[list[Conversation], str | None]: ...
    def has_classification(self, tenant_id: str, conversation_id: str, message_id: str) -> bool: ...
    def record_classification(
        self, decision: dict[str, Any], before: Conversation, after: Conversation, again: bool = False
    ) -> None: ...
    def count_classification(self, tenant_id: str, day: str, counters: dict[str, int]) -> None: ...
    def save_conversation(self, before: Conversation, after: Conversation) -> None: ...


class Blobs(Protocol):
    def get_json(self, key: str) -> Any: ...


class ClassifyQueue(Protocol):
    def send(self, jobs: Sequence[ClassifyJob]) -> None: ...


class AutoReplyQueue(Protocol):
    def send(self, jobs: Sequence[AutoReplyJob]) -> None: ...


class AiConfigs(Protocol):
    def config(self, tenant_id: str) -> AiConfig | None: ...


class LanguageModel(Protocol):
    def complete_json(self, messages: list[dict[str, str]], name: str, schema: dict[str, Any]) -> tuple[Any, Any]:
        """One completion constrained by a strict JSON schema: the parsed answer and what it cost."""
        ...


class Classifier:
    def __init__(
        self,
        store: Store,
        blobs: Blobs,
        ai_configs: AiConfigs,
        classify_queue: Callable[[], ClassifyQueue],
        autoreply_queue: Callable[[], AutoReplyQueue] | None,
        model: Callable[[AiConfig], LanguageModel],
        on_usage: Callable[[str, str, Any], None] | None = None,
    ):
        self._store = store
        self._on_usage = on_usage  # the tokens spent, per tenant and model (statistics, issue 14 item 2)
        self._blobs = blobs
        self._ai = ai_configs
        self._classify_queue = classify_queue
        self._autoreply_queue = autoreply_queue
        self._model = model

    def handle(self, job: ClassifyJob) -> str:
        match job:
            case ClassifyMessageJob():
                return self.classify(
                    job.tenant_id, job.conversation_id, job.message_id, job.again, job.ai or not job.again
                )
            case ReclassifyJob():
                return self._requeue(job, _movable, ask_ai=job.ai)
            case RefileJob():  # its folder is gone: every conversation in it, whatever its state
                return self._requeue(job, lambda c: True, folder=job.folder_id, ask_ai=True)
            case UnfiledJob():  # in the inbox with no decision yet (an AI outage, say), and not just arrived
                return self._requeue(job, _undecided, folder=conversations.INBOX_FOLDER, ask_ai=True)

    # --- one message ------------------------------------------------------------------------------

    def classify(
        self, tenant_id: str, conversation_id: str, message_id: str, again: bool = False, ask_ai: bool = True
    ) -> str:
        """File one message's conversation. `again`: a background re-sort (the decision is made anew);
        without `ask_ai`, a re-sort only re-runs the rules and keeps what the AI chose before."""
        if not again and self._store.has_classification(tenant_id, conversation_id, message_id):
            return "done already"  # a redelivered job
        asked: dict[str, Any] = {}  # the model's answer, kept across re-reads: one call per job
        for attempt in range(4):
            conversation = self._store.get_conversation(tenant_id, conversation_id)
            if conversation is None:
                return "gone"
            messages, _ = self._store.get_messages(tenant_id, conversation_id, 20)
            messages = [self._whole(m) for m in messages[-classification.MAX_MESSAGES :]]
            message = next((m for m in messages if m.id == message_id), None)
            if message is None:
                message = next((m for m in reversed(messages) if m.direction is Direction.INBOUND), None)
            if message is None:
                return "gone"
            folders = self._store.list_folders(tenant_id)
            decision, after = self._decide(conversation, message, messages, folders, ask_ai, again, asked)
            if not again:
                # Queued before the commit: a crash between the two cannot lose it; the auto-reply
                # consumer answers a message once, however often it is queued.
                self._queue_autoreply(after, message, decision, folders)
            try:
                self._store.record_classification(decision, conversation, after, again=again)
            except DuplicateDeliveryError:
                return "done already"
            except ConcurrentUpdateError:  # a person or another message changed it: read again
                time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 - jitter
                continue
            self._count(conversation, after, decision)
            return decision["decider"]
        raise TransientError("the conversation kept changing; try again")

    def _whole(self, message: Message) -> Message:
        """Rules and the model read the whole body, not the preview stored with a long message, and of
        an HTML message the text its HTML shows: what the person reads in the web app, not hidden
        elements nor a text/plain alternative that may say something else."""
        text, html = message.text, message.html
        if message.body_key:
            body = self._blobs.get_json(message.body_key)
            text, html = body["text"], body.get("html")
        if html:
            text = html_to_text(html)
        return message.model_copy(update={"text": text})

    def _decide(
        self,
        conversation: Conversation,
        message: Message,
        messages: list[Message],
        folders: list[Folder],
        ask_ai: bool,
        again: bool,
        asked: dict[str, Any],
    ) -> tuple[dict[str, Any], Conversation]:
        def ask(config: AiConfig, filtered: list[Folder]) -> tuple[classification.AiAnswer, Any]:
            if "answer" not in asked:  # kept across re-reads of the conversation: one call per job
                asked["answer"] = self._ask(config, filtered, conversation, messages)
            return asked["answer"]

        return decide(
            conversation,
            message,
            folders,
            config=lambda: self._ai.config(conversation.tenant_id),
            ask=ask,
            now=datetime.now(UTC),
            ask_ai=ask_ai,
            again=again,
        )

    def _ask(
        self, config: AiConfig, folders: list[Folder], conversation: Conversation, messages: list[Message]
    ) -> tuple[classification.AiAnswer, Any]:
        """One call to the model. A failure raises TransientError: the message stays where the rules
        left it (the inbox), and the queue asks again later."""
        document, usage = self._model(config).complete_json(
            classification_prompt(folders, conversation, messages),
            "classification",
            classification.answer_schema(folders),
        )
        if self._on_usage is not None:
            self._on_usage(conversation.tenant_id, config.model, usage)
        return read_ai_answer(document, folders), usage

    def _count(self, before: Conversation, after: Conversation, decision: dict[str, Any]) -> None:
        """A new decision of a rule or the AI, counted for the accuracy statistics."""
        decider, folder_id = decision["decider"], decision.get("folder_id")
        previous = before.classified_by
        changed = previous is None or (previous.decider, previous.folder_id) != (decider, folder_id)
        if decider in ("rule", "ai") and changed:
            try:
                key = f"classified:{decider}:{folder_id or 'none'}"
                self._store.count_classification(after.tenant_id, conversations.day_of(datetime.now(UTC)), {key: 1})
            except Exception:
                logger.exception("classification statistics not counted")
        logger.info("classified", decider=decider, folder_id=folder_id, conversation_id=after.id)

    def _queue_autoreply(
        self, after: Conversation, message: Message, decision: dict[str, Any], folders: list[Folder]
    ) -> None:
        """A customer's new message filed into (or kept in) a folder that answers by itself; never from a
        re-sort, which must not answer an old message. The auto-reply's loop guard decides the rest."""
        folder_id = decision.get("folder_id")
        if (
            decision["decider"] not in ("rule", "ai", "kept")
            or not folder_id
            or message.direction is not Direction.INBOUND
        ):
            return
        if self._autoreply_queue is None:
            return
        folder = next((f for f in folders if f.id == folder_id), None)
        if folder and folder.auto_reply.enabled:
            job = AutoReplyJob(
                tenant_id=after.tenant_id, conversation_id=after.id, message_id=message.id, mode=folder.auto_reply.mode
            )
            self._autoreply_queue().send([job])

    # --- in the background -------------------------------------------------------------------------

    def _requeue(
        self,
        job: ReclassifyJob | RefileJob | UnfiledJob,
        eligible: Callable[[Conversation], bool],
        folder: str | None = None,
        ask_ai: bool = False,
    ) -> str:
        """Queue a `message` job (again) for each open conversation that may move; the next page of
        conversations goes back on the queue as a job of its own (this one, at the next cursor)."""
        tenant_id = job.tenant_id
        # Snoozed conversations are in no list (issue 13, item 6): a second pass goes through them,
        # its cursor marked as such.
        snoozed = (job.cursor or "").startswith(SNOOZED_ROUND)
        cursor = (job.cursor or "").removeprefix(SNOOZED_ROUND) or None
        where = ConversationFilter(folder_id=folder, snoozed=snoozed)
        page, next_cursor = self._store.list_conversations(tenant_id, where, RECLASSIFY_PAGE, cursor)
        jobs: list[ClassifyJob] = []
        for conversation in page:
            if not eligible(conversation):
                continue
            if folder and folder != conversations.INBOX_FOLDER:
                conversation = self._unpin(conversation)
            jobs.append(
                ClassifyMessageJob(
                    tenant_id=tenant_id,
                    conversation_id=conversation.id,
                    message_id="",
                    again=True,
                    # Closed conversations are re-sorted by rules alone: no model spend on them.
                    ai=ask_ai and conversation.status in OPEN_STATUSES,
                )
            )
        if jobs:
            self._classify_queue().send(jobs)
        if next_cursor or not snoozed:
            following = f"{SNOOZED_ROUND}{next_cursor or ''}" if snoozed or not next_cursor else next_cursor
            self._classify_queue().send([job.model_copy(update={"cursor": following, "ai": ask_ai})])
        return f"{len(jobs)} queued"

    def _unpin(self, conversation: Conversation) -> Conversation:
        """A deleted folder's conversation goes back to the inbox, free to be filed again."""
        for _ in range(4):
            after = conversation.model_copy(update={"folder_id": None, "folder_pinned": False, "classified_by": None})
            try:
                self._store.save_conversation(conversation, after)
                return after
            except ConcurrentUpdateError:
                conversation = self._store.get_conversation(conversation.tenant_id, conversation.id) or conversation
        return conversation


SNOOZED_ROUND = "snoozed:"  # a re-sort's cursor in its second pass, through the snoozed conversations


def _movable(conversation: Conversation) -> bool:
    """Open, and not filed by a person: what a re-sort may move."""
    return conversation.status in OPEN_STATUSES and not conversation.folder_pinned


def _undecided(conversation: Conversation) -> bool:
    """Left in the inbox with no decision, and not just arrived (its own job may still be on its way)."""
    settled = datetime.now(UTC) - conversation.last_activity_at > SWEEP_AFTER
    return _movable(conversation) and conversation.classified_by is None and settled
