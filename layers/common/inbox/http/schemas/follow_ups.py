"""`/conversations/{id}/follow-ups`, `/follow-ups` and `/conversations/{id}/snooze` (issue 13, item 6)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from inbox.domain.follow_ups import MAX_TEXT
from inbox.models.follow_up import FollowUp, FollowUpAction, FollowUpOutcome, FollowUpState
from inbox.models.whatsapp_template import TemplateChoice


class FollowUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_at: AwareDatetime = Field(description="When: in the future, at most a year ahead, with its time zone.")
    action: FollowUpAction = Field(
        description="`remind` notifies you and brings the conversation back; `reopen` sets it open; `send` "
        "sends `text` as you (WhatsApp: within 24 h of the customer's last message, else you are notified that "
        "a template is needed); `draft` has the AI write a reply kept for you to validate."
    )
    text: str | None = Field(None, max_length=MAX_TEXT, description="The message (`send`), else a note for you.")
    only_if_no_answer: bool = Field(False, description="Cancelled if the customer writes before `due_at`.")
    template: TemplateChoice | None = Field(
        None,
        description="`send` on WhatsApp (issue 16): an approved template with its parameters, sent instead of "
        "`text` if the 24-hour window is closed when it is due (or always, without `text`). 422 on `template.name` "
        "when not approved, on `template.parameters` when the count does not match.",
    )


class FollowUpOut(BaseModel):
    id: str
    conversation_id: str
    created_by: str = Field(description="Who set it: notified, and the author of what it sends.")
    created_at: datetime
    due_at: datetime
    action: FollowUpAction
    text: str | None
    only_if_no_answer: bool
    template: TemplateChoice | None = Field(None, exclude_if=lambda t: t is None, description="Issue 16.")
    state: FollowUpState = Field(description="`scheduled`, `firing`, `done` or `cancelled`.")
    outcome: FollowUpOutcome | None = Field(
        description="What it came to: `reminded`, `reopened`, `sent`, `send_failed`, `send_unconfirmed` (the send "
        "ended in an error: it may or may not have gone out; never sent again), `drafted`, `draft_failed`, "
        "`template_needed` (WhatsApp's window was closed), `cancelled` (by a person), `customer_answered`, "
        "`conversation_gone`."
    )
    detail: str | None = Field(description="Why, in English, when the outcome needs words.")
    fired_at: datetime | None
    message_id: str | None = Field(description="`send`: the message sent.")
    draft_id: str | None = Field(description="`draft`: the draft written.")

    @classmethod
    def of(cls, follow_up: FollowUp) -> FollowUpOut:
        return cls.model_validate(follow_up.model_dump(exclude={"tenant_id", "version"}))


class FollowUpList(BaseModel):
    items: list[FollowUpOut]


class FollowUpPage(BaseModel):
    items: list[FollowUpOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null at the end.")


class SnoozeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    until: AwareDatetime = Field(description="Hidden until then (or until the customer writes): at most a year ahead.")
