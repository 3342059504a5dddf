"""`/conversations`: conversations, their messages and notes, replies and changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inbox.domain.conversations import view_folder
from inbox.domain.html import has_remote_images, sanitize_html
from inbox.domain.whatsapp_templates import MAX_PARAMETER_LENGTH, MAX_PARAMETERS, TemplateRequest
from inbox.http.schemas.search import SearchMatch
from inbox.models import Channel, ClassifiedBy, Conversation, DeliveryState, Direction, Message, Note, Party, Status
from inbox.models.conversation import SentTemplate


class ConversationOut(BaseModel):
    id: str
    channel: Channel
    integration_id: str
    contact_id: str
    contact: Party
    subject: str | None
    status: Status
    folder_id: str | None
    folder: str = Field(description="The folder it is listed and counted in: `folder_id`, else `inbox` or `automated`.")
    assignee_id: str | None
    project_id: str | None = None
    unread: bool
    message_count: int
    preview: str
    intent: str | None = None
    urgency: str | None = None
    folder_pinned: bool = Field(False, description="A person chose the folder; classification leaves it.")
    classified_by: ClassifiedBy | None = Field(None, description="Who chose the folder: a rule or the AI.")
    classification_note: str | None = None
    created_at: datetime
    last_activity_at: datetime
    snoozed_until: datetime | None = Field(None, description="Snoozed: hidden from the lists until then.")

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationOut:
        data = conversation.model_dump(exclude={"tenant_id", "version"})
        return cls.model_validate(data | {"folder": view_folder(conversation)})


class ListedConversation(ConversationOut):
    """A conversation as a list shows it; found by a search, with the passage that matched."""

    match: SearchMatch | None = Field(None, description="With `q` (and in /search): where the words were found.")


class ConversationPage(BaseModel):
    items: list[ListedConversation]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null at the end.")


class AttachmentOut(BaseModel):
    filename: str
    content_type: str
    size: int
    inline: bool
    content_id: str | None
    url: str | None = Field(None, description="Download link, valid for 15 minutes.")


class MessageOut(BaseModel):
    id: str
    channel: Channel
    direction: Direction
    sender: Party
    to: list[Party]
    cc: list[Party] = Field(default_factory=list, description="Outbound email: Cc.")
    bcc: list[Party] = Field(default_factory=list, description="Outbound email: Bcc (only we see them).")
    subject: str | None
    text: str
    html: str | None = Field(
        None, description="Sanitised for display; remote images are held back in `data-blocked-src`."
    )
    remote_images: bool = Field(False, description="The HTML has remote images, blocked until the reader allows.")
    external_id: str | None
    automated: str | None = Field(None, description="newsletter, auto_reply or bounce")
    defects: list[str] = Field(description="What could not be read; the raw message is kept.")
    attachments: list[AttachmentOut]
    template: SentTemplate | None = Field(None, description="WhatsApp: the approved template it was sent as.")
    delivery: DeliveryState | None = Field(None, description="Replies: sending, sent or failed.")
    delivery_error: str | None = None
    author_id: str | None = None
    auto_reply: bool = Field(False, description="Sent by the AI by itself (a folder in automatic mode).")
    raw_url: str | None = Field(None, description="The message as received (.eml), valid for 15 minutes.")
    sent_at: datetime | None
    received_at: datetime

    @classmethod
    def of(cls, message: Message, link: Callable[[str, str], str] | None = None) -> MessageOut:
        """`link(key, filename)` makes download links; without it there are none."""
        data = message.model_dump(include=set(cls.model_fields))
        if link:
            data["attachments"] = [
                a | {"url": link(a["key"], a["filename"])}
                for a in message.model_dump(include={"attachments"})["attachments"]
            ]
            if message.raw_key:
                data["raw_url"] = link(message.raw_key, f"message-{message.id}.eml")
        data["html"] = sanitize_html(message.html) if message.html else None
        data["remote_images"] = bool(message.html and has_remote_images(message.html))
        return cls.model_validate(data)


class NoteOut(BaseModel):
    id: str
    author_id: str
    author_email: str | None
    text: str
    created_at: datetime

    @classmethod
    def of(cls, note: Note) -> NoteOut:
        return cls.model_validate(note.model_dump(include=set(cls.model_fields)))


class ConversationDetail(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut] = Field(description="The latest messages, oldest first.")
    earlier_messages: str | None = Field(None, description="Pass as `before` for the messages before these.")
    notes: list[NoteOut]


class ConversationPatch(BaseModel):
    """Only the fields given change; `null` clears the folder or the assignee."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    folder_id: str | None = Field(None, min_length=1, max_length=64)
    assignee_id: str | None = Field(None, min_length=1, max_length=128)
    project_id: str | None = Field(None, min_length=1, max_length=64, description="`null` unlinks it.")
    unread: bool | None = None

    @field_validator("status", "unread")
    @classmethod
    def _not_cleared(cls, value: object) -> object:
        if value is None:
            raise ValueError("cannot be null")
        return value


class BulkChange(BaseModel):
    """One change, as PATCH takes it, for each of up to 100 conversations."""

    model_config = ConfigDict(extra="forbid")

    ids: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=100)
    changes: ConversationPatch


class BulkResult(BaseModel):
    id: str
    result: Literal["changed", "not_found", "conflict"] = Field(
        description="`changed`: it has the change now (also when it had it already); `not_found`: no such "
        "conversation for the caller; `conflict`: others kept changing it, try again."
    )
    conversation: ConversationOut | None = Field(None, description="As it is now, when changed.")


class BulkResults(BaseModel):
    results: list[BulkResult] = Field(description="One per id, in the order given (a repeated id once).")


class TemplateReplyIn(BaseModel):
    """One of the Vonage integration's approved WhatsApp templates, as a reply."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=512)
    locale: str | None = Field(
        None, min_length=2, max_length=35, description="Needed only when the name is approved in several locales."
    )
    parameters: list[Annotated[str, Field(max_length=MAX_PARAMETER_LENGTH)]] = Field(
        default_factory=list, max_length=MAX_PARAMETERS, description="In order: the first fills {{1}}."
    )

    def request(self) -> TemplateRequest:
        return TemplateRequest(name=self.name, locale=self.locale, parameters=list(self.parameters))


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, min_length=1, max_length=100_000, description="Required, unless `template`.")
    html: str | None = Field(None, max_length=500_000)
    subject: str | None = Field(
        None,
        min_length=1,
        max_length=998,
        description="Email only: the reply's subject; without it, `Re: ` and the conversation's subject.",
    )
    template: TemplateReplyIn | None = Field(
        None,
        description="WhatsApp only, instead of `text`: an approved template, the only reply WhatsApp takes once "
        "24 hours have passed since the customer's last message. The reply's text is the template rendered.",
    )
    attachments: list[Annotated[str, Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")]] = Field(
        default_factory=list,
        max_length=10,
        description="Upload ids (POST .../attachments), in order. Each file is read back and judged by its content "
        "first: one that is not what it was declared as (a program named .pdf) is a 422 on `attachments[i]`. "
        "Email: all files together at most 20 MB. WhatsApp: each goes as an image, audio, video or file message "
        "after the text. SMS: a 422 (SMS carries no file). With files, `text` may be left out.",
    )
    cc: list[Annotated[str, Field(max_length=254)]] = Field(
        default_factory=list, max_length=50, description="Email only: Cc addresses (a bad one: 422 on `cc[i]`)."
    )
    bcc: list[Annotated[str, Field(max_length=254)]] = Field(
        default_factory=list, max_length=50, description="Email only: Bcc addresses."
    )
    reply_all: bool = Field(
        False,
        description="Email only: To the customer, and Cc also the other participants of the message answered "
        "(its sender and recipients), but our own addresses.",
    )

    @field_validator("subject")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        # A header value: a line break would start another header.
        if value is not None and any(c in value for c in "\r\n\0"):
            raise ValueError("must be one line")
        return value


class WhatsAppTemplateOut(BaseModel):
    """An approved template a WhatsApp conversation can be answered with."""

    name: str
    locale: str
    parameters: int = Field(description="How many it takes: {{1}} to {{n}} in `text`.")
    text: str = Field(description="Its body as approved, for a preview.")


class WhatsAppTemplates(BaseModel):
    items: list[WhatsAppTemplateOut] = Field(description="Empty on other channels, or when none is set.")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20_000)
