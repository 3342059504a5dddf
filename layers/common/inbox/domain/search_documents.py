"""What the search index is told of each write to the table (issue 14, item 1), pure.

- a message stored, or changed in what is searchable (its text, subject, people): index it; a change
  of anything else (its delivery state, say) tells the index nothing;
- a conversation created, or its subject or contact changed: index its own document (found by its
  subject or contact when no message matches);
- a conversation removed (deleted): forget it;
- a contact's name, emails or phones changed: its conversations' documents again, with its words
  (issue 14 review, search item 9; the indexer reads the contact and lists its conversations).

A message whose body is in the blob store is indexed by the indexer, which reads the body there; one
whose words would make a job past MAX_JOB_BYTES (a long reply) is sent as its key, and the indexer
reads the message itself (issue 14 review, search item 2)."""

from __future__ import annotations

import json

from inbox.domain.events import ItemWrite
from inbox.domain.html import html_to_text
from inbox.domain.search_text import (
    MAX_INDEXED_TEXT,
    SearchDocument,
    conversation_doc_id,
    message_doc_id,
    numbers_in,
    phone_forms,
)
from inbox.models import Contact, Conversation, Direction, Message, Party
from inbox.models.jobs import ForgetConversationJob, IndexDocumentJob, ReindexContactJob, SearchJob


def search_jobs(write: ItemWrite) -> list[SearchJob]:
    """The index's jobs for one write of the table's stream (none for most)."""
    if write.kind == "conversation":
        if write.after is None:
            if write.before is None:
                return []
            return [ForgetConversationJob(tenant_id=write.tenant_id, conversation_id=write.before.id)]
        if write.before is not None and _conversation_words(write.before) == _conversation_words(write.after):
            return []
        return [conversation_job(write.after)]
    if write.kind == "message" and write.after is not None:
        # A message removed goes with its conversation (purged after the conversation's removal).
        if write.before is not None and message_job(write.before) == message_job(write.after):
            return []
        return [fitted(message_job(write.after))]
    # A new contact is named in its conversation's own document already: a changed one only.
    changed = write.kind == "contact" and write.after and write.before and write.after.get("id")
    if changed and _contact_words(write.before) != _contact_words(write.after):
        return [ReindexContactJob(tenant_id=write.tenant_id, contact_id=str(write.after["id"]))]
    return []


def _contact_words(fields: dict) -> tuple:
    return tuple(fields.get(name) for name in ("name", "emails", "phones", "email", "phone"))


def contact_conversation_job(conversation: Conversation, contact: Contact) -> IndexDocumentJob:
    """A conversation's own document with its contact's words as they are now, beside its own."""
    job = conversation_job(conversation)
    words = _people([Party(name=contact.name, email=email) for email in contact.emails or [None]])
    phones = [form for phone in contact.phones for form in phone_forms(phone)]
    return job.model_copy(
        update={
            "contact": _joined(words["contact"], job.contact),
            "emails": _joined(words["emails"], job.emails),
            "phones": _joined(" ".join(phones), job.phones),
        }
    )


def _joined(*lists: str) -> str:
    return " ".join(dict.fromkeys(word for words in lists for word in words.split()))


MAX_JOB_BYTES = 8_000  # of a job's JSON as SQS receives it (non-ASCII escaped: up to 6 bytes a character)


def fitted(job: IndexDocumentJob) -> IndexDocumentJob:
    """The job, or past MAX_JOB_BYTES its message's key alone: the indexer reads the message."""
    if job.message_id is None or job_bytes(job) <= MAX_JOB_BYTES:
        return job
    return IndexDocumentJob(
        tenant_id=job.tenant_id,
        conversation_id=job.conversation_id,
        message_id=job.message_id,
        at=job.at,
        read_message=True,
    )


def job_bytes(job: IndexDocumentJob) -> int:
    """Its size as the queue adapter encodes it (json.dumps escapes non-ASCII)."""
    return len(json.dumps(job.model_dump(mode="json"), separators=(",", ":")).encode())


def conversation_job(conversation: Conversation) -> IndexDocumentJob:
    contact = conversation.contact
    return IndexDocumentJob(
        tenant_id=conversation.tenant_id,
        conversation_id=conversation.id,
        at=conversation.created_at,
        subject=conversation.subject or "",
        **_people([contact]),
    )


def message_job(message: Message) -> IndexDocumentJob:
    """A message's document as a job; its text is left to the indexer when the body is in the blob store."""
    inline = message.body_key is None
    return IndexDocumentJob(
        tenant_id=message.tenant_id,
        conversation_id=message.conversation_id,
        message_id=message.id,
        at=message.received_at,
        subject=message.subject or "",
        text=message_text(message.text, message.html) if inline else "",
        body_key=None if inline else message.body_key,
        **_people(_correspondents(message)),
    )


def message_text(text: str, html: str | None) -> str:
    """The searchable text of a body: its text part, or the text of its HTML part when it has none."""
    if not text.strip() and html:
        text = html_to_text(html)
    return text[:MAX_INDEXED_TEXT]


def document_of(job: IndexDocumentJob, text: str | None = None) -> SearchDocument:
    """The document a job indexes; `text`: the body read from the blob store, when it is there."""
    text = job.text if text is None else text[:MAX_INDEXED_TEXT]
    phones = " ".join(dict.fromkeys([*job.phones.split(), *numbers_in(text)]))
    return SearchDocument(
        doc_id=message_doc_id(job.message_id) if job.message_id else conversation_doc_id(job.conversation_id),
        conversation_id=job.conversation_id,
        message_id=job.message_id,
        at=job.at,
        subject=job.subject,
        text=text,
        contact=job.contact,
        emails=job.emails,
        phones=phones,
    )


def _correspondents(message: Message) -> list[Party]:
    """The customer's side of a message: its sender when it came in, its recipients when it went out."""
    if message.direction is Direction.INBOUND:
        return [message.sender]
    return [*message.to, *message.cc, *message.bcc]


def _people(parties: list[Party]) -> dict[str, str]:
    names = [p.name for p in parties if p.name]
    emails = [p.email for p in parties if p.email]
    phones = [form for p in parties for form in phone_forms(p.phone)]
    return {
        "contact": " ".join(dict.fromkeys(names)),
        "emails": " ".join(dict.fromkeys(emails)),
        "phones": " ".join(dict.fromkeys(phones)),
    }


def _conversation_words(conversation: Conversation) -> tuple[str | None, Party]:
    return conversation.subject, conversation.contact
