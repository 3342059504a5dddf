"""What every router's schemas share: the error body, a one-line label's check, and how a URL given by a
tenant is read."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


def one_line(value: str | None) -> str | None:
    """A label (a title, a name): one line, not blank, kept without its surrounding spaces."""
    if value is None:
        return None
    if any(c in value for c in "\r\n\0"):
        raise ValueError("must be one line")
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


def tenant_url(value: str) -> str:
    """A URL our servers will call for a tenant, in the one reading the outbound guard uses."""
    from inbox.adapters.outbound import Destinations, parse_url

    return str(parse_url(value, Destinations.from_settings()))
