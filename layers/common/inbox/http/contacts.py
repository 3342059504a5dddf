"""`/inbox/contacts`: find customers, read one with its conversations, edit it, merge two."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.contacts import ContactDetail, ContactOut, ContactPage, ContactPatch, MergeIn, MergeOut
from inbox.http.schemas.conversations import ConversationOut
from inbox.models import Principal

router = APIGatewayHttpRouter()


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get(
    "/contacts",
    tags=["contacts"],
    summary="Find contacts by name, email or phone",
    description="`q` with an @ is an email, found exactly (case ignored); one that reads as a phone number "
    "(digits, with + and the country code) is found exactly in E.164; anything else is the start of a name, "
    "accents and case ignored, in name order. Without `q`: every contact by name. Paginated.",
)
def find_contacts(
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ContactPage:
    items, next_cursor = wiring.contacts().find(caller(), q, limit, cursor)
    return ContactPage(items=[ContactOut.of(c) for c in items], next_cursor=next_cursor)


@router.get(
    "/contacts/<contact_id>",
    tags=["contacts"],
    summary="A contact with its conversations on every channel, newest first",
)
def get_contact(
    contact_id: Annotated[str, Path(max_length=64)],
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ContactDetail:
    history = wiring.contacts().get(caller(), contact_id, limit, cursor)
    return ContactDetail(
        contact=ContactOut.of(history.contact),
        conversations=[ConversationOut.of(c) for c in history.conversations],
        next_cursor=history.next_cursor,
    )


@router.patch(
    "/contacts/<contact_id>",
    tags=["contacts"],
    summary="Change a contact's name, emails, phones, company or notes",
    description="An email or phone added must be no other contact's: 409 naming the field (`emails[1]`) and "
    "the contact that has it, to merge with. A message from an address removed starts a new contact.",
)
def change_contact(
    contact_id: Annotated[str, Path(max_length=64)], changes: Annotated[ContactPatch, Body()]
) -> ContactOut:
    fields = changes.model_dump(include=changes.model_fields_set)
    return ContactOut.of(wiring.contacts().change(caller(), contact_id, fields))


@router.post(
    "/contacts/<contact_id>/merge",
    tags=["contacts"],
    summary="Merge another contact into this one (or preview it)",
    description="Its emails, phones, notes and conversations move to this contact, which keeps its own name "
    "and company (the other's fill the gaps); the other is deleted, and its emails and phones find this one from "
    "then on. `preview`: the result, nothing written. A merge cut short is finished by sending it again; "
    "`complete: false` says conversations remain to move. Merging a contact with itself: 422 on `other_id`.",
)
def merge_contacts(contact_id: Annotated[str, Path(max_length=64)], merge: Annotated[MergeIn, Body()]) -> MergeOut:
    outcome = wiring.contacts().merge(caller(), contact_id, merge.other_id, merge.preview)
    return MergeOut(
        contact=ContactOut.of(outcome.contact),
        preview=merge.preview,
        moved_conversations=outcome.moved_conversations,
        complete=outcome.complete,
    )
