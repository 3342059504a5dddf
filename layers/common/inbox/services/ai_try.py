"""Trying the AI on a sample message before it answers a customer (issue 16, item 3; the seed's
"Tester avec quelques messages").

A sample is sorted as classification sorts a new conversation's first message (the one decision of
services/classify_decision.py: automated mail skipped, the folders' rules in order, then the AI filter), and, in a
folder that answers by itself, the loop guard's rules that need no history are asked and the reply
writer writes the reply, lookups included. Nothing is stored, queued or sent, and no usage is
counted: this service only reads (folders, integrations, AI settings, the knowledge base) and calls
the model. What the guard knows only from history (replies already sent, the recipient's recent
auto-replies) a sample does not have: those rules are named as not checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.domain import classification
from inbox.domain.autoreply import AutoReplyCase, RefusalReason, auto_reply_refusal, own_identities
from inbox.domain.contacts import normalize_email, normalize_phone
from inbox.domain.inbound_limits import KEPT_HEADERS, MAX_HEADER_CHARS
from inbox.errors import (
    AiNotConfiguredError,
    CompanyPromptMissingError,
    ForbiddenError,
    InvalidInputError,
    PermanentError,
)
from inbox.models import Channel, Conversation, Direction, Folder, Integration, Message, Party, Principal
from inbox.models.ai_reply import ReplyProposal
from inbox.models.ai_try import SampleMessage, TryDecision, TryReply, TryResult
from inbox.models.draft import OutcomeReason
from inbox.models.integration_settings import EmailSettings, VonageSettings
from inbox.services.ai_replies import API_REPLY_SECONDS
from inbox.services.ai_settings import AiConfig
from inbox.services.autoreply import identities
from inbox.services.classify_decision import classification_prompt, decide, read_ai_answer

SAMPLE_ID = "try"  # the sample's conversation, message, contact and integration: never stored
# The guard's rules a sample cannot meet: they read the conversation's replies, or the auto-replies that
# went to the same recipient lately; a sample was written just now, on a conversation of its own.
NOT_CHECKED = (
    RefusalReason.WHATSAPP_WINDOW_CLOSED,
    RefusalReason.ALREADY_ANSWERED,
    RefusalReason.PREVIOUS_SEND_FAILED,
    RefusalReason.NO_HUMAN_REPLY_SINCE_LAST_AUTO,
    RefusalReason.RECENT_REPLY,
    RefusalReason.RATE_LIMITED_RECIPIENT,
)


class Store(Protocol):
    """Reads only."""

    def list_folders(self, tenant_id: str) -> list[Folder]: ...
    def list_integrations(self, tenant_id: str) -> list[Integration]: ...


class AiConfigs(Protocol):
    def config(self, tenant_id: str) -> AiConfig | None: ...


class LanguageModel(Protocol):
    def complete_json(self, messages: list[dict[str, str]], name: str, schema: dict[str, Any]) -> tuple[Any, Any]: ...


class ReplyWriter(Protocol):
    """services.ai_replies.ReplyWriter, built without its usage counter (wiring_ai.try_reply_writer)."""

    def write(
        self,
        conversation: Conversation,
        messages: Sequence[Message],
        *,
        folder: Folder | None,
        now: datetime,
        budget: float = API_REPLY_SECONDS,
    ) -> ReplyProposal: ...


class AiTry:
    def __init__(
        self,
        store: Store,
        ai: AiConfigs,
        model: Callable[[AiConfig], LanguageModel],
        writer: Callable[[], ReplyWriter],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        timer: Callable[[], float] = time.monotonic,
    ):
        self._store = store
        self._ai = ai
        self._model = model
        self._writer = writer
        self._clock = clock
        self._timer = timer

    def run(self, who: Principal, sample: SampleMessage) -> TryResult:
        if not who.is_admin:
            raise ForbiddenError("this needs the admin role")
        now, started = self._clock(), self._timer()
        integrations = self._store.list_integrations(who.tenant_id)
        conversation, message = sample_conversation(who.tenant_id, sample, now, integrations)
        folders = self._store.list_folders(who.tenant_id)
        decision = self._decide(conversation, message, folders, now)
        folder = next((f for f in folders if f.id == decision.folder_id), None)
        filed = conversation.model_copy(
            update={"folder_id": decision.folder_id, "status": decision.status, "intent": decision.intent}
        )
        # One request: the reply gets what classification left of the API's time for a written reply.
        budget = API_REPLY_SECONDS - (self._timer() - started)
        reply = self._reply(filed, message, folder, decision, now, integrations, budget)
        return TryResult(decision=decision, reply=reply, not_checked=list(NOT_CHECKED))

    def _decide(
        self, conversation: Conversation, message: Message, folders: list[Folder], now: datetime
    ) -> TryDecision:
        """The decision classification makes for a new conversation (services/classify_decision.py)."""

        def ask(config: AiConfig, filtered: list[Folder]) -> tuple[classification.AiAnswer, Any]:
            document, usage = self._model(config).complete_json(  # no usage counted: a try spends, unrecorded
                classification_prompt(filtered, conversation, [message]),
                "classification",
                classification.answer_schema(filtered),
            )
            return read_ai_answer(document, filtered), usage

        decision, after = decide(
            conversation, message, folders, config=lambda: self._ai.config(conversation.tenant_id), ask=ask, now=now
        )
        folder_id = decision.get("folder_id")
        return TryDecision(
            decider=decision["decider"],
            folder_id=folder_id,
            folder_name=next((f.name for f in folders if f.id == folder_id), None),
            reason=decision.get("reason"),
            reason_code=decision.get("reason_code"),
            intent=after.intent,
            urgency=after.urgency,
            spam=decision.get("spam"),
            confidence=decision.get("confidence"),
            status=after.status,
            tokens=decision.get("tokens"),
        )

    def _reply(
        self,
        conversation: Conversation,
        message: Message,
        folder: Folder | None,
        decision: TryDecision,
        now: datetime,
        integrations: Sequence[Integration],
        budget: float,
    ) -> TryReply:
        """As the auto-reply consumer would answer (services/autoreply.py), on a sample without history."""
        if folder is None or decision.decider not in ("rule", "ai"):
            return TryReply(outcome="no_auto_reply", reason="no_folder", detail="no folder would hold it")
        mode = folder.auto_reply.mode
        if not folder.auto_reply.enabled:
            detail = f"the folder {folder.name} does not answer by itself"
            return TryReply(outcome="no_auto_reply", reason=OutcomeReason.AUTO_REPLY_OFF.value, detail=detail)
        own = own_identities(identities(integrations))
        refusal = auto_reply_refusal(
            AutoReplyCase(conversation=conversation, message=message, own_identities=own, now=now)
        )
        if refusal:
            return TryReply(outcome="refused", mode=mode, reason=refusal.reason.value, detail=refusal.detail)
        try:
            proposal = self._writer().write(conversation, [message], folder=folder, now=now, budget=budget)
        except (AiNotConfiguredError, CompanyPromptMissingError) as error:
            no_prompt = isinstance(error, CompanyPromptMissingError)
            reason = OutcomeReason.COMPANY_PROMPT_MISSING if no_prompt else OutcomeReason.AI_NOT_CONFIGURED
            return TryReply(outcome="not_configured", mode=mode, reason=reason.value, detail=str(error))
        except PermanentError as error:
            return TryReply(outcome="failed", mode=mode, reason=OutcomeReason.AI_REFUSED.value, detail=str(error))
        if mode == "validation":
            detail = "validation mode: a person sends every reply"
            return TryReply(outcome="hold", mode=mode, reason="validation_mode", detail=detail, proposal=proposal)
        if proposal.hold is not None:
            reason = proposal.hold.value
            return TryReply(outcome="hold", mode=mode, reason=reason, detail=proposal.hold_detail, proposal=proposal)
        return TryReply(outcome="send", mode=mode, proposal=proposal)


def sample_conversation(
    tenant_id: str, sample: SampleMessage, now: datetime, integrations: Sequence[Integration] = ()
) -> tuple[Conversation, Message]:
    """The sample as the first message of a new conversation, as ingest would make them (never stored).
    The sender is checked as the channel reads it: an address for email, a number for SMS and WhatsApp;
    a number is kept in E.164, as the Vonage webhook's parser and ingest keep it. The recipient and the
    headers are what ingest would store, so rules on `to` and `header:<Name>` see what they would see."""
    sender = _sender(sample)
    headers = _headers(sample)
    automated = None
    if sample.channel is Channel.EMAIL:
        from inbox.domain.email import classify_automated  # the parser's one detection (a noreply sender, ...)

        automated = classify_automated(headers, sender.email, sample.subject, delivery_report=False)
    automated = str(automated) if automated else None
    subject = (sample.subject or "").strip() or None
    conversation = Conversation(
        id=SAMPLE_ID,
        tenant_id=tenant_id,
        channel=sample.channel,
        integration_id=SAMPLE_ID,
        contact_id=SAMPLE_ID,
        contact=sender,
        subject=subject,
        automated=automated,
        message_count=1,
        created_at=now,
        last_activity_at=now,
        last_inbound_at=now,
        opened_by_customer=True,
    )
    message = Message(
        id=SAMPLE_ID,
        tenant_id=tenant_id,
        conversation_id=SAMPLE_ID,
        integration_id=SAMPLE_ID,
        channel=sample.channel,
        direction=Direction.INBOUND,
        sender=sender,
        to=_recipients(sample, integrations),
        subject=subject,
        text=sample.text,
        automated=automated,
        headers=headers,
        received_at=now,
    )
    return conversation, message


def _sender(sample: SampleMessage) -> Party:
    name = (sample.sender_name or "").strip() or None
    value = sample.sender.strip()
    if sample.channel is Channel.EMAIL or (sample.channel is Channel.CUSTOM and "@" in value):
        return Party(name=name, email=normalize_email(value, "sender"))
    return Party(name=name, phone=normalize_phone(value, "sender"))


def _recipients(sample: SampleMessage, integrations: Sequence[Integration]) -> list[Party]:
    """Who it went to, as ingest stores it: the mail's To (here the one address given), our number for SMS and
    WhatsApp (Vonage's `to`, in E.164), nobody for a custom channel (its webhook carries no recipient)."""
    given = (sample.to or "").strip()
    if sample.channel is Channel.CUSTOM:
        if given:
            raise InvalidInputError("to", "a custom channel's message has no recipient")
        return []
    if sample.channel is Channel.EMAIL:
        address = normalize_email(given, "to") if given else _own(sample.channel, integrations)
        return [Party(email=address)] if address else []
    number = normalize_phone(given, "to") if given else _own(sample.channel, integrations)
    return [Party(phone=number)] if number else []


def _own(channel: Channel, integrations: Sequence[Integration]) -> str | None:
    """The address, or first number, of the tenant's first integration of that channel."""
    for integration in integrations:
        settings = integration.settings
        if channel is Channel.EMAIL and isinstance(settings, EmailSettings):
            return settings.address
        if isinstance(settings, VonageSettings):
            numbers = settings.sms_numbers if channel is Channel.SMS else settings.whatsapp_numbers
            if numbers:
                return normalize_phone(numbers[0], "to")
    return None


def _headers(sample: SampleMessage) -> dict[str, str]:
    """Mail headers as ingest keeps them: names lower-cased, only those a message keeps, values cut alike."""
    if sample.headers and sample.channel is not Channel.EMAIL:
        raise InvalidInputError("headers", "only an email carries headers")
    kept = {}
    for name, value in sample.headers.items():
        key = name.strip().lower()
        if key not in KEPT_HEADERS:
            raise InvalidInputError(f"headers.{name}", "is not kept with a message, so no rule can see it")
        kept[key] = value[:MAX_HEADER_CHARS]
    return kept
