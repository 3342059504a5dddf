"""Writing a reply, or a summary, for a conversation with the tenant's model: one call each, or for a
reply a few more when the model calls the tenant's lookups first (issue 16).

The prompt (domain/reply_prompt.py) is grounded in the company prompt and the knowledge base; the
hold checks (domain/reply_checks.py) say whether automatic mode may send the reply as it is. What
to do with a proposal (send it, keep it as a draft) is the caller's: the auto-reply consumer and
the Copilot button. Errors: AiNotConfiguredError, CompanyPromptMissingError (permanent: nothing to
retry until an admin acts), TransientError (the model failed or answered garbage: the queue retries),
PermanentError (the provider refused the settings).

Lookups: the model is offered the enabled lookups of the conversation's tenant, and only those (by
name, description and parameters: never an endpoint nor a secret). A call to a name not offered, or
with arguments that do not fit the lookup's parameters, is refused without reaching any endpoint
and recorded; at most MAX_CALLS_PER_REPLY calls are made. Every call is in `proposal.lookups`; one
that did not answer holds the reply for a person (LOOKUP_FAILED), whatever the model wrote of it.
Each call carries who is asking as the channel vouches for it (the conversation's contact), never
what the customer wrote.

Time: a reply has one deadline (`budget` seconds from the start of `write`), carried through the
model's loop: tools are offered, and a call made, only while a lookup and then the final answer still
fit (LOOKUP_SECONDS + ANSWER_SECONDS); a call asked for later fails "no time left for this lookup",
which holds the reply like any failed one; no completion waits past the deadline. The API's replies
(Copilot, the try) get API_REPLY_SECONDS, inside ApiFunction's Timeout; auto-replies get more
(services/autoreply.WRITE_SECONDS), inside AutoReplyFunction's (tests/functional/test_template_deadlines.py).
"""

from __future__ import annotations

import copy
import functools
import operator
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from pydantic import ValidationError

from inbox.adapters.lookup_http import DEADLINE_SECONDS as LOOKUP_SECONDS
from inbox.domain import lookup_tools, reply_checks, reply_prompt, summary_prompt
from inbox.domain.html import html_to_text
from inbox.errors import AiNotConfiguredError, CompanyPromptMissingError, InvalidInputError, TransientError
from inbox.models import Conversation, Folder, Message
from inbox.models.ai_lookup import MAX_CALLS_PER_REPLY, AiLookup, LookupCall, LookupCustomer
from inbox.models.ai_reply import CHOSEN_KEPT, ConversationSummary, HoldReason, ReplyProposal, TokenUsage
from inbox.models.folder import AutoReply
from inbox.models.knowledge import KnowledgeSelection, PassageRef
from inbox.services.ai_settings import AiConfig

API_REPLY_SECONDS = 24.0  # a reply written while a person waits, inside ApiFunction's 29 s with the reads around it
ANSWER_SECONDS = 4.0  # kept for the final answer before a lookup is made: a reply's usual completion time


class AiSource(Protocol):
    """The tenant's AI settings (services/ai_settings.AiSettings)."""

    def config(self, tenant_id: str) -> AiConfig | None: ...
    def company_prompt(self, tenant_id: str) -> str | None: ...


class KnowledgeSource(Protocol):
    """The tenant's knowledge base (services/knowledge.KnowledgeBase)."""

    def for_prompt(self, tenant_id: str, conversation_text: str, budget_tokens: int) -> KnowledgeSelection: ...


class Blobs(Protocol):
    def get_json(self, key: str) -> Any: ...


class LookupSource(Protocol):
    """The tenant's lookups (services/ai_lookups.AiLookups)."""

    def tools(self, tenant_id: str) -> list[AiLookup]:
        """The enabled lookups of that tenant, and only its."""
        ...

    def call(
        self, tenant_id: str, lookup: AiLookup, arguments: dict[str, Any], customer: LookupCustomer | None = None
    ) -> LookupCall:
        """One signed call for `customer`; never raises for the endpoint's failure (ok=False, error=...)."""
        ...


class LanguageModel(Protocol):
    def complete_json(self, messages: list[dict[str, Any]], name: str, schema: dict[str, Any]) -> tuple[Any, Any]:
        """One completion constrained by a strict JSON schema: the parsed answer and what it cost."""
        ...

    def complete_json_with_tools(
        self,
        messages: list[dict[str, Any]],
        name: str,
        schema: dict[str, Any],
        tools: list[dict[str, Any]],
        run_tool: Callable[[str, str], str],
        max_calls: int,
        *,
        seconds_left: Callable[[], float] | None = None,
        tools_fit: Callable[[], bool] | None = None,
        on_spent: Callable[[Any], None] | None = None,
    ) -> tuple[Any, Any]:
        """The same answer, the model having called `tools` (through `run_tool`) at most `max_calls` times,
        and only while `tools_fit()`; no completion waits longer than `seconds_left()`; `on_spent` is
        told each completion's usage as it comes (a later one may fail)."""
        ...


class ReplyWriter:
    def __init__(
        self,
        ai: AiSource,
        knowledge: Callable[[], KnowledgeSource],
        blobs: Blobs | None,
        model: Callable[[AiConfig], LanguageModel],
        on_usage: Callable[[str, str, Any], None] | None = None,
        lookups: Callable[[], LookupSource] | None = None,
        timer: Callable[[], float] = time.monotonic,
    ):
        self._ai = ai
        self._timer = timer
        self._lookups = lookups
        self._on_usage = on_usage  # the tokens spent, per tenant and model (statistics, issue 14 item 2)
        self._knowledge = knowledge
        self._blobs = blobs
        self._model = model

    def write(
        self,
        conversation: Conversation,
        messages: list[Message],
        *,
        folder: Folder | None,
        now: datetime,
        budget: float = API_REPLY_SECONDS,
    ) -> ReplyProposal:
        """The model's reply to `messages` (oldest first), with `hold` set when automatic mode must
        keep it for a person (the folder's threshold; without a folder, the default one), written
        within `budget` seconds from now (see the module's "Time")."""
        deadline = self._timer() + budget
        tenant_id = conversation.tenant_id
        config = self._config(tenant_id)
        company_prompt = (self._ai.company_prompt(tenant_id) or "").strip()
        if not company_prompt:
            raise CompanyPromptMissingError("the company prompt is not written: AI replies are not configured")
        messages = [self._whole(m) for m in messages]
        knowledge = self._knowledge().for_prompt(
            tenant_id, reply_prompt.conversation_text(messages), reply_prompt.KNOWLEDGE_BUDGET_TOKENS
        )
        prompt = reply_prompt.reply_messages(company_prompt, knowledge, conversation, messages, now)
        offered = self._lookups().tools(tenant_id) if self._lookups is not None else []
        calls = _Calls(self._lookups, tenant_id, offered, _customer(conversation), lambda: deadline - self._timer())
        model = self._model(config)
        if offered:
            made: list[Any] = []  # each completion's usage: counted even when a later completion fails
            try:
                document, spent = model.complete_json_with_tools(
                    prompt,
                    reply_prompt.REPLY_SCHEMA_NAME,
                    reply_prompt.reply_schema(),
                    [lookup_tools.tool_definition(lookup) for lookup in offered],
                    calls.run,
                    MAX_CALLS_PER_REPLY,
                    seconds_left=calls.seconds_left,
                    tools_fit=calls.fit,
                    on_spent=made.append,
                )
            except Exception:
                if made:
                    self._spent(tenant_id, config.model, functools.reduce(operator.add, made))
                raise
        else:
            document, spent = model.complete_json(prompt, reply_prompt.REPLY_SCHEMA_NAME, reply_prompt.reply_schema())
        self._spent(tenant_id, config.model, spent)
        try:
            answer = reply_prompt.read_reply(document)
        except ValidationError as error:
            raise TransientError(f"the AI's reply did not fit its schema ({error.error_count()} errors)") from error
        known = [
            company_prompt,
            *(p.text for p in knowledge.passages),
            *_contact_details(conversation),
            *(lookup_tools.known_text(call) for call in calls.made),
        ]
        threshold = (folder.auto_reply if folder else AutoReply()).min_confidence
        holds = reply_checks.reply_holds(
            answer.text,
            confidence=answer.confidence,
            needs_person=answer.needs_person,
            reason=answer.reason,
            min_confidence=threshold,
            channel=conversation.channel,
            known_texts=known,
        )
        failed = [call for call in calls.made if not call.ok]
        if failed:  # first: what the model wrote may lack the facts it went for
            said = "; ".join(f"{call.name}: {call.error or 'failed'}" for call in failed)[:500]
            holds.insert(0, reply_checks.Hold(HoldReason.LOOKUP_FAILED, said))
        hold, detail = reply_checks.first_hold(holds)
        return ReplyProposal(
            text=answer.text,
            language=answer.language,
            confidence=answer.confidence,
            needs_person=answer.needs_person,
            reason=answer.reason,
            passages=reply_prompt.cited(answer, knowledge.passages),
            knowledge_whole=knowledge.whole,
            knowledge_passages=len(knowledge.passages),
            knowledge_chosen=[] if knowledge.whole else _named(knowledge, CHOSEN_KEPT),
            lookups=calls.made,
            usage=_usage(spent),
            hold=hold,
            hold_detail=detail,
        )

    def summarize(self, conversation: Conversation, messages: list[Message], *, now: datetime) -> ConversationSummary:
        """Key points, what the customer wants and what was promised, up to the last of `messages`."""
        if not messages:
            raise InvalidInputError("conversation", "has no message to summarise")
        config = self._config(conversation.tenant_id)
        messages = [self._whole(m) for m in messages]
        prompt = summary_prompt.summary_messages(conversation, messages, now)
        document, spent = self._model(config).complete_json(
            prompt, summary_prompt.SUMMARY_SCHEMA_NAME, summary_prompt.summary_schema()
        )
        self._spent(conversation.tenant_id, config.model, spent)
        try:
            answer = summary_prompt.read_summary(document)
        except ValidationError as error:
            raise TransientError(f"the AI's summary did not fit its schema ({error.error_count()} errors)") from error
        return ConversationSummary(
            key_points=answer.key_points,
            customer_wants=answer.customer_wants,
            promised=answer.promised,
            language=answer.language,
            covers_message_id=messages[-1].id,
            created_at=now,
            usage=_usage(spent),
        )

    def uncounted(self) -> ReplyWriter:
        """The same writer whose tokens are not counted in the tenant's statistics: the AI try's
        (a sample is not work done, and the counter is the one write a reply makes)."""
        twin = copy.copy(self)
        twin._on_usage = None
        return twin

    def _spent(self, tenant_id: str, model: str, spent: Any) -> None:
        if self._on_usage is not None:
            self._on_usage(tenant_id, model, spent)

    def _config(self, tenant_id: str) -> AiConfig:
        config = self._ai.config(tenant_id)
        if config is None:
            raise AiNotConfiguredError("no AI model is configured for this tenant")
        return config

    def _whole(self, message: Message) -> Message:
        """The whole body (not the preview kept with a long message), and of an HTML message the
        text it shows, as the classifier reads it."""
        text, html = message.text, message.html
        if message.body_key and self._blobs is not None:
            body = self._blobs.get_json(message.body_key)
            text, html = body["text"], body.get("html")
        if html:
            text = html_to_text(html)
        return message.model_copy(update={"text": text})


class _Calls:
    """Runs the calls the model asks for while writing one reply, and records each one."""

    def __init__(
        self,
        source: Callable[[], LookupSource] | None,
        tenant_id: str,
        offered: list[AiLookup],
        customer: LookupCustomer,
        seconds_left: Callable[[], float],
    ):
        self._source, self._tenant_id, self._customer = source, tenant_id, customer
        self._offered = {lookup.name: lookup for lookup in offered}  # the tenant's own, and nothing else
        self.seconds_left = seconds_left  # until the reply's deadline
        self.made: list[LookupCall] = []

    def fit(self) -> bool:
        """Whether a lookup, at its own deadline, and then the final answer still fit in the reply's time."""
        return self.seconds_left() >= LOOKUP_SECONDS + ANSWER_SECONDS

    def run(self, name: str, raw_arguments: str) -> str:
        """The `tool` message for the model: the lookup's answer, or why there is none."""
        lookup = self._offered.get(name)
        if lookup is None or self._source is None:
            call = lookup_tools.refused(name, raw_arguments, lookup_tools.NOT_OFFERED)
        else:
            try:
                arguments = lookup_tools.arguments_of(lookup.parameters, raw_arguments)
            except lookup_tools.ArgumentsError as error:
                call = lookup_tools.refused(name, raw_arguments, f"arguments: {error}")
            else:
                if self.fit():
                    call = self._source().call(self._tenant_id, lookup, arguments, customer=self._customer)
                else:
                    call = lookup_tools.refused(name, raw_arguments, lookup_tools.NO_TIME_LEFT)
        self.made.append(call)
        return lookup_tools.tool_result(call)


def _customer(conversation: Conversation) -> LookupCustomer:
    """Who is asking, as the channel vouches for it: the conversation's contact as stored (its address,
    its number), never anything the customer wrote."""
    contact = conversation.contact
    return LookupCustomer(email=contact.email or None, phone=contact.phone or None)


def _contact_details(conversation: Conversation) -> list[str]:
    """The customer's own address and number, from the channel (not from what they wrote): a reply
    may name them back without being held."""
    contact = conversation.contact
    phone = contact.phone
    if phone and phone.isdigit():  # Vonage's numbers come without their +
        phone = f"+{phone}"
    return [value for value in (contact.email, phone) if value]


def _named(knowledge: KnowledgeSelection, limit: int) -> list[PassageRef]:
    """The first `limit` passages of a selection, by id and title: what the draft shows was chosen."""
    return [
        PassageRef(document_id=p.document_id, passage_id=p.passage_id, title=p.title)
        for p in knowledge.passages[:limit]
    ]


def _usage(spent: Any) -> TokenUsage:
    return TokenUsage(
        prompt_tokens=getattr(spent, "prompt_tokens", 0),
        completion_tokens=getattr(spent, "completion_tokens", 0),
        cached_tokens=getattr(spent, "cached_tokens", 0),
    )
