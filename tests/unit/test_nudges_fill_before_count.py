"""A nudge's words are filled before the nudge is counted (review 16b, item 1): a read that fails in the
fill (throttled, say) raises with the count unmoved, so the job's retry still sends it, drafts it, or
sends the template; once counted, a retry of the same job does nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from inbox.domain.saved_replies import Filled
from inbox.errors import TransientError
from inbox.models import Channel, Conversation, DeliveryState, Folder, Message
from inbox.models.business_hours import BusinessHours
from inbox.models.core import Party
from inbox.models.folder import Nudge
from inbox.models.jobs import NudgeDueJob
from inbox.models.nudge import NudgeState
from inbox.models.whatsapp_template import TemplateChoice
from inbox.services.nudges import Nudges

NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday morning
CUSTOMER_WROTE = NOW - timedelta(hours=30)  # WhatsApp's 24-hour window is closed by now
EVERY_DAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Store:
    def __init__(self, conversation: Conversation, folder: Folder):
        self.conversation, self.folder, self.drafts = conversation, folder, []

    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation:
        return self.conversation

    def get_folder(self, tenant_id: str, folder_id: str) -> Folder:
        return self.folder

    def create_draft(self, draft: Any) -> None:
        self.drafts.append(draft)


class States:
    """One conversation's nudge state, with the conditional writes of the table's."""

    def __init__(self, state: NudgeState):
        self.state: NudgeState | None = state

    def get_nudge(self, tenant_id: str, conversation_id: str) -> NudgeState | None:
        return self.state

    def save_nudge(self, state: NudgeState) -> None:
        self.state = state

    def move_nudge(self, state: NudgeState, schedule: str) -> bool:
        raise AssertionError("due and open: never moved")

    def claim_nudge(self, state: NudgeState) -> bool:
        if self.state is None or self.state.sent != state.sent or self.state.reply_id != state.reply_id:
            return False
        self.state = self.state.model_copy(update={"sent": state.sent + 1})
        return True

    def end_nudge(self, tenant_id: str, conversation_id: str, reply_id: str | None = None) -> bool:
        ended, self.state = self.state is not None, None
        return ended


class Schedules:
    def put(self, name: str, at: datetime, job: Any) -> None:
        pass

    def cancel(self, name: str) -> None:
        pass


class FillFailingOnce:
    """The saved replies' fill, its first read throttled."""

    def __init__(self):
        self.calls = 0

    def __call__(self, who: Any, conversation_id: str, text: str) -> Filled:
        self.calls += 1
        if self.calls == 1:
            raise TransientError("ProvisionedThroughputExceededException")
        return Filled(text.replace("{{contact.first_name}}", "Karim"))


def nudges(channel: Channel, **nudge: Any) -> tuple[Nudges, Store, States, list, list]:
    conversation = Conversation(
        id="c1",
        tenant_id="t1",
        channel=channel,
        integration_id="i1",
        contact_id="k1",
        contact=Party(name="Karim", phone="+33600000000"),
        status="open",
        folder_id="f1",
        assignee_id="u1",
        created_at=CUSTOMER_WROTE,
        last_activity_at=NOW - timedelta(hours=25),
        last_inbound_at=CUSTOMER_WROTE,
    )
    settings = {"enabled": True, "after_hours": 24, "max_nudges": 2, "text": "Bonjour {{contact.first_name}} ?"}
    folder = Folder(
        id="f1", tenant_id="t1", name="Devis", nudge=Nudge(**settings | nudge), created_at=NOW, updated_at=NOW
    )
    state = NudgeState(
        tenant_id="t1",
        conversation_id="c1",
        folder_id="f1",
        reply_id="r1",
        replied_at=NOW - timedelta(hours=25),
        inbound_at=CUSTOMER_WROTE,
        due_at=NOW - timedelta(hours=1),
    )
    store, states, sent, told = Store(conversation, folder), States(state), [], []

    def reply(who: Any, conversation_id: str, text: str, *, auto_reply: bool = False, template: Any = None):
        sent.append(template or text)
        return Message.model_construct(id=f"m{len(sent)}", delivery=DeliveryState.SENT)

    service = Nudges(
        store,
        states,
        hours=lambda tenant_id: BusinessHours(week={day: [{"start": "00:00", "end": "24:00"}] for day in EVERY_DAY}),
        schedules=Schedules,
        reply=reply,
        resolve=lambda who, conversation_id: None,
        notify=lambda tenant_id, user_id, kind, **fields: told.append((user_id, kind)),
        admins=lambda tenant_id: [],
        clock=lambda: NOW,
        fill=FillFailingOnce(),
    )
    return service, store, states, sent, told


JOB = NudgeDueJob(tenant_id="t1", conversation_id="c1", reply_id="r1", nudge=1)


def fire_twice(service: Nudges, states: States) -> str:
    """The first fire raises in the fill, with the nudge not counted; the retry does it."""
    with pytest.raises(TransientError):
        service.fire(JOB)
    assert states.state is not None
    assert states.state.sent == 0
    return service.fire(JOB)


def test_a_fill_that_fails_once_leaves_the_nudge_to_the_retry_which_sends_it():
    service, _, states, sent, told = nudges(Channel.SMS)

    assert fire_twice(service, states) == "sent"
    assert sent == ["Bonjour Karim ?"]
    assert states.state is not None
    assert states.state.sent == 1
    assert service.fire(JOB) == "done_already"  # a third delivery of the same job: counted, never twice
    assert (len(sent), told) == (1, [])


def test_a_fill_that_fails_once_leaves_the_draft_to_the_retry():
    service, store, states, sent, _ = nudges(Channel.SMS, mode="validation")

    assert fire_twice(service, states) == "drafted"
    assert [draft.text for draft in store.drafts] == ["Bonjour Karim ?"]
    assert sent == []


def test_a_fill_that_fails_once_leaves_the_whatsapp_template_to_the_retry():
    template = TemplateChoice(name="suivi_demande", locale="fr", parameters=["{{contact.first_name}}"])
    service, _, states, sent, _ = nudges(Channel.WHATSAPP, template=template)

    assert fire_twice(service, states) == "sent_template"
    ((request,),) = [sent]
    assert request.parameters == ["Karim"]
