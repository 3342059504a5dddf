"""Lambda's event filtering (an event source mapping's FilterCriteria), applied as Lambda applies it:
a record is kept when any filter's pattern matches it; a pattern names fields (nested objects), each
with a list of what the field may be: a literal, or `{"prefix"}`, `{"suffix"}`, `{"anything-but"}`,
`{"exists"}`, `{"equals-ignore-case"}`, `{"numeric": [op, value, ...]}`. A field holding a list
matches when any of its elements does. Pure."""

from __future__ import annotations

import json
import operator
from typing import Any

_MISSING = object()
_NUMERIC = {"<": operator.lt, "<=": operator.le, "=": operator.eq, ">=": operator.ge, ">": operator.gt}


def compile_filters(criteria: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The patterns of a `FilterCriteria` (each `Pattern` is a JSON string)."""
    filters = (criteria or {}).get("Filters") or []
    return [json.loads(f["Pattern"]) if isinstance(f["Pattern"], str) else f["Pattern"] for f in filters]


def keeps(patterns: list[dict[str, Any]], record: dict[str, Any]) -> bool:
    """Whether Lambda would pass the record to the function (no filters: every record)."""
    return not patterns or any(_matches(pattern, record) for pattern in patterns)


def _matches(pattern: dict[str, Any], value: Any) -> bool:
    for name, wanted in pattern.items():
        field = value.get(name, _MISSING) if isinstance(value, dict) else _MISSING
        if isinstance(wanted, dict):
            if not isinstance(field, dict) or not _matches(wanted, field):
                return False
        elif isinstance(wanted, list):
            if not any(_matches_rule(rule, field) for rule in wanted):
                return False
        else:
            raise ValueError(f"a filter pattern's field {name!r} must be an object or a list")
    return True


def _matches_rule(rule: Any, field: Any) -> bool:
    if isinstance(rule, dict) and "exists" in rule:
        return (field is not _MISSING) == bool(rule["exists"])
    if field is _MISSING:
        return False
    if isinstance(field, list):
        return any(_matches_rule(rule, item) for item in field)
    if not isinstance(rule, dict):
        return field == rule
    ((kind, argument),) = rule.items()
    if kind == "prefix":
        return isinstance(field, str) and field.startswith(argument)
    if kind == "suffix":
        return isinstance(field, str) and field.endswith(argument)
    if kind == "equals-ignore-case":
        return isinstance(field, str) and field.casefold() == str(argument).casefold()
    if kind == "anything-but":
        excluded = argument if isinstance(argument, list) else [argument]
        return field not in excluded
    if kind == "numeric":
        if isinstance(field, bool) or not isinstance(field, int | float):
            return False
        pairs = zip(argument[::2], argument[1::2], strict=True)
        return all(_NUMERIC[op](field, bound) for op, bound in pairs)
    raise ValueError(f"filter rule {kind!r} is not reproduced locally")
