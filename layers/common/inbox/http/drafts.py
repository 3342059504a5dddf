"""`/inbox/conversations/{id}/drafts`, `/suggestion`, `/summary`: the AI's drafts and summary.

The drafts are a sub-resource rather than part of `GET /conversations/{id}`: that read stays one
Query of messages, the drafts are read (and refetched on a live update) on their own, and a
person's decision answers the draft alone.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.conversations import MessageOut
from inbox.http.schemas.drafts import DraftList, DraftOut, DraftSendIn, DraftSent, SummaryOut
from inbox.models import Principal

router = APIGatewayHttpRouter()

_ID = Path(max_length=64)


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get(
    "/conversations/<conversation_id>/drafts",
    tags=["drafts"],
    summary="The AI's drafts of a conversation, newest first",
    description="Pending ones wait for a person; the others say how they ended, or why nothing was sent.",
)
def list_drafts(conversation_id: Annotated[str, _ID]) -> DraftList:
    return DraftList(items=[DraftOut.of(d) for d in wiring.drafts().list(caller(), conversation_id)])


@router.post(
    "/conversations/<conversation_id>/drafts/<draft_id>/send",
    tags=["drafts"],
    status_code=201,
    summary="Send a pending draft as you, as drafted or edited",
    description="Through the conversation's channel like any reply; the draft records whether it was sent "
    "unchanged or edited, and how much (`edit_ratio`). 409 when it is not pending any more.",
)
def send_draft(
    conversation_id: Annotated[str, _ID], draft_id: Annotated[str, _ID], body: Annotated[DraftSendIn, Body()]
) -> DraftSent:
    draft, message = wiring.drafts().send(caller(), conversation_id, draft_id, body.text)
    return DraftSent(draft=DraftOut.of(draft), message=MessageOut.of(message))


@router.post(
    "/conversations/<conversation_id>/drafts/<draft_id>/discard",
    tags=["drafts"],
    summary="Discard a pending draft",
    description="Recorded as discarded (the AI reply accuracy). 409 when it is not pending any more.",
)
def discard_draft(conversation_id: Annotated[str, _ID], draft_id: Annotated[str, _ID]) -> DraftOut:
    return DraftOut.of(wiring.drafts().discard(caller(), conversation_id, draft_id))


@router.post(
    "/conversations/<conversation_id>/suggestion",
    tags=["drafts"],
    status_code=201,
    summary="Ask the AI for a draft reply now, in any folder",
    description="One model call; the draft is kept pending. 409 while another draft of the conversation is "
    "pending or being written; 409 `ai_not_configured` / `company_prompt_missing` when the AI cannot answer; "
    "503 when the model is unavailable (try again).",
)
def suggest(conversation_id: Annotated[str, _ID]) -> DraftOut:
    return DraftOut.of(wiring.drafts().suggest(caller(), conversation_id))


@router.post(
    "/conversations/<conversation_id>/summary",
    tags=["drafts"],
    summary="The AI summary of a conversation: key points, what the customer wants, what was promised",
    description="Kept with the message it covers up to, and made again only when newer messages exist. 409 "
    "`ai_not_configured` without a model; 503 when the model is unavailable.",
)
def summarize(conversation_id: Annotated[str, _ID]) -> SummaryOut:
    summary, made_now = wiring.drafts().summary(caller(), conversation_id)
    return SummaryOut.of(summary, made_now)
