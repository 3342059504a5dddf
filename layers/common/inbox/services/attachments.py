"""Files and recipients a reply adds to its text: uploads asked for, read back and judged before
anything is stored, then copied into the message's own blobs (services/send.py calls this)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from inbox.adapters.uploads import StoredUpload, UploadBucket
from inbox.domain import outbound_files, recipients
from inbox.domain.blob_keys import sent_attachment_key, upload_key
from inbox.domain.ids import new_id
from inbox.errors import InvalidInputError, NotFoundError
from inbox.models import Attachment, Channel, Conversation, Message, Party, Principal


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Conversation | None: ...
    def list_integrations(self, tenant_id: str) -> list: ...


@dataclass(frozen=True)
class UploadTicket:
    upload_id: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_at: datetime


@dataclass(frozen=True)
class Outgoing:
    """What a reply carries besides its text. `to` and `forwarded` make it a forward: to that address,
    with that message's files, in a thread of its own (no In-Reply-To)."""

    attachments: tuple[str, ...] = ()  # upload ids, in order
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    reply_all: bool = False
    to: str | None = None
    forwarded: Message | None = None


@dataclass(frozen=True)
class _File:
    filename: str
    content_type: str
    size: int
    upload: StoredUpload | None = None  # an upload, copied as checked
    source_key: str | None = None  # or a stored file (a forwarded message's)
    inline: bool = False
    content_id: str | None = None


@dataclass(frozen=True)
class Plan:
    """An Outgoing checked against the conversation, ready to be applied to the message."""

    files: list[_File] = field(default_factory=list)
    to: str | None = None
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    reply_all: bool = False
    ours: frozenset[str] = frozenset()
    threaded: bool = True


class Attachments:
    def __init__(self, store: Store, bucket: UploadBucket):
        self._store = store
        self._bucket = bucket

    def start_upload(
        self, who: Principal, conversation_id: str, filename: str, content_type: str, size: int
    ) -> UploadTicket:
        """A presigned POST for one file to send on this conversation, or a 422 on what is refused."""
        conversation = self._conversation(who, conversation_id)
        name, declared, limit = outbound_files.check_upload(conversation.channel, filename, content_type, size)
        upload_id = new_id()
        key = upload_key(who.tenant_id, conversation.id, upload_id)
        post = self._bucket.presigned_post(key, name, declared, limit)
        return UploadTicket(upload_id, post.url, post.fields, limit, post.expires_at)

    def plan(self, tenant_id: str, conversation: Conversation, outgoing: Outgoing) -> Plan:
        """Every check, before anything is stored or sent: each a 422 naming its field."""
        email = conversation.channel is Channel.EMAIL
        for name, given in (("cc", outgoing.cc), ("bcc", outgoing.bcc), ("reply_all", outgoing.reply_all)):
            if given and not email:
                raise InvalidInputError(name, f"a {conversation.channel} reply goes to the customer alone")
        if outgoing.attachments and conversation.channel is Channel.SMS:
            raise InvalidInputError("attachments", outbound_files.NO_FILE_ON_SMS)
        if len(outgoing.attachments) > outbound_files.MAX_FILES:
            raise InvalidInputError("attachments", f"at most {outbound_files.MAX_FILES} files")
        to = recipients.address(outgoing.to, "to") if outgoing.to else None
        cc, bcc = recipients.addresses(outgoing.cc, "cc"), recipients.addresses(outgoing.bcc, "bcc")
        files = [self._checked_upload(tenant_id, conversation, n, u) for n, u in enumerate(outgoing.attachments)]
        if outgoing.forwarded is not None:
            files += _forwarded_files(outgoing.forwarded)
        if email and (reason := outbound_files.total_refusal([f.size for f in files])):
            raise InvalidInputError("message_id" if outgoing.forwarded else "attachments", reason)
        ours = (
            frozenset(  # the tenant's mailboxes, which a reply to all leaves out
                i.settings.address.lower() for i in self._store.list_integrations(tenant_id) if i.kind == "email"
            )
            if outgoing.reply_all
            else frozenset()
        )
        return Plan(
            files=files,
            to=to,
            cc=cc,
            bcc=bcc,
            reply_all=outgoing.reply_all,
            ours=ours,
            threaded=outgoing.forwarded is None,
        )

    def apply(self, plan: Plan, message: Message, answered: Message | None) -> Message:
        """The message with its recipients and its files (copied under its own keys)."""
        to = [Party(email=plan.to)] if plan.to else message.to
        to_addresses = [p.email for p in to if p.email]
        cc = list(plan.cc)
        if plan.reply_all and answered is not None:
            customer = to_addresses[0] if to_addresses else None
            cc += recipients.reply_all_cc(answered.sender, answered.to, customer, plan.ours)
        cc, bcc = recipients.distinct(to_addresses, cc, plan.bcc)
        attachments = [self._copy(message, n, f) for n, f in enumerate(plan.files)]
        changes: dict = {
            "to": to,
            "cc": [Party(email=a) for a in cc],
            "bcc": [Party(email=a) for a in bcc],
            "attachments": attachments,
        }
        if not plan.threaded:
            changes["references"] = []
        return message.model_copy(update=changes)

    def media_url(self, key: str) -> str:
        return self._bucket.media_url(key)

    # internals

    def _conversation(self, who: Principal, conversation_id: str) -> Conversation:
        conversation = self._store.get_conversation(who.tenant_id, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id}")
        return conversation

    def _checked_upload(self, tenant_id: str, conversation: Conversation, n: int, upload_id: str) -> _File:
        where = f"attachments[{n}]"
        try:
            stored = self._bucket.stored(upload_key(tenant_id, conversation.id, upload_id))
            name, declared, _ = outbound_files.check_upload(
                conversation.channel, stored.filename, stored.content_type, stored.size
            )
            reason = outbound_files.content_refusal(self._bucket.sample(stored), declared, name)
        except NotFoundError as error:
            reason = "no such upload for this conversation (never posted, or expired)"
            raise InvalidInputError(where, reason) from error
        except InvalidInputError as error:
            raise InvalidInputError(where, f"{error.field}: {str(error).split(': ', 1)[1]}") from error
        if reason:
            raise InvalidInputError(where, f"{name}: {reason}")
        return _File(filename=name, content_type=declared, size=stored.size, upload=replace(stored, filename=name))

    def _copy(self, message: Message, n: int, file: _File) -> Attachment:
        key = sent_attachment_key(message.tenant_id, message.id, n, file.filename)
        try:
            if file.upload is not None:
                self._bucket.copy(file.upload, key, file.content_type)
            else:
                self._bucket.copy_blob(file.source_key or "", key, file.content_type)
        except NotFoundError as error:
            raise InvalidInputError(f"attachments[{n}]", "the upload changed after it was checked") from error
        return Attachment(
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            key=key,
            inline=file.inline,
            content_id=file.content_id,
        )


def _forwarded_files(message: Message) -> list[_File]:
    """The forwarded message's files, but for programs (a received .exe is not sent on)."""
    files = []
    for attachment in message.attachments:
        refused = (
            outbound_files.extension(attachment.filename) in outbound_files.REFUSED_EXTENSIONS
            or attachment.content_type in outbound_files.REFUSED_TYPES
        )
        if refused:
            raise InvalidInputError("message_id", f"it carries {attachment.filename}, a program: it is not forwarded")
        files.append(
            _File(
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=attachment.size,
                source_key=attachment.key,
                inline=attachment.inline,
                content_id=attachment.content_id,
            )
        )
    return files
