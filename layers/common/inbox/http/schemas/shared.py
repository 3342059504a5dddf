"""What every router's schemas share: the error body, and how a URL given by a tenant is read."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


def tenant_url(value: str) -> str:
    """A URL our servers will call for a tenant, in the one reading the outbound guard uses."""
    from inbox.adapters.outbound import Destinations, parse_url

    return str(parse_url(value, Destinations.from_settings()))
