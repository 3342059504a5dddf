"""Classification and the AI try decide alike (issue 16 review, answers #6): the same sample, folders and
model answer (or failure) fed to the Classifier, on a fake store, and to AiTry give the same decider,
folder, reason and status. A reason reworded or a step reordered on one side only fails here."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from inbox.errors import PermanentError
from inbox.models import Folder
from inbox.models.ai_try import SampleMessage
from inbox.services.ai_settings import AiConfig
from inbox.services.ai_try import AiTry, sample_conversation
from inbox.services.classify import Classifier
from samples import ADMIN, TENANT

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CONFIG = AiConfig(api_key="sk-test", model="gpt-test", base_url=None, source="tenant")


def folder(id: str, **fields: Any) -> Folder:
    return Folder(id=id, tenant_id=TENANT, name=id.title(), created_at=NOW, updated_at=NOW, **fields)


ORDERS = folder("orders", rules={"any": [{"field": "subject", "op": "contains", "value": "commande"}]})
DELIVERY = folder("delivery", ai_filter="Parcels: late, lost or damaged.")
SALES = folder("sales", rules={"any": [{"field": "to", "op": "starts_with", "value": "ventes@"}]})
EMAIL = {"channel": "email", "sender": "claire@example.fr", "text": "Mon colis est arrivé cassé."}
SURE = {"folder": "delivery", "intent": "complaint", "urgency": "high", "spam": False, "confidence": "high"}


class Model:
    """The model: one scripted answer, or a PermanentError (settings the provider refuses)."""

    def __init__(self, answer: dict[str, Any] | Exception):
        self.answer, self.calls = answer, 0

    def complete_json(self, messages: list[dict[str, str]], name: str, schema: dict[str, Any]) -> tuple[Any, Any]:
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer, SimpleNamespace(prompt_tokens=90, completion_tokens=10)


class Store:
    """One conversation with one message, as ingest stored them; what the Classifier records is kept."""

    def __init__(self, sample: SampleMessage, folders: list[Folder]):
        self.conversation, self.message = sample_conversation(TENANT, sample, NOW)
        self.folders = folders
        self.recorded: list[tuple[dict[str, Any], Any]] = []

    def get_conversation(self, tenant_id, conversation_id):
        return self.conversation

    def get_messages(self, tenant_id, conversation_id, limit, before=None):
        return [self.message], None

    def list_folders(self, tenant_id):
        return self.folders

    def list_integrations(self, tenant_id):
        return []

    def has_classification(self, tenant_id, conversation_id, message_id):
        return False

    def record_classification(self, decision, before, after, again=False):
        self.recorded.append((decision, after))

    def count_classification(self, tenant_id, day, counters):
        pass


class Configs:
    def __init__(self, config: AiConfig | None):
        self._config = config

    def config(self, tenant_id: str) -> AiConfig | None:
        return self._config


CASES = {
    "automated mail is skipped": (
        {"channel": "email", "sender": "noreply@shop.example", "text": "Facture"},
        [ORDERS],
        SURE,
        CONFIG,
    ),
    "a rule files it": (EMAIL | {"subject": "Ma commande"}, [DELIVERY, ORDERS], SURE, CONFIG),
    "a rule on the address written to": (EMAIL | {"to": "ventes@shop.example"}, [SALES, DELIVERY], SURE, CONFIG),
    "no folder has rules": (EMAIL, [folder("empty")], SURE, CONFIG),
    "the AI is not configured": (EMAIL, [ORDERS, DELIVERY], SURE, None),
    "the AI files it, sure and urgent": (EMAIL, [ORDERS, DELIVERY], SURE, CONFIG),
    "the AI is unsure": (EMAIL, [DELIVERY], SURE | {"confidence": "low"}, CONFIG),
    "the AI says spam": (EMAIL, [DELIVERY], SURE | {"folder": None, "spam": True}, CONFIG),
    "the AI names no folder of the tenant's": (EMAIL, [DELIVERY], SURE | {"folder": "elsewhere"}, CONFIG),
    "the AI refuses the settings": (EMAIL, [DELIVERY], PermanentError("invalid API key"), CONFIG),
    "an SMS a rule on the channel files": (
        {"channel": "sms", "sender": "+33612345678", "text": "Bonjour"},
        [folder("sms", rules={"any": [{"field": "channel", "op": "equals", "value": "sms"}]}), DELIVERY],
        SURE,
        CONFIG,
    ),
    "an auto-reply, by its Auto-Submitted header, is skipped": (
        EMAIL | {"headers": {"Auto-Submitted": "auto-replied"}},
        [DELIVERY],
        SURE,
        CONFIG,
    ),
    "a list's mail, by its List-Id header, is skipped": (
        EMAIL | {"headers": {"List-Id": "<news.shop.example>"}},
        [DELIVERY],
        SURE,
        CONFIG,
    ),
}
# Why nothing filed it, by its stable name (issue 16, item 3): the cases a rule or the AI decides have none.
CODES = {
    "automated mail is skipped": "automated",
    "no folder has rules": "no_rules",
    "the AI is not configured": "ai_not_configured",
    "the AI refuses the settings": "ai_failed",
    "an auto-reply, by its Auto-Submitted header, is skipped": "automated",
    "a list's mail, by its List-Id header, is skipped": "automated",
}


@pytest.mark.parametrize(
    ("sample", "folders", "answer", "config", "code"),
    [(*case, CODES.get(name)) for name, case in CASES.items()],
    ids=CASES.keys(),
)
def test_classification_and_the_ai_try_decide_alike(sample, folders, answer, config, code):
    sample = SampleMessage.model_validate(sample)
    store = Store(sample, folders)
    model = Model(answer)
    classifier = Classifier(store, None, Configs(config), lambda: None, None, lambda c: model)
    decider = classifier.classify(TENANT, store.conversation.id, store.message.id)
    [(decision, after)] = store.recorded
    classified = (decider, decision.get("folder_id"), decision.get("reason"), after.status)
    assert decision.get("reason_code") == code

    tried = AiTry(store, Configs(config), lambda c: model, writer=lambda: None, clock=lambda: NOW).run(ADMIN, sample)

    d = tried.decision
    assert (d.decider, d.folder_id, d.reason, d.status) == classified
    assert d.reason_code == code
    assert (d.intent, d.urgency) == (after.intent, after.urgency)
    assert model.calls == (2 if decider == "ai" or "failed" in (d.reason or "") else 0)  # one each, or none


def test_both_read_the_same_decision_from_one_module():
    """The shared decision is the only one: neither side keeps a copy of its steps."""
    from inbox.services import ai_try, classify, classify_decision

    assert ai_try.decide is classify.decide is classify_decision.decide


def test_the_tried_reply_gets_what_classification_left_of_the_api_time():
    """A try classifies and writes within one API request: 8 s spent on the AI filter leave the reply
    writer API_REPLY_SECONDS - 8, so its lookups and model calls stop in time (ApiFunction's 20 s)."""
    from inbox.models.ai_reply import ReplyProposal
    from inbox.models.folder import AutoReply
    from inbox.services.ai_replies import API_REPLY_SECONDS

    answering = folder("delivery", ai_filter="Parcels.", auto_reply=AutoReply(enabled=True, mode="validation"))
    sample = SampleMessage.model_validate(EMAIL)
    budgets: list[float] = []

    class Writer:
        def write(self, conversation, messages, *, folder, now, budget):
            budgets.append(budget)
            return ReplyProposal(text="Bonjour", language="fr", confidence=0.9, needs_person=False, reason="ok")

    ticks = iter([100.0, 108.0])
    tried = AiTry(
        Store(sample, [answering]),
        Configs(CONFIG),
        lambda c: Model(SURE),
        lambda: Writer(),
        clock=lambda: NOW,
        timer=lambda: next(ticks),
    ).run(ADMIN, sample)

    assert tried.reply.outcome == "hold"
    assert budgets == [API_REPLY_SECONDS - 8]


def test_the_re_sorts_and_a_persons_filing_name_why_they_file_nothing():
    """The reasons a try never meets (a new conversation is not pinned, nor re-sorted) are named too, so the
    decision record always carries a reason_code next to its English reason."""
    from inbox.models import ClassifiedBy
    from inbox.services.classify_decision import decide

    conversation, message = sample_conversation(TENANT, SampleMessage.model_validate(EMAIL), NOW)

    def never(*_):
        pytest.fail("the AI is not asked")

    def decided(conversation, **options):
        record, _ = decide(conversation, message, [DELIVERY], config=lambda: CONFIG, ask=never, now=NOW, **options)
        return record["decider"], record["reason_code"]

    pinned = conversation.model_copy(update={"folder_id": "delivery", "folder_pinned": True})
    by_ai = conversation.model_copy(
        update={"folder_id": "delivery", "classified_by": ClassifiedBy(decider="ai", folder_id="delivery")}
    )
    assert decided(pinned) == ("skipped", "filed_by_person")
    assert decided(by_ai, ask_ai=False, again=True) == ("skipped", "ai_choice_stands")
    assert decided(conversation, ask_ai=False, again=True) == ("none", "rules_only")
