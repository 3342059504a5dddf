"""The company's knowledge base as the AI reads it: passages of the documents an admin added."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Passage(BaseModel):
    """A piece of a knowledge-base document, small enough to quote; cited by the drafts that used it."""

    document_id: str
    passage_id: str = Field(description="Stable within its document version, e.g. `<document id>:<n>`.")
    title: str = Field(description="The document's title, for the person reading a draft's sources.")
    text: str


class PassageRef(BaseModel):
    """A passage named, without its text: what a draft keeps of the passages its prompt was given."""

    document_id: str
    passage_id: str
    title: str


class KnowledgeSelection(BaseModel):
    """What goes in a prompt: the whole base when it fits the budget (and the provider caches it as
    part of the stable prefix), else the passages most relevant to the conversation."""

    passages: list[Passage] = Field(default_factory=list)
    whole: bool = Field(description="True when every passage of the base is here, in the base's own order.")


class DocumentKind(StrEnum):
    """Where a document's text came from: typed in (text, Markdown) or extracted from an upload."""

    TEXT = "text"
    MARKDOWN = "markdown"
    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    HTML = "html"


class KnowledgeDocument(BaseModel):
    """A document of a tenant's knowledge base: its text is in the blob store (`text_key`), the file
    it was extracted from too (`source_key`, uploads only), its passages in the table."""

    id: str
    tenant_id: str
    title: str
    kind: DocumentKind
    size: int = Field(description="Bytes of the uploaded file, or of the text typed in.")
    characters: int = Field(description="Characters of the document's text.")
    passages: int = Field(description="How many passages the text was cut into.")
    text_key: str
    source_key: str | None = None
    filename: str | None = None
    created_at: datetime
    updated_at: datetime
    updated_by: str = Field(description="Who last wrote it: their email, or their user id.")
    version: int = 1
