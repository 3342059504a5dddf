"""`/inbox/ai/lookups`: the business's endpoints the AI may call while it writes a reply (admins):
register, change, remove, a new secret, and a test call with sample arguments (issue 16, item 1)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.http.schemas.ai_lookups import (
    AiLookupChangeIn,
    AiLookupCreatedOut,
    AiLookupIn,
    AiLookupList,
    AiLookupOut,
    AiLookupTestIn,
)
from inbox.models import Principal
from inbox.models.ai_lookup import LookupCall, LookupCustomer

router = APIGatewayHttpRouter()
LookupId = Annotated[str, Path(max_length=64)]
TAGS = ["ai"]


def admin() -> Principal:
    return require_admin(principal_from_claims(router.current_event.request_context.authorizer.jwt_claim))


@router.get("/ai/lookups", tags=TAGS, summary="The lookups the AI may call (admins)")
def list_ai_lookups() -> AiLookupList:
    return AiLookupList(items=[AiLookupOut.of(lookup) for lookup in wiring.ai_lookups().list(admin())])


@router.post(
    "/ai/lookups",
    tags=TAGS,
    status_code=201,
    summary="Register a lookup the AI may call (admins)",
    description="The answer holds the signing secret, shown this once. 422 on `endpoint` when it is not https or "
    "points to a private, loopback or metadata address, on `parameters` when it is not an object of simple types; "
    "409 naming `name` when another lookup of the tenant has it (`name: another lookup is named …`), 409 past 10 "
    "lookups.",
)
def create_ai_lookup(lookup: Annotated[AiLookupIn, Body()]) -> AiLookupCreatedOut:
    created, secret = wiring.ai_lookups().create(
        admin(), lookup.name, lookup.description, lookup.parameters, lookup.endpoint, lookup.enabled
    )
    return AiLookupCreatedOut(**AiLookupOut.of(created).model_dump(), secret=secret)


@router.patch(
    "/ai/lookups/<lookup_id>",
    tags=TAGS,
    summary="Change a lookup (admins)",
    description="What is given changes. A new `name` another lookup of the tenant has: 409 naming `name`; the old "
    "name is free once renamed, and once deleted.",
)
def update_ai_lookup(lookup_id: LookupId, change: Annotated[AiLookupChangeIn, Body()]) -> AiLookupOut:
    fields = change.model_dump(include=change.model_fields_set)
    return AiLookupOut.of(wiring.ai_lookups().change(admin(), lookup_id, **fields))


@router.delete("/ai/lookups/<lookup_id>", tags=TAGS, summary="Remove a lookup (admins)")
def delete_ai_lookup(lookup_id: LookupId) -> Response[None]:
    wiring.ai_lookups().delete(admin(), lookup_id)
    return Response(status_code=204)


@router.post(
    "/ai/lookups/<lookup_id>/secret",
    tags=TAGS,
    summary="Give a lookup a new signing secret (admins)",
    description="The answer holds the new secret, shown this once; the old one signs nothing from now on.",
)
def rotate_ai_lookup_secret(lookup_id: LookupId) -> AiLookupCreatedOut:
    changed, secret = wiring.ai_lookups().rotate_secret(admin(), lookup_id)
    return AiLookupCreatedOut(**AiLookupOut.of(changed).model_dump(), secret=secret)


@router.post(
    "/ai/lookups/<lookup_id>/test",
    tags=TAGS,
    summary="Call a lookup now with sample arguments (admins)",
    description="POSTs the arguments, signed, as the AI would (even to a lookup turned off) and answers the call: "
    "ok, the endpoint's answer or why it failed, the line shown with a draft, how long it took. Nothing is stored. "
    'The body sent is `{"parameters": <arguments>, "customer": {"email", "phone"}}` (the sample '
    "customer's, null when not given). 422 on `arguments` when they do not fit the parameters.",
)
def test_ai_lookup(lookup_id: LookupId, test: Annotated[AiLookupTestIn, Body()]) -> LookupCall:
    customer = LookupCustomer(**test.customer.model_dump()) if test.customer else None
    return wiring.ai_lookups().test(admin(), lookup_id, test.arguments, customer)
