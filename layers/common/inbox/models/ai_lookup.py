"""Lookups the AI may call while it writes a reply (issue 16, item 1): a business's own endpoint
(its shop, its booking system) that answers a question the knowledge base cannot, such as the state
of order 12345 now. The model sees a lookup's name, description and parameters, never its endpoint
or its secret; each call it makes is recorded with the reply (`LookupCall`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

LOOKUP_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"  # what OpenAI takes as a function's name, kept short
MAX_CALLS_PER_REPLY = 3


class AiLookup(BaseModel):
    """A tenant's lookup. `parameters` is a JSON schema: an object whose properties are strings,
    integers, numbers or booleans. `secret` is sealed (cipher envelope), never returned after creation."""

    id: str
    tenant_id: str
    name: str = Field(pattern=LOOKUP_NAME_PATTERN)
    description: str = Field(max_length=500)
    parameters: dict[str, Any]
    endpoint: str
    enabled: bool = True
    secret: str = Field(description="The signing secret, sealed; shown in clear once, on creation.")
    created_at: datetime
    updated_at: datetime


class LookupCall(BaseModel):
    """One call the model asked for while writing a reply, and what came of it."""

    name: str = Field(description="The lookup's name, as the model called it.")
    arguments: dict[str, Any] = Field(default_factory=dict)
    ok: bool
    answer: Any = Field(None, description="What the endpoint answered (JSON), given to the model as data.")
    summary: str = Field(
        "",
        description="One line a person reads with the draft, e.g. 'order_number 12345: "
        "status shipped, shipped_on 2026-11-28, tracking 6A123'.",
    )
    error: str | None = Field(None, description="Why it failed, in English: refused, timed out, not JSON, too large.")
    duration_ms: int | None = None
