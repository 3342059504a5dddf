"""A `send` follow-up's placeholders (issue 16 review, answers #1 and #8): filled only when the text (or a
WhatsApp template's parameter) holds one; the sender is looked up only for `agent.*` placeholders."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from inbox.domain.saved_replies import Filled
from inbox.models import DeliveryState, Party, Principal
from inbox.models.follow_up import FollowUp, FollowUpAction
from inbox.models.jobs import FollowUpDueJob
from inbox.models.person import Person
from inbox.models.whatsapp_template import TemplateChoice
from inbox.services.follow_ups import FollowUps
from inbox.services.saved_replies import SavedReplies
from samples import NOW, TENANT, sample_conversation

CONVERSATION = sample_conversation(id="c1", tenant_id=TENANT, contact=Party(name="Marie Dupont", phone="33612345678"))


class Store:
    def __init__(self, follow_up: FollowUp, conversation=CONVERSATION):
        self.follow_up, self.conversation = follow_up, conversation

    def get_conversation(self, tenant_id: str, conversation_id: str):
        return self.conversation

    def get_contact(self, tenant_id: str, contact_id: str):
        raise AssertionError("the contact is read only for contact.* placeholders")

    def get_follow_up(self, tenant_id: str, conversation_id: str, follow_up_id: str):
        return self.follow_up

    def save_follow_up(self, before: FollowUp, after: FollowUp) -> FollowUp:
        self.follow_up = after
        return after


class Sent:
    def __init__(self):
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, who: Principal, conversation_id: str, text: str, template: Any = None) -> Any:
        self.calls.append((text, template))
        return SimpleNamespace(id="m1", delivery=DeliveryState.SENT)  # what the service reads of a Message


class Notified:
    def __init__(self):
        self.kinds: list[str] = []

    def notify(self, tenant_id: str, user_id: str, kind, **fields: Any) -> None:
        self.kinds.append(kind)


def follow_up(text: str | None, template: TemplateChoice | None = None) -> FollowUp:
    return FollowUp(
        id="f1",
        tenant_id=TENANT,
        conversation_id="c1",
        created_by="u1",
        created_at=NOW,
        due_at=NOW + timedelta(hours=1),
        action=FollowUpAction.SEND,
        text=text,
        template=template,
    )


def fire(store: Store, fill, notified: Notified | None = None) -> tuple[str, Sent]:
    sent = Sent()
    notified = notified or Notified()
    service = FollowUps(
        store, lambda: None, lambda: notified, sent, lambda *a: None, clock=lambda: NOW + timedelta(hours=1), fill=fill
    )
    return service.fire(FollowUpDueJob(tenant_id=TENANT, conversation_id="c1", follow_up_id="f1")), sent


def test_a_text_without_placeholders_is_sent_without_a_fill():
    def fill(*args: Any) -> Filled:
        raise AssertionError("no placeholder: nothing to fill")

    outcome, sent = fire(Store(follow_up("Toujours là ?")), fill)

    assert outcome == "sent"
    assert sent.calls == [("Toujours là ?", None)]


def test_the_sender_is_looked_up_only_for_agent_placeholders():
    def sender(who: Principal) -> Person:
        raise AssertionError("no agent.* placeholder: no Cognito call")

    replies = SavedReplies(store=None, conversations=Store(follow_up(None)), sender=sender)  # type: ignore[arg-type]
    who = Principal(user_id="u1", tenant_id=TENANT, role="agent")

    assert replies.fill_text(who, "c1", "Bonjour {{conversation.subject}}").missing == ["conversation.subject"]
    assert replies.fill_text(who, "c1", "Rien à remplir").text == "Rien à remplir"
