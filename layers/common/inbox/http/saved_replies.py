"""`/inbox/saved-replies` (issue 16, item 4): the team's replies (everyone uses them, admins write
them) and each person's own (nobody else sees them), and their fill for a conversation."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.domain.saved_replies import PLACEHOLDERS
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.saved_replies import (
    FilledOut,
    FillIn,
    SavedReplyIn,
    SavedReplyList,
    SavedReplyOut,
    SavedReplyPatch,
)
from inbox.models import Principal

router = APIGatewayHttpRouter()

_ID = Path(max_length=64)


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get("/saved-replies", tags=["saved-replies"], summary="The team's saved replies and yours, by title")
def list_saved_replies() -> SavedReplyList:
    items = [SavedReplyOut.of(r) for r in wiring.saved_replies().list(caller())]
    return SavedReplyList(items=items, placeholders=list(PLACEHOLDERS))


@router.post(
    "/saved-replies",
    tags=["saved-replies"],
    status_code=201,
    summary="Save a reply: yours, or the team's (admins)",
    description="422 on a blank or too long `title` or `text`; 403 for a team reply by an agent; 409 once the "
    "team (300) or you (100) have as many as they may.",
)
def create_saved_reply(body: Annotated[SavedReplyIn, Body()]) -> SavedReplyOut:
    return SavedReplyOut.of(wiring.saved_replies().create(caller(), body.title, body.text, body.scope))


@router.get("/saved-replies/<reply_id>", tags=["saved-replies"], summary="One saved reply, as written")
def get_saved_reply(reply_id: Annotated[str, _ID]) -> SavedReplyOut:
    return SavedReplyOut.of(wiring.saved_replies().get(caller(), reply_id))


@router.patch(
    "/saved-replies/<reply_id>",
    tags=["saved-replies"],
    summary="Change a saved reply's title or text",
    description="The team's: admins only (403).",
)
def change_saved_reply(reply_id: Annotated[str, _ID], body: Annotated[SavedReplyPatch, Body()]) -> SavedReplyOut:
    return SavedReplyOut.of(wiring.saved_replies().change(caller(), reply_id, body.title, body.text))


@router.delete(
    "/saved-replies/<reply_id>",
    tags=["saved-replies"],
    summary="Delete a saved reply",
    description="The team's: admins only (403). Follow-ups scheduled with its text keep their text.",
)
def delete_saved_reply(reply_id: Annotated[str, _ID]) -> Response[None]:
    wiring.saved_replies().delete(caller(), reply_id)
    return Response(status_code=204)


@router.post(
    "/saved-replies/<reply_id>/fill",
    tags=["saved-replies"],
    summary="A saved reply's text for a conversation: its placeholders filled, as you would send it",
    description="Stores and sends nothing. A placeholder without a value here (`missing`) or unknown stays as "
    "typed, never empty, so you see what to write by hand. 404 for a conversation that is not your team's.",
)
def fill_saved_reply(reply_id: Annotated[str, _ID], body: Annotated[FillIn, Body()]) -> FilledOut:
    return FilledOut.of(wiring.saved_replies().fill(caller(), reply_id, body.conversation_id))
