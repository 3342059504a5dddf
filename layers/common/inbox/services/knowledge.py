"""A tenant's knowledge base: admins add, edit and remove documents; the reply writer reads it.

A document's text (and the file it came from) is in the blob store under `<tenant>/knowledge/`; the
table holds its metadata, its passages and the base's version. `for_prompt` is called once per
reply: a warm function keeps each tenant's passages (and their BM25 index) and only checks the
base's version, one GetItem, before using them again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Protocol

from inbox.adapters.dynamodb.knowledge import BaseTotals, KnowledgeLimits
from inbox.domain import knowledge
from inbox.domain.blob_keys import knowledge_blobs
from inbox.domain.ids import new_id
from inbox.domain.knowledge_files import MAX_UPLOAD_BYTES, clean_text, extract_text, kind_of
from inbox.errors import InvalidInputError, NotFoundError, PayloadTooLargeError
from inbox.models import Principal
from inbox.models.knowledge import DocumentKind, KnowledgeDocument, KnowledgeSelection, Passage

MAX_DOCUMENTS = 100
MAX_BASE_CHARACTERS = 2_000_000  # about 500,000 tokens: far past any prompt, so the selection has room to choose
CACHED_TENANTS = 32  # bases a warm function keeps (a few MB at most each)
_SOURCE_TYPES = {
    DocumentKind.PDF: ("pdf", "application/pdf"),
    DocumentKind.DOCX: ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    DocumentKind.HTML: ("html", "text/html"),
    DocumentKind.TXT: ("txt", "text/plain"),
    DocumentKind.MARKDOWN: ("md", "text/markdown"),
}
TEXT_TYPE = "text/markdown; charset=utf-8"


class Store(Protocol):
    def knowledge_documents(self, tenant_id: str) -> list[KnowledgeDocument]: ...
    def knowledge_document(self, tenant_id: str, document_id: str) -> KnowledgeDocument | None: ...
    def knowledge_totals(self, tenant_id: str) -> BaseTotals: ...
    def knowledge_passages(self, tenant_id: str) -> list[Passage]: ...
    def save_knowledge_document(
        self,
        document: KnowledgeDocument,
        passages: list[str],
        before: KnowledgeDocument | None,
        limits: KnowledgeLimits,
    ) -> None: ...
    def delete_knowledge_document(self, document: KnowledgeDocument) -> None: ...


class Blobs(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> str: ...
    def get(self, key: str) -> bytes: ...


class Disposal(Protocol):
    def discard(self, tenant_id: str, keys: Iterable[str | None]) -> None: ...


@dataclass
class _Loaded:
    """A tenant's base as of `version`, and its index once a selection needed one."""

    version: int
    passages: list[Passage]
    index: knowledge.Bm25Index | None = field(default=None)


class KnowledgeBase:
    def __init__(self, store: Store, blobs: Blobs, disposal: Disposal, limits: KnowledgeLimits | None = None):
        self._store = store
        self._blobs = blobs
        self._disposal = disposal
        self._limits = limits or KnowledgeLimits(documents=MAX_DOCUMENTS, characters=MAX_BASE_CHARACTERS)
        self._cache: OrderedDict[str, _Loaded] = OrderedDict()

    @property
    def limits(self) -> KnowledgeLimits:
        return self._limits

    # ------------------------------------------------------------------ what a prompt reads

    def for_prompt(self, tenant_id: str, conversation_text: str, budget_tokens: int) -> KnowledgeSelection:
        """The whole base, in its order, when it fits `budget_tokens` (estimated as characters / 4,
        domain.knowledge.estimate_tokens); else the passages BM25 ranks best for the conversation, in
        the base's order, as many as fit. An empty base is an empty, whole selection."""
        loaded = self._loaded(tenant_id)
        fits = sum(knowledge.passage_tokens(p) for p in loaded.passages) <= budget_tokens
        if not fits and loaded.index is None:
            loaded.index = knowledge.Bm25Index(loaded.passages)
        return knowledge.select(loaded.passages, conversation_text, budget_tokens, loaded.index)

    def passages(self, tenant_id: str) -> list[Passage]:
        """Every passage of the base, in its order (what a reply's links and numbers are checked against)."""
        return list(self._loaded(tenant_id).passages)

    def _loaded(self, tenant_id: str) -> _Loaded:
        version = self._store.knowledge_totals(tenant_id).version
        cached = self._cache.get(tenant_id)
        if cached is None or cached.version != version:
            # Read after the version: the passages are at least that new, and a later write moves
            # the version again, so the next call reads them again.
            cached = _Loaded(version, self._store.knowledge_passages(tenant_id))
            self._cache[tenant_id] = cached
        self._cache.move_to_end(tenant_id)
        while len(self._cache) > CACHED_TENANTS:
            self._cache.popitem(last=False)
        return cached

    # ------------------------------------------------------------------ the admins' documents

    def list(self, who: Principal) -> list[KnowledgeDocument]:
        return self._store.knowledge_documents(who.tenant_id)

    def get(self, who: Principal, document_id: str) -> tuple[KnowledgeDocument, str]:
        """A document and its text."""
        document = self._document(who, document_id)
        return document, self._blobs.get(document.text_key).decode()

    def create(self, who: Principal, title: str, text: str, markdown: bool = False) -> KnowledgeDocument:
        """A document typed in as plain text or Markdown."""
        text = clean_text(text)
        kind = DocumentKind.MARKDOWN if markdown else DocumentKind.TEXT
        return self._add(who, _title(title), kind, text, len(text.encode()))

    def upload(self, who: Principal, title: str | None, filename: str, data: bytes) -> KnowledgeDocument:
        """A document from a PDF, DOCX, TXT or HTML file, its type read from its bytes."""
        if len(data) > MAX_UPLOAD_BYTES:
            raise PayloadTooLargeError(f"file: over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        kind = kind_of(data, filename)
        text = extract_text(data, kind)
        name = PurePosixPath(filename.replace("\\", "/")).name[:200] or None
        return self._add(
            who, _title(title or (PurePosixPath(name).stem if name else "")), kind, text, len(data), data, name
        )

    def update(self, who: Principal, document_id: str, title: str | None, text: str | None) -> KnowledgeDocument:
        """A new title, a new text, or both; the file it came from stays as it was uploaded."""
        before = self._document(who, document_id)
        version = before.version + 1
        new_text = clean_text(text) if text is not None else None
        text_key = knowledge_blobs(who.tenant_id, document_id).text(version) if new_text is not None else None
        current = new_text if new_text is not None else self._blobs.get(before.text_key).decode()
        after = before.model_copy(
            update={
                "title": _title(title) if title is not None else before.title,
                "characters": len(current),
                "passages": 0,
                "text_key": text_key or before.text_key,
                "updated_at": datetime.now(UTC),
                "updated_by": _who(who),
                "version": version,
            }
        )
        if new_text is not None and before.source_key is None:
            after = after.model_copy(update={"size": len(new_text.encode())})
        written = [text_key] if text_key else []
        if text_key:
            self._blobs.put(text_key, current.encode(), TEXT_TYPE)
        saved = self._save(after, current, before, written)
        if text_key:
            self._disposal.discard(who.tenant_id, [before.text_key])
        return saved

    def delete(self, who: Principal, document_id: str) -> None:
        document = self._document(who, document_id)
        self._store.delete_knowledge_document(document)
        self._disposal.discard(who.tenant_id, [knowledge_blobs(who.tenant_id, document_id).folder])

    # ------------------------------------------------------------------ writing

    def _add(
        self,
        who: Principal,
        title: str,
        kind: DocumentKind,
        text: str,
        size: int,
        source: bytes | None = None,
        filename: str | None = None,
    ) -> KnowledgeDocument:
        document_id = new_id()
        blobs = knowledge_blobs(who.tenant_id, document_id)
        written: list[str] = []
        source_key = None
        if source is not None:
            extension, content_type = _SOURCE_TYPES[kind]
            source_key = self._blobs.put(blobs.source(extension), source, content_type)
            written.append(source_key)
        text_key = self._blobs.put(blobs.text(1), text.encode(), TEXT_TYPE)
        written.append(text_key)
        now = datetime.now(UTC)
        document = KnowledgeDocument(
            id=document_id,
            tenant_id=who.tenant_id,
            title=title,
            kind=kind,
            size=size,
            characters=len(text),
            passages=0,
            text_key=text_key,
            source_key=source_key,
            filename=filename,
            created_at=now,
            updated_at=now,
            updated_by=_who(who),
        )
        return self._save(document, text, None, written)

    def _save(
        self, document: KnowledgeDocument, text: str, before: KnowledgeDocument | None, written: list[str]
    ) -> KnowledgeDocument:
        """Store a document and its passages; what was written for it goes again if the table refuses."""
        pieces = knowledge.split_passages(text)
        document = document.model_copy(update={"passages": len(pieces)})
        try:
            self._store.save_knowledge_document(document, pieces, before, self._limits)
        except Exception:
            if written:
                self._disposal.discard(document.tenant_id, written)
            raise
        return document

    def _document(self, who: Principal, document_id: str) -> KnowledgeDocument:
        document = self._store.knowledge_document(who.tenant_id, document_id)
        if document is None:
            raise NotFoundError(f"no document {document_id}")
        return document


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInputError("title", "is empty")
    return title[:200]


def _who(who: Principal) -> str:
    return who.email or who.username or who.user_id
