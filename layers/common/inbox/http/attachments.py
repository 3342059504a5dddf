"""`/inbox/conversations/{id}/attachments` and `.../messages/{id}/forward`: files a reply sends, a forward."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.attachments import ForwardIn, UploadIn, UploadOut
from inbox.http.schemas.conversations import MessageOut
from inbox.models import Principal

router = APIGatewayHttpRouter()


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.post(
    "/conversations/<conversation_id>/attachments",
    tags=["conversations"],
    status_code=201,
    summary="Upload a file to send: a presigned POST to the blob bucket",
    description="Post the file to `url` with `fields` (multipart/form-data, the file last) before `expires_at`, "
    "then name `upload_id` in the reply's `attachments`. Limits: email 20 MB for all of a message's files; "
    "WhatsApp JPEG/PNG images 5 MB, AAC/M4A/AMR/MP3/OGG audio and MP4/3GPP video 16 MB, PDF/Word/Excel/PowerPoint "
    "100 MB. Programs and scripts are refused (422 on `filename` or `content_type`), a file over the limit is a "
    "422 on `size`, and an SMS conversation a 422 on `conversation_id` (SMS carries no file). The file is read "
    "back and judged by its content when the reply is sent.",
)
def start_upload(
    conversation_id: Annotated[str, Path(max_length=64)], upload: Annotated[UploadIn, Body()]
) -> UploadOut:
    ticket = wiring.attachments().start_upload(
        caller(), conversation_id, upload.filename, upload.content_type, upload.size
    )
    return UploadOut(
        upload_id=ticket.upload_id,
        url=ticket.url,
        fields=ticket.fields,
        max_bytes=ticket.max_bytes,
        expires_at=ticket.expires_at,
    )


@router.post(
    "/conversations/<conversation_id>/messages/<message_id>/forward",
    tags=["conversations"],
    status_code=201,
    summary="Forward one message of an email conversation to an address, with a note above it",
    description="The message, its files included, goes out by the conversation's mailbox as `Fwd: <subject>` "
    "and is stored in the conversation as an outbound message; `delivery` says how sending went.",
)
def forward(
    conversation_id: Annotated[str, Path(max_length=64)],
    message_id: Annotated[str, Path(max_length=64)],
    forward: Annotated[ForwardIn, Body()],
) -> MessageOut:
    sent = wiring.forwards().forward(caller(), conversation_id, message_id, forward.to, forward.note)
    return MessageOut.of(sent, wiring.blobs().download_url)
