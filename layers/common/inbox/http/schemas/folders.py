"""`/folders`: folders with their rules, AI filter and auto-reply."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inbox.domain.rules import Group
from inbox.http.schemas.conversations import ConversationOut
from inbox.models import AutoReply, Folder, Nudge

# Tags pydantic puts in the location of an error inside a rule group; a person needs the path alone.
RULE_TAGS = frozenset(("condition", "group"))


class FolderIn(BaseModel):
    """A folder in full (PUT replaces every field)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=60)
    position: int | None = Field(None, ge=0, le=10_000, description="Order in the list; last when left out.")
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")
    rules: Group | None = Field(
        None, description='{"all": [...]} or {"any": [...]} of conditions {"field", "op", "value", "not"?} and groups.'
    )
    ai_filter: str | None = Field(None, max_length=2000, description="What belongs here, for the AI filter.")
    ai_examples: list[Annotated[str, Field(max_length=1000)]] = Field(default_factory=list, max_length=10)
    auto_reply: AutoReply | None = None
    nudge: Nudge | None = Field(None, description="The automatic follow-up when the customer does not answer.")

    @field_validator("rules")
    @classmethod
    def _bounded(cls, rules: Group | None) -> Group | None:
        return rules.check_size() if rules is not None else None

    def fields(self) -> dict:
        fields = self.model_dump(exclude={"rules", "auto_reply", "nudge"})
        fields["rules"] = self.rules.dump() if self.rules is not None else None
        fields["auto_reply"] = self.auto_reply or AutoReply()
        fields["nudge"] = self.nudge or Nudge()
        return fields


class FolderOut(BaseModel):
    id: str
    name: str
    system: bool = Field(False, description="inbox and automated: always there, filled by the inbox itself.")
    position: int
    color: str | None = None
    rules: dict | None = None
    ai_filter: str | None = None
    ai_examples: list[str] = Field(default_factory=list)
    auto_reply: AutoReply = Field(default_factory=AutoReply)
    nudge: Nudge = Field(default_factory=Nudge)
    total: int = Field(0, description="Conversations in the folder that still need someone (new, open, urgent).")
    unread: int = Field(0, description="The unread ones among them.")

    @classmethod
    def of(cls, folder: Folder, counters: dict[str, dict[str, int]]) -> FolderOut:
        data = folder.model_dump(include=set(cls.model_fields))
        return cls.model_validate(data | counters.get(folder.id, {}))


class ViewCounters(BaseModel):
    total: int = Field(0, description="Conversations that still need someone (new, open or urgent), as a folder's.")
    unread: int = 0


class AssigneeViews(BaseModel):
    """The views by assignee, counted as the folders are (issue 13, item 2)."""

    mine: ViewCounters = Field(description="Assigned to the caller.")
    unassigned: ViewCounters = Field(description="Assigned to nobody.")


class FolderList(BaseModel):
    items: list[FolderOut] = Field(description="The inbox first, the tenant's folders in order, automated mail last.")
    views: AssigneeViews | None = None
    notifications_unread: int = Field(
        0, description="The caller's unread notifications (the header's bell): opening the app asks for nothing more."
    )


class FolderPreviewIn(BaseModel):
    """A rule group as a folder would hold it (FolderIn.rules), to try before saving it."""

    model_config = ConfigDict(extra="forbid")

    rules: Group = Field(description='{"all": [...]} or {"any": [...]}, as in FolderIn.rules.')

    @field_validator("rules")
    @classmethod
    def _bounded(cls, rules: Group) -> Group:
        return rules.check_size()


class FolderPreviewOut(BaseModel):
    items: list[ConversationOut] = Field(description="The matching ones, latest activity first.")
    examined: int = Field(description="How many of the latest conversations were looked at (at most 200).")
    not_previewed: list[str] = Field(
        default_factory=list,
        description="Fields the rule tests that a conversation's list item lacks (to, header:<name>): "
        "the preview reads them as empty, while the classifier reads each message's own.",
    )
