"""Reading template.yaml the way CloudFormation + the SAM transform would, for one machine.

`Template` loads the file (cfn-flip understands the `!Ref`/`!GetAtt`/`!Sub` short forms), binds the
parameters, merges the SAM `Globals`, resolves intrinsic functions against the physical ids of what
the local stack created, and orders the resources by what they refer to. What the runtime needs
from it (functions, their HTTP routes, SQS event sources, schedules) is read by function_specs.py.
Nothing here talks to AWS, so it is unit-tested without moto.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfn_tools import load_yaml

ACCOUNT_ID = "123456789012"  # moto's default account
NO_VALUE = object()  # AWS::NoValue: the property disappears
_SUB_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class TemplateError(Exception):
    """The template uses something the local stack cannot reproduce."""


@dataclass
class Physical:
    """What CloudFormation knows about a created resource: its `Ref` value and its `GetAtt`s."""

    ref: str
    attrs: dict[str, Any] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """cfn-flip's ODicts → plain dicts and lists, so the rest of the code sees ordinary JSON."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def merge_globals(global_props: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """SAM's Globals rule: maps merge (the resource wins), lists add up (globals first), scalars override."""
    merged = copy.deepcopy(global_props)
    for key, value in own.items():
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, dict) and not _is_intrinsic(value):
            merged[key] = merge_globals(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            merged[key] = current + copy.deepcopy(value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _INTRINSICS


_INTRINSICS = {
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::If",
    "Fn::Equals",
    "Fn::Not",
    "Fn::And",
    "Fn::Or",
    "Condition",
    "Fn::FindInMap",
    "Fn::Base64",
    "Fn::GetAZs",
    "Fn::ImportValue",
    "Fn::ToJsonString",
}


class Template:
    """A SAM template with its parameters bound and a registry of physical resources."""

    def __init__(
        self,
        data: dict[str, Any],
        root: Path,
        *,
        region: str = "eu-west-3",
        stack_name: str = "inbox-local",
        account_id: str = ACCOUNT_ID,
        parameters: dict[str, str] | None = None,
        local_defaults: dict[str, str] | None = None,
    ):
        """`local_defaults`: what the local stack itself sets for parameters the template declares
        (loopback allowed, its fakes' URLs), under what the user passes in `parameters`."""
        self.data = data
        self.root = root
        self.region = region
        self.stack_name = stack_name
        self.account_id = account_id
        self.resources: dict[str, dict[str, Any]] = data.get("Resources") or {}
        self.parameters = self._bind_parameters(parameters or {}, local_defaults or {})
        self.physical: dict[str, Physical] = {}

    @classmethod
    def load(cls, path: str | Path, **kwargs: Any) -> Template:
        path = Path(path).resolve()
        return cls(_plain(load_yaml(path.read_text(encoding="utf-8"))), path.parent, **kwargs)

    # ------------------------------------------------------------------ parameters & pseudo params
    def _bind_parameters(self, overrides: dict[str, str], local_defaults: dict[str, str]) -> dict[str, Any]:
        bound: dict[str, Any] = {}
        for name, spec in (self.data.get("Parameters") or {}).items():
            if name in overrides:
                value: Any = overrides[name]
            elif name in local_defaults:
                value = local_defaults[name]
            elif "Default" in spec:
                value = spec["Default"]
            else:
                raise TemplateError(f"parameter {name} has no Default: pass --parameter {name}=VALUE")
            if spec.get("Type") == "CommaDelimitedList" or str(spec.get("Type", "")).startswith("List<"):
                value = value if isinstance(value, list) else [v.strip() for v in str(value).split(",")]
            else:
                value = str(value)  # a Number parameter's Ref is a string too
            bound[name] = value
        unknown = set(overrides) - set(bound)
        if unknown:
            raise TemplateError(f"unknown parameters: {', '.join(sorted(unknown))}")
        return bound

    def pseudo(self, name: str) -> Any:
        values = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account_id,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{self.region}:{self.account_id}:stack/"
            f"{self.stack_name}/00000000-0000-0000-0000-000000000000",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }
        if name not in values:
            raise TemplateError(f"unknown pseudo parameter {name}")
        return values[name]

    # ------------------------------------------------------------------ intrinsics
    def resolve(self, value: Any) -> Any:
        """Replace every intrinsic function in `value` by its value, as CloudFormation would."""
        if isinstance(value, list):
            return [v for v in (self.resolve(item) for item in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key in _INTRINSICS:
                return getattr(self, "_fn_" + key.removeprefix("Fn::").lower())(arg)
        resolved = {k: self.resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def ref(self, name: str) -> Any:
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.parameters:
            return self.parameters[name]
        if name in self.physical:
            return self.physical[name].ref
        if name in self.resources:
            raise TemplateError(f"{name} is referenced before it exists")
        raise TemplateError(f"Ref to unknown name {name}")

    def get_att(self, logical_id: str, attribute: str) -> Any:
        physical = self.physical.get(logical_id)
        if physical is None:
            raise TemplateError(f"GetAtt {logical_id}.{attribute}: {logical_id} does not exist (yet)")
        try:
            return physical.attrs[attribute]
        except KeyError:
            raise TemplateError(f"GetAtt {logical_id}.{attribute}: attribute unknown to the local stack") from None

    def _fn_ref(self, name: str) -> Any:
        return self.ref(name)

    def _fn_getatt(self, arg: Any) -> Any:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        logical_id, attribute = (self.resolve(a) for a in arg)
        return self.get_att(logical_id, attribute)

    def _fn_sub(self, arg: Any) -> str:
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):  # ${!Literal} is written as ${Literal}
                return "${" + name[1:] + "}"
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                return str(self.get_att(*name.split(".", 1)))
            return str(self.ref(name))

        return _SUB_VARIABLE.sub(substitute, text)

    def _fn_join(self, arg: list[Any]) -> str:
        delimiter, items = arg
        return str(delimiter).join(str(i) for i in self.resolve(items))

    def _fn_select(self, arg: list[Any]) -> Any:
        index, items = self.resolve(arg[0]), self.resolve(arg[1])
        return items[int(index)]

    def _fn_split(self, arg: list[Any]) -> list[str]:
        delimiter, text = arg
        return str(self.resolve(text)).split(delimiter)

    def _fn_base64(self, arg: Any) -> str:
        return base64.b64encode(str(self.resolve(arg)).encode()).decode()

    def _fn_tojsonstring(self, arg: Any) -> str:
        return json.dumps(self.resolve(arg), separators=(",", ":"))

    def _fn_getazs(self, arg: Any) -> list[str]:
        region = self.resolve(arg) or self.region
        return [f"{region}{zone}" for zone in "abc"]

    def _fn_findinmap(self, arg: list[Any]) -> Any:
        name, top, second = (self.resolve(a) for a in arg[:3])
        return self.resolve(self.data["Mappings"][name][top][second])

    def _fn_importvalue(self, arg: Any) -> Any:
        raise TemplateError("Fn::ImportValue needs another stack: not available locally")

    def _fn_equals(self, arg: list[Any]) -> bool:
        left, right = (self.resolve(a) for a in arg)
        return str(left) == str(right)

    def _fn_not(self, arg: list[Any]) -> bool:
        return not self._truth(arg[0])

    def _fn_and(self, arg: list[Any]) -> bool:
        return all(self._truth(a) for a in arg)

    def _fn_or(self, arg: list[Any]) -> bool:
        return any(self._truth(a) for a in arg)

    def _fn_condition(self, name: str) -> bool:
        return self.condition(name)

    def _fn_if(self, arg: list[Any]) -> Any:
        name, when_true, when_false = arg
        return self.resolve(when_true if self.condition(name) else when_false)

    def _truth(self, value: Any) -> bool:
        resolved = self.resolve(value)
        return resolved if isinstance(resolved, bool) else str(resolved).lower() == "true"

    def condition(self, name: str) -> bool:
        return self._truth((self.data.get("Conditions") or {})[name])

    # ------------------------------------------------------------------ resources
    def is_active(self, logical_id: str) -> bool:
        """False for a resource whose `Condition` is false: CloudFormation would not create it."""
        condition = self.resources[logical_id].get("Condition")
        return condition is None or self.condition(condition)

    def properties(self, logical_id: str) -> dict[str, Any]:
        """The resource's properties with the SAM Globals of its type merged in (unresolved)."""
        resource = self.resources[logical_id]
        own = resource.get("Properties") or {}
        section = {
            "AWS::Serverless::Function": "Function",
            "AWS::Serverless::HttpApi": "HttpApi",
            "AWS::Serverless::Api": "Api",
            "AWS::Serverless::SimpleTable": "SimpleTable",
        }.get(resource.get("Type", ""))
        global_props = (self.data.get("Globals") or {}).get(section or "", {})
        return merge_globals(global_props, own) if global_props else copy.deepcopy(own)

    def dependencies(self, logical_id: str) -> set[str]:
        """Logical ids this resource refers to (Ref, GetAtt, Sub, DependsOn)."""
        found: set[str] = set()
        resource = self.resources[logical_id]
        depends = resource.get("DependsOn") or []
        found.update([depends] if isinstance(depends, str) else depends)
        _collect_refs(resource.get("Properties") or {}, found)
        return {name for name in found if name in self.resources and name != logical_id}

    def creation_order(self) -> list[str]:
        """Resources in an order where each comes after what it refers to (template order otherwise)."""
        order: list[str] = []
        visiting: set[str] = set()

        def visit(name: str) -> None:
            if name in order:
                return
            if name in visiting:
                raise TemplateError(f"circular dependency through {name}")
            visiting.add(name)
            for dependency in sorted(self.dependencies(name), key=list(self.resources).index):
                visit(dependency)
            visiting.discard(name)
            order.append(name)

        for name in self.resources:
            visit(name)
        return order

    def of_type(self, *types: str) -> list[str]:
        return [name for name, r in self.resources.items() if r.get("Type") in types and self.is_active(name)]


def _collect_refs(value: Any, found: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect_refs(item, found)
    elif isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.add(arg)
            elif key == "Fn::GetAtt":
                found.add(arg.split(".", 1)[0] if isinstance(arg, str) else str(arg[0]))
            elif key == "Fn::Sub":
                text = arg if isinstance(arg, str) else arg[0]
                for name in _SUB_VARIABLE.findall(text):
                    found.add(name.split(".", 1)[0])
                if not isinstance(arg, str):
                    _collect_refs(arg[1], found)
            else:
                _collect_refs(arg, found)
