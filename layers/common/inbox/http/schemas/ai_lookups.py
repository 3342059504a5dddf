"""`/ai/lookups`: the endpoints of the business the AI may call while it writes a reply (issue 16, item 1)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inbox.adapters.lookup_http import DEADLINE_SECONDS, MAX_ANSWER_BYTES
from inbox.http.schemas.shared import tenant_url
from inbox.models.ai_lookup import (
    LOOKUP_NAME_PATTERN,
    MAX_PARAMETERS,
    MAX_SCHEMA_BYTES,
    SIMPLE_TYPES,
    AiLookup,
    bounded_parameter_schema,
)

_NAME = "The function's name the model calls: lower-case letters, digits and _, starting with a letter (at most 40)."
_DESCRIPTION = "What the model reads to decide when to call it, e.g. 'Find an order by its number'."
_PARAMETERS = (
    'A JSON schema of type "object" whose properties (at most '
    f"{MAX_PARAMETERS}) are of type {', '.join(SIMPLE_TYPES)}, each with an optional description and enum; "
    f"`required` lists the ones the model must give (all when left out); at most {MAX_SCHEMA_BYTES // 1024} KB "
    "written out. Example: "
    '{"type": "object", "properties": {"order_number": {"type": "string", "description": "The order number"}}}'
)
_ENDPOINT = (
    "Where the arguments are POSTed as JSON (`parameters`, with the `customer` asking), signed "
    "(`X-Inbox-Signature`) and named (`X-Inbox-Lookup`): https, a public address (the same outbound guard as "
    f"webhooks). It answers 2xx with a JSON object of at most {MAX_ANSWER_BYTES // 1024} KB within "
    f"{DEADLINE_SECONDS:g} s."
)


def _description(value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise ValueError("must not be blank")
    return value.strip() if value is not None else None


class AiLookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=LOOKUP_NAME_PATTERN, description=_NAME)
    description: str = Field(min_length=1, max_length=500, description=_DESCRIPTION)
    parameters: dict[str, Any] = Field(description=_PARAMETERS)
    endpoint: str = Field(max_length=2048, description=_ENDPOINT)
    enabled: bool = True

    _description = field_validator("description")(lambda value: _description(value))
    _parameters = field_validator("parameters")(lambda value: bounded_parameter_schema(value))
    _endpoint = field_validator("endpoint")(lambda value: tenant_url(value))


class AiLookupChangeIn(BaseModel):
    """What changes; a field left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, pattern=LOOKUP_NAME_PATTERN)
    description: str | None = Field(None, min_length=1, max_length=500)
    parameters: dict[str, Any] | None = None
    endpoint: str | None = Field(None, max_length=2048)
    enabled: bool | None = None

    _description = field_validator("description")(lambda value: _description(value))
    _parameters = field_validator("parameters")(
        lambda value: value if value is None else bounded_parameter_schema(value)
    )
    _endpoint = field_validator("endpoint")(lambda value: value if value is None else tenant_url(value))

    @model_validator(mode="after")
    def _something(self) -> AiLookupChangeIn:
        if not self.model_fields_set:
            raise ValueError("give name, description, parameters, endpoint or enabled")
        return self


class AiLookupOut(BaseModel):
    id: str
    name: str
    description: str
    parameters: dict[str, Any] = Field(description="The JSON schema, written out (required, additionalProperties).")
    endpoint: str
    enabled: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, lookup: AiLookup) -> AiLookupOut:
        return cls.model_validate(lookup.model_dump(include=set(cls.model_fields)))


class AiLookupCreatedOut(AiLookupOut):
    secret: str = Field(
        description="The signing secret, shown this once: verify `X-Inbox-Signature` (t=<unix seconds>,"
        "v1=<hex HMAC-SHA256 of '<t>.<body>'>) with it."
    )


class AiLookupList(BaseModel):
    items: list[AiLookupOut]


class AiLookupCustomerIn(BaseModel):
    """Who is asking, as a reply's call carries it: the conversation's contact address and number."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)


class AiLookupTestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    arguments: dict[str, Any] = Field(
        default_factory=dict,
        description="Sample arguments, as the model would give them: they must fit the parameters.",
    )
    customer: AiLookupCustomerIn | None = Field(
        None,
        description="A sample customer, sent as the call's `customer` (who is asking): an endpoint that checks "
        "ownership answers only about this customer's own orders. Left out, the call carries no customer.",
    )
