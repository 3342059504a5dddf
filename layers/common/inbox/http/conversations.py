"""`/inbox/conversations`: the list, one conversation, changes and internal notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.conversations import (
    BulkChange,
    BulkResult,
    BulkResults,
    ConversationDetail,
    ConversationOut,
    ConversationPage,
    ConversationPatch,
    ListedConversation,
    MessageOut,
    NoteIn,
    NoteOut,
    ReplyIn,
    WhatsAppTemplateOut,
    WhatsAppTemplates,
)
from inbox.http.schemas.search import MAX_QUERY
from inbox.http.search import QUERY_HELP, found
from inbox.models import Channel, ConversationFilter, ListOrder, Principal, Status

if TYPE_CHECKING:
    from inbox.services.attachments import Outgoing

router = APIGatewayHttpRouter()


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get(
    "/conversations",
    tags=["conversations"],
    summary="Conversations, newest activity first unless `sort` says otherwise",
    description="Filters combine (all must hold). `sort`: `-activity` newest first, `activity` oldest first, "
    "`urgency` the most urgent first (urgent status or the AI's high urgency, then normal, then low; newest "
    "first among equals), `status` grouped as urgent, new, open, resolved, archived, spam (newest first in each). "
    "A page may come back short with a `next_cursor` when filters are sparse: keep following it. "
    "With `q`: the conversations found by those words among those the filters list, best first (relevance, "
    "then recency; `sort` is not used), each with `match`, the passage that matched (as `GET /search`).",
)
def list_conversations(
    folder: Annotated[str | None, Query(max_length=64, description="A folder id, or `inbox`.")] = None,
    status: Annotated[Status | None, Query()] = None,
    channel: Annotated[Channel | None, Query()] = None,
    snoozed: Annotated[
        bool, Query(description="The Snoozed view: snoozed conversations only (no other list shows them).")
    ] = False,
    assignee: Annotated[str | None, Query(max_length=128, description="A user id, `me` or `none`.")] = None,
    contact: Annotated[str | None, Query(max_length=64)] = None,
    project: Annotated[str | None, Query(max_length=64, description="A project's id.")] = None,
    sort: Annotated[ListOrder, Query(description="`-activity` (default), `activity`, `urgency` or `status`.")] = (
        ListOrder.NEWEST
    ),
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=MAX_QUERY, description=QUERY_HELP)] = None,
) -> ConversationPage:
    who = caller()
    where = ConversationFilter(
        folder_id=folder,
        status=status,
        channel=channel,
        snoozed=snoozed,
        assignee_id=who.user_id if assignee == "me" else (None if assignee == "none" else assignee),
        unassigned=assignee == "none",
        contact_id=contact,
        project_id=project,
    )
    if q is not None:
        return found(who, q, where, limit, cursor)
    items, next_cursor = wiring.conversations().list(who, where, limit, cursor, sort)
    return ConversationPage(items=[ListedConversation.of(c) for c in items], next_cursor=next_cursor)


@router.get("/conversations/<conversation_id>", tags=["conversations"], summary="One conversation in full")
def get_conversation(
    conversation_id: Annotated[str, Path(max_length=64)],
    before: Annotated[str | None, Query(max_length=512, description="`earlier_messages` of a previous read.")] = None,
) -> ConversationDetail:
    thread = wiring.conversations().get(caller(), conversation_id, before)
    return ConversationDetail(
        conversation=ConversationOut.of(thread.conversation),
        messages=[MessageOut.of(m, wiring.blobs().download_url) for m in thread.messages],
        earlier_messages=thread.earlier,
        notes=[NoteOut.of(n) for n in thread.notes],
    )


@router.patch(
    "/conversations/<conversation_id>", tags=["conversations"], summary="Change status, folder, assignee or read state"
)
def change_conversation(
    conversation_id: Annotated[str, Path(max_length=64)], changes: ConversationPatch
) -> ConversationOut:
    updated = wiring.conversations().change(
        caller(), conversation_id, changes.model_dump(include=changes.model_fields_set)
    )
    return ConversationOut.of(updated)


@router.post(
    "/conversations/bulk",
    tags=["conversations"],
    summary="Change status, folder, assignee or read state of up to 100 conversations",
    description="Each conversation is changed as PATCH changes it (its own version check, its folder's "
    "counters); the answer says per id what happened. A refused change (e.g. an unknown folder) is a 422 "
    "and changes nothing.",
)
def change_conversations(bulk: Annotated[BulkChange, Body()]) -> BulkResults:
    outcomes = wiring.conversations().change_many(
        caller(), bulk.ids, bulk.changes.model_dump(include=bulk.changes.model_fields_set)
    )
    return BulkResults(
        results=[
            BulkResult(
                id=o.conversation_id,
                result=o.result,
                conversation=ConversationOut.of(o.conversation) if o.conversation else None,
            )
            for o in outcomes
        ]
    )


@router.delete(
    "/conversations/<conversation_id>",
    tags=["conversations"],
    status_code=202,
    summary="Delete a conversation with everything it holds (admins)",
    description="The conversation is gone at once (202) and its folder's counters follow; its messages, notes, "
    "files and pointers are removed in the background. A 503 means that removal could not be scheduled: "
    "send the DELETE again.",
)
def delete_conversation(conversation_id: Annotated[str, Path(max_length=64)]) -> Response[None]:
    wiring.conversation_deletion().delete(require_admin(caller()), conversation_id)
    return Response(status_code=202)


@router.post(
    "/conversations/<conversation_id>/messages",
    tags=["conversations"],
    status_code=201,
    summary="Answer the customer on the conversation's channel",
    description="The reply is stored, then sent; `delivery` says `sent`, or `failed` with `delivery_error`. "
    "WhatsApp takes free text only within 24 hours of the customer's last message (later: 422 on `text`); "
    "an approved `template` goes out whenever, and is stored with its text rendered.",
)
def reply(conversation_id: Annotated[str, Path(max_length=64)], reply: Annotated[ReplyIn, Body()]) -> MessageOut:
    # What a reply must hold (a template, or text unless files) is the send path's rule (services/send.py).
    from inbox.domain.html import sanitize_html  # the send path's alone: off the API's start

    html = sanitize_html(reply.html, allow_remote_images=True) if reply.html else None
    template = reply.template.request() if reply.template else None
    outgoing = outgoing_of(reply)
    replies = wiring.replies()
    sent = replies.reply(caller(), conversation_id, reply.text or "", html, reply.subject, template, outgoing=outgoing)
    return MessageOut.of(sent, wiring.blobs().download_url if sent.attachments else None)


def outgoing_of(reply: ReplyIn) -> Outgoing | None:
    """Files, Cc, Bcc and reply-all, when the reply has any (services/attachments.py checks them)."""
    if not (reply.attachments or reply.cc or reply.bcc or reply.reply_all):
        return None
    from inbox.services.attachments import Outgoing  # the send path's alone: off the API's start

    return Outgoing(
        attachments=tuple(reply.attachments), cc=tuple(reply.cc), bcc=tuple(reply.bcc), reply_all=reply.reply_all
    )


@router.get(
    "/conversations/<conversation_id>/whatsapp-templates",
    tags=["conversations"],
    summary="The approved WhatsApp templates this conversation can be answered with",
    description="Those of the Vonage integration it came through: the approved ones Vonage lists for its "
    "WhatsApp Business Account (`refresh=true` asks Vonage again), then those typed in its settings; none on "
    "other channels.",
)
def whatsapp_templates(
    conversation_id: Annotated[str, Path(max_length=64)],
    refresh: Annotated[bool, Query(description="Read the list from Vonage again (issue 16).")] = False,
) -> WhatsAppTemplates:
    templates = wiring.whatsapp_templates().for_conversation(caller(), conversation_id, refresh).usable
    return WhatsAppTemplates(items=[WhatsAppTemplateOut.model_validate(t.model_dump()) for t in templates])


@router.post(
    "/conversations/<conversation_id>/notes",
    tags=["conversations"],
    status_code=201,
    summary="Add an internal note (never sent to the customer)",
)
def add_note(conversation_id: Annotated[str, Path(max_length=64)], note: Annotated[NoteIn, Body()]) -> NoteOut:
    return NoteOut.of(wiring.conversations().add_note(caller(), conversation_id, note.text))
