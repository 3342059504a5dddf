"""Lookups the AI may call while it writes a reply (issue 16, item 1): a business's own endpoint
(its shop, its booking system) that answers a question the knowledge base cannot, such as the state
of order 12345 now. The model sees a lookup's name, description and parameters, never its endpoint
or its secret; each call it makes is recorded with the reply (`LookupCall`)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

LOOKUP_NAME_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"  # what OpenAI takes as a function's name, kept short
MAX_CALLS_PER_REPLY = 3
SIMPLE_TYPES = ("string", "integer", "number", "boolean")
MAX_PARAMETERS = 10
# A lookup's parameters written out, as JSON: they go to the model with every completion of every reply
# (10 lookups, up to 4 completions), so their size is bounded as a whole, not only field by field.
MAX_SCHEMA_BYTES = 4096
PARAMETER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "integer": (int,), "number": (int, float)}


def parameter_schema(value: Any) -> dict[str, Any]:
    """`value` as a lookup's parameters, or a ValueError saying what is wrong: a JSON schema of an object
    whose properties are strings, integers, numbers or booleans, each with an optional description and
    enum, and nothing else (no nesting, no keyword a model or a check could read differently). Given
    back written out in full: `required` (every property when left out) and `additionalProperties: false`."""
    if not isinstance(value, dict) or value.get("type") != "object":
        raise ValueError('must be a JSON schema of type "object"')
    unknown = set(value) - {"type", "properties", "required", "additionalProperties"}
    if unknown:
        raise ValueError(f"does not take {', '.join(sorted(unknown))} (type, properties, required only)")
    if value.get("additionalProperties", False) is not False:
        raise ValueError("additionalProperties must be false")
    properties = value.get("properties", {})
    if not isinstance(properties, dict) or len(properties) > MAX_PARAMETERS:
        raise ValueError(f"properties must be an object of at most {MAX_PARAMETERS} parameters")
    written = {name: _parameter(name, spec) for name, spec in properties.items()}
    required = value.get("required", list(written))
    if not isinstance(required, list) or any(name not in written for name in required):
        raise ValueError("required must list names among the properties")
    return {
        "type": "object",
        "properties": written,
        "required": list(dict.fromkeys(required)),
        "additionalProperties": False,
    }


def bounded_parameter_schema(value: Any) -> dict[str, Any]:
    """parameter_schema, and at most MAX_SCHEMA_BYTES written out: what a new or changed lookup
    takes (the stored ones are read with parameter_schema alone, so none stops reading)."""
    written = parameter_schema(value)
    size = len(json.dumps(written, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_SCHEMA_BYTES:
        raise ValueError(f"written out, must be at most {MAX_SCHEMA_BYTES // 1024} KB of JSON (it is {size} bytes)")
    return written


def _parameter(name: str, spec: Any) -> dict[str, Any]:
    if not PARAMETER_NAME.match(name):
        raise ValueError(f"parameter {name[:40]!r}: a name is letters, digits and _ (at most 40)")
    if not isinstance(spec, dict) or spec.get("type") not in SIMPLE_TYPES:
        raise ValueError(f"parameter {name}: type must be one of {', '.join(SIMPLE_TYPES)}")
    unknown = set(spec) - {"type", "description", "enum"}
    if unknown:
        raise ValueError(f"parameter {name}: does not take {', '.join(sorted(unknown))} (type, description, enum)")
    written: dict[str, Any] = {"type": spec["type"]}
    description = spec.get("description")
    if description is not None:
        if not isinstance(description, str) or len(description) > 200:
            raise ValueError(f"parameter {name}: description must be text of at most 200 characters")
        written["description"] = description
    if "enum" in spec:
        written["enum"] = _enum(name, spec["type"], spec["enum"])
    return written


def _enum(name: str, kind: str, values: Any) -> list[Any]:
    allowed = _PYTHON_TYPES.get(kind, (bool,))
    if (
        not isinstance(values, list)
        or not 1 <= len(values) <= 50
        or any(isinstance(v, bool) != (kind == "boolean") or not isinstance(v, allowed) for v in values)
        or any(isinstance(v, str) and len(v) > 100 for v in values)
    ):
        raise ValueError(f"parameter {name}: enum must list 1 to 50 values of type {kind}")
    return values


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

    _parameters = field_validator("parameters")(lambda value: parameter_schema(value))


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


class LookupCustomer(BaseModel):
    """Who is asking, as the channel vouches for it (the conversation's contact address or number, never
    what the customer wrote): sent with each call, under the signature, so the endpoint answers only
    about that customer's own orders or bookings."""

    email: str | None = None
    phone: str | None = None
