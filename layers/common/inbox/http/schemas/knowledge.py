"""`/knowledge`: the documents of the tenant's knowledge base."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inbox.models.knowledge import DocumentKind, KnowledgeDocument

# No max_length on a text or a file: a size over the limits is a 413 saying so, not a 422.
TEXT_HELP = "UTF-8 text or Markdown; at most 300,000 bytes once cleaned (413 past that)."


class KnowledgeTextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, description=TEXT_HELP)
    format: Literal["text", "markdown"] = Field("text", description="How the text is written.")


class KnowledgeUploadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, max_length=200, description="The file's name without extension when left out.")
    filename: str = Field(min_length=1, max_length=255)
    content_base64: str = Field(
        min_length=1,
        description="The file, base64: a PDF, DOCX, TXT or HTML file of at most 4 MB, its type read from its bytes.",
    )


class KnowledgeUpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    text: str | None = Field(None, min_length=1, description=TEXT_HELP)

    @model_validator(mode="after")
    def _something(self) -> KnowledgeUpdateIn:
        if self.title is None and self.text is None:
            raise ValueError("give a title, a text or both")
        return self


class KnowledgeDocumentOut(BaseModel):
    id: str
    title: str
    kind: DocumentKind
    size: int = Field(description="Bytes of the uploaded file, or of the text typed in.")
    characters: int
    passages: int = Field(description="The passages its text was cut into, what a reply cites.")
    filename: str | None = None
    created_at: datetime
    updated_at: datetime
    updated_by: str = Field(description="Who last wrote it: their email, or their user id.")

    @classmethod
    def of(cls, document: KnowledgeDocument) -> KnowledgeDocumentOut:
        return cls.model_validate(document.model_dump(include=set(cls.model_fields)))


class KnowledgeDocumentText(KnowledgeDocumentOut):
    text: str

    @classmethod
    def with_text(cls, document: KnowledgeDocument, text: str) -> KnowledgeDocumentText:
        return cls.model_validate(document.model_dump(include=set(KnowledgeDocumentOut.model_fields)) | {"text": text})


class KnowledgeLimitsOut(BaseModel):
    documents: int = Field(description="Documents a tenant's base holds at most.")
    characters: int = Field(description="Characters of text in the whole base at most.")
    upload_bytes: int = Field(description="Bytes of an uploaded file at most.")
    text_bytes: int = Field(description="Bytes of one document's text at most.")


class KnowledgeList(BaseModel):
    items: list[KnowledgeDocumentOut] = Field(description="The documents in the order they were added.")
    limits: KnowledgeLimitsOut
