"""Structured Outputs' JSON schemas as the fake OpenAI reads them: strict mode's rules, the blandest value a schema
allows, and where a value breaks a schema."""

from __future__ import annotations

from typing import Any


class SchemaError(ValueError):
    """A schema the fake cannot read (a `$ref` that does not resolve): OpenAI answers 400."""


def resolve(schema: Any, root: dict[str, Any]) -> Any:
    """Follows local `$ref`s (`#/$defs/Name`), as pydantic's schemas use them."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node.get(part) if part and isinstance(node, dict) else node
        if node is None or node is schema:
            raise SchemaError(f"Invalid schema: reference {schema['$ref']} does not resolve.")
        schema = node
    return schema


def strict_errors(schema: Any, where: tuple[str, ...] = ()) -> list[str]:
    """What OpenAI's strict mode refuses: objects must forbid extra keys and require every property."""
    if not isinstance(schema, dict):
        return []
    errors: list[str] = []
    context = f"In context=({', '.join(map(repr, where))})"
    if schema.get("type") == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            errors.append(f"{context}, 'additionalProperties' is required to be supplied and to be false.")
        missing = ", ".join(repr(name) for name in properties if name not in (schema.get("required") or []))
        if missing:
            every = "is required to be supplied and to be an array including every key in properties"
            errors.append(f"{context}, 'required' {every}. Missing {missing}.")
        for name, child in properties.items():
            errors += strict_errors(child, (*where, "properties", name))
    errors += strict_errors(schema.get("items"), (*where, "items"))
    for n, child in enumerate(schema.get("anyOf", [])):
        errors += strict_errors(child, (*where, "anyOf", str(n)))
    for key in ("$defs", "definitions"):
        for name, child in (schema.get(key) or {}).items():
            errors += strict_errors(child, (*where, key, name))
    return errors


def types_of(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def neutral(schema: Any, root: dict[str, Any]) -> Any:
    """The blandest value a schema allows: null when nullable, else the first enum value, "", false, 0, {...}, []."""
    schema = resolve(schema, root)
    if not isinstance(schema, dict):
        return None
    options = [resolve(option, root) for option in schema.get("anyOf", [])]
    if "null" in types_of(schema) or any(isinstance(o, dict) and "null" in types_of(o) for o in options):
        return None
    if options:
        return neutral(options[0], root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = (types_of(schema) or ["object" if "properties" in schema else "string"])[0]
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: neutral(properties.get(name, {}), root) for name in schema.get("required", [])}
    return {"string": "", "boolean": False, "integer": 0, "number": 0, "array": []}.get(kind)


def fits(value: Any, kind: str) -> bool:
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    python = {"string": str, "boolean": bool, "integer": int, "number": int | float, "object": dict, "array": list}
    return value is None if kind == "null" else isinstance(value, python.get(kind, object))


def mismatches(value: Any, schema: Any, root: dict[str, Any], at: str = "$") -> list[str]:
    """Where `value` breaks `schema`: types, enums, required and extra keys, recursively (no formats or bounds)."""
    schema = resolve(schema, root)
    if not isinstance(schema, dict):
        return []
    if "anyOf" in schema:
        if not any(not mismatches(value, option, root, at) for option in schema["anyOf"]):
            return [f"{at}: {value!r} fits none of anyOf"]
        return []
    kinds = types_of(schema)
    if kinds and not any(fits(value, kind) for kind in kinds):
        return [f"{at}: {value!r} is not of type {' or '.join(kinds)}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{at}: {value!r} is not one of {schema['enum']}"]
    if "const" in schema and value != schema["const"]:
        return [f"{at}: {value!r} is not {schema['const']!r}"]
    errors: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [f"{at}: missing {name!r}" for name in schema.get("required", []) if name not in value]
        if schema.get("additionalProperties") is False:
            errors += [f"{at}: unexpected {name!r}" for name in value if name not in properties]
        for name, item in value.items():
            errors += mismatches(item, properties.get(name, {}), root, f"{at}.{name}")
    if isinstance(value, list):
        for n, item in enumerate(value):
            errors += mismatches(item, schema.get("items", {}), root, f"{at}[{n}]")
    return errors
