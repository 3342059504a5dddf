"""`/inbox/settings/business-hours`: the tenant's time zone, opening hours per weekday and holidays,
which nudges keep to (issue 13, item 6). Everyone reads them; admins set them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import Field

from inbox import wiring
from inbox.http.auth import principal_from_claims, require_admin
from inbox.models import Principal
from inbox.models.business_hours import BusinessHours

router = APIGatewayHttpRouter()


class BusinessHoursOut(BusinessHours):
    configured: bool = Field(description="false: nobody set them yet, and these are the defaults.")
    updated_at: datetime | None = None


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get("/settings/business-hours", tags=["settings"], summary="The business hours and time zone nudges keep to")
def get_business_hours() -> BusinessHoursOut:
    hours, configured = wiring.business_hours().get(caller())
    return BusinessHoursOut(**hours.model_dump(), configured=configured)


@router.put(
    "/settings/business-hours",
    tags=["settings"],
    summary="Set the time zone (IANA), the opening intervals of each weekday and the holidays (admins)",
)
def put_business_hours(hours: Annotated[BusinessHours, Body()]) -> BusinessHoursOut:
    stored = wiring.business_hours().put(require_admin(caller()), hours)
    return BusinessHoursOut(**stored.model_dump(), configured=True)
