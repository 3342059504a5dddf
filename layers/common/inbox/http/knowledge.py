"""`/inbox/knowledge`: the company's knowledge base, which AI replies are written from. Everyone may
read it (the sources a draft cites are in it); admins alone change it."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.errors import InvalidInputError, PayloadTooLargeError
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.knowledge import (
    KnowledgeDocumentOut,
    KnowledgeDocumentText,
    KnowledgeLimitsOut,
    KnowledgeList,
    KnowledgeTextIn,
    KnowledgeUpdateIn,
    KnowledgeUploadIn,
)
from inbox.models import Principal

router = APIGatewayHttpRouter()
DocumentId = Annotated[str, Path(max_length=64, pattern=r"^[0-9a-z]+$")]


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get("/knowledge", tags=["knowledge"], summary="The knowledge base's documents, and its limits")
def list_documents() -> KnowledgeList:
    from inbox.domain.knowledge_files import MAX_TEXT_BYTES, MAX_UPLOAD_BYTES

    base = wiring.knowledge_base()
    limits = KnowledgeLimitsOut(
        documents=base.limits.documents,
        characters=base.limits.characters,
        upload_bytes=MAX_UPLOAD_BYTES,
        text_bytes=MAX_TEXT_BYTES,
    )
    return KnowledgeList(items=[KnowledgeDocumentOut.of(d) for d in base.list(caller())], limits=limits)


@router.get("/knowledge/<document_id>", tags=["knowledge"], summary="A document and its text")
def get_document(document_id: DocumentId) -> KnowledgeDocumentText:
    document, text = wiring.knowledge_base().get(caller(), document_id)
    return KnowledgeDocumentText.with_text(document, text)


@router.post(
    "/knowledge", tags=["knowledge"], status_code=201, summary="Add a document typed as text or Markdown (admins)"
)
def create_document(document: Annotated[KnowledgeTextIn, Body()]) -> KnowledgeDocumentOut:
    who = require_admin(caller())
    created = wiring.knowledge_base().create(who, document.title, document.text, document.format == "markdown")
    return KnowledgeDocumentOut.of(created)


@router.post(
    "/knowledge/upload",
    tags=["knowledge"],
    status_code=201,
    summary="Add a document from a PDF, DOCX, TXT or HTML file, base64 in JSON (admins)",
)
def upload_document(upload: Annotated[KnowledgeUploadIn, Body()]) -> KnowledgeDocumentOut:
    from inbox.domain.knowledge_files import MAX_UPLOAD_BYTES

    who = require_admin(caller())
    if len(upload.content_base64) > (MAX_UPLOAD_BYTES + 2) // 3 * 4 + 4:  # before decoding it
        raise PayloadTooLargeError(f"file: over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    try:
        data = base64.b64decode(upload.content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidInputError("content_base64", "is not base64") from error
    return KnowledgeDocumentOut.of(wiring.knowledge_base().upload(who, upload.title, upload.filename, data))


@router.put("/knowledge/<document_id>", tags=["knowledge"], summary="Change a document's title or text (admins)")
def update_document(document_id: DocumentId, change: Annotated[KnowledgeUpdateIn, Body()]) -> KnowledgeDocumentOut:
    who = require_admin(caller())
    return KnowledgeDocumentOut.of(wiring.knowledge_base().update(who, document_id, change.title, change.text))


@router.delete("/knowledge/<document_id>", tags=["knowledge"], summary="Remove a document (admins)")
def delete_document(document_id: DocumentId) -> Response[None]:
    wiring.knowledge_base().delete(require_admin(caller()), document_id)
    return Response(status_code=204)
