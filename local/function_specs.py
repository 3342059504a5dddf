"""What the runtime needs from the template: each Python function (its code, layers, resolved
environment) and what invokes it: HTTP API routes with their authorizer and CORS, SQS queues and
schedules (DynamoDB streams: streams.py; WebSocket routes: websocket_events.py). Pure, like template.py."""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .template import Template

log = logging.getLogger("local")


@dataclass
class FunctionSpec:
    """One AWS::Serverless::Function, resolved: enough to run it like a Lambda instance."""

    logical_id: str
    name: str
    arn: str
    code_dir: Path
    handler: str
    timeout: int
    memory: int
    layer_dirs: list[Path]
    environment: dict[str, str]
    snap_start: bool = False  # SnapStart on its published versions: the runtime plays a snapshot's restore


@dataclass
class JwtAuthorizer:
    name: str
    issuer: str
    audience: list[str]
    identity_source: str = "$request.header.Authorization"


@dataclass
class UnsupportedAuthorizer:
    """A Lambda or IAM authorizer: the local gateway cannot evaluate it, so it denies (fails closed)."""

    name: str


@dataclass
class Cors:
    allow_origins: list[str]
    allow_methods: list[str]
    allow_headers: list[str]
    expose_headers: list[str]
    max_age: int | None
    allow_credentials: bool


@dataclass
class Route:
    """An HttpApi route: `method` is GET/POST/.../ANY, `path` like /inbox/{proxy+}, or `$default`."""

    method: str
    path: str
    function: str
    authorizer: JwtAuthorizer | UnsupportedAuthorizer | None = None
    scopes: list[str] = field(default_factory=list)
    cors: Cors | None = None

    @property
    def key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"


@dataclass
class SqsSource:
    function: str
    queue_arn: str
    batch_size: int = 10
    batching_window: float = 0
    report_batch_item_failures: bool = False


@dataclass
class ScheduleSource:
    function: str
    name: str
    expression: str
    input: Any = None  # the JSON payload the function receives instead of the scheduled event
    timezone: str = "UTC"


IMPLICIT_HTTP_API = "ServerlessHttpApi"


def _function_name(template: Template, logical_id: str) -> str:
    props = template.resources[logical_id].get("Properties") or {}
    name = props.get("FunctionName")
    return str(template.resolve(name)) if name else f"{template.stack_name}-{logical_id}"[:64]


def function_specs(template: Template) -> list[FunctionSpec]:
    """Every Python function of the template with its code, layers and resolved environment."""
    specs = []
    for logical_id in template.of_type("AWS::Serverless::Function"):
        props = template.properties(logical_id)
        code_uri = props.get("CodeUri")
        if not isinstance(code_uri, str) or not str(props.get("Runtime", "python")).startswith("python"):
            log.warning("%s: only Python functions with a local CodeUri run locally; skipped", logical_id)
            continue
        variables = (props.get("Environment") or {}).get("Variables") or {}
        environment = {k: _env_string(v) for k, v in template.resolve(variables).items()}
        name = _function_name(template, logical_id)
        specs.append(
            FunctionSpec(
                logical_id=logical_id,
                name=name,
                arn=f"arn:aws:lambda:{template.region}:{template.account_id}:function:{name}",
                code_dir=(template.root / code_uri).resolve(),
                handler=str(props["Handler"]),
                timeout=int(props.get("Timeout", 3)),
                memory=int(props.get("MemorySize", 128)),
                layer_dirs=[d for layer in props.get("Layers") or [] if (d := _layer_dir(template, layer))],
                environment=environment,
                snap_start=(props.get("SnapStart") or {}).get("ApplyOn") == "PublishedVersions",
            )
        )
    return specs


def _env_string(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else json.dumps(value) if isinstance(value, dict | list) else str(value)


def _layer_dir(template: Template, layer: Any) -> Path | None:
    """A layer's importable directory (its ContentUri, or its python/ folder when not built by SAM)."""
    logical_id = layer.get("Ref") if isinstance(layer, dict) else None
    resource = template.resources.get(logical_id or "")
    if resource is None:
        return None  # a published layer ARN: its contents are not on this machine
    props = resource.get("Properties") or {}
    content = props.get("ContentUri") or props.get("Content")
    if not isinstance(content, str):
        return None
    directory = (template.root / content).resolve()
    built_by_sam = bool((resource.get("Metadata") or {}).get("BuildMethod"))
    return directory if built_by_sam or not (directory / "python").is_dir() else directory / "python"


def function_events(template: Template, logical_id: str, kind: str) -> list[tuple[str, dict[str, Any]]]:
    events = template.properties(logical_id).get("Events") or {}
    return [(name, e.get("Properties") or {}) for name, e in events.items() if e.get("Type") == kind]


def http_routes(template: Template) -> list[Route]:
    """The routes of every `Type: HttpApi` event, with the authorizer and CORS of their API."""
    routes = []
    for logical_id in template.of_type("AWS::Serverless::Function"):
        for _name, props in function_events(template, logical_id, "HttpApi"):
            api_ref = props.get("ApiId")
            api = _http_api_properties(template, api_ref["Ref"] if isinstance(api_ref, dict) else IMPLICIT_HTTP_API)
            auth = props.get("Auth") or {}
            authorizer_name = auth.get("Authorizer", (api.get("Auth") or {}).get("DefaultAuthorizer"))
            method = str(props.get("Method", "ANY")).upper()
            routes.append(
                Route(
                    method="ANY" if method == "X-AMAZON-APIGATEWAY-ANY-METHOD" else method,
                    path=str(props.get("Path", "$default")),
                    function=logical_id,
                    authorizer=_authorizer(template, api, authorizer_name),
                    scopes=list(template.resolve(auth.get("AuthorizationScopes") or [])),
                    cors=_cors(template, api.get("CorsConfiguration")),
                )
            )
    return routes


def _http_api_properties(template: Template, api_id: str) -> dict[str, Any]:
    if api_id in template.resources:
        return template.properties(api_id)
    return copy.deepcopy((template.data.get("Globals") or {}).get("HttpApi") or {})


def _authorizer(template: Template, api: dict[str, Any], name: str | None) -> Any:
    if not name or name == "NONE":
        return None
    config = ((api.get("Auth") or {}).get("Authorizers") or {}).get(name)
    if not config or "JwtConfiguration" not in config:
        return UnsupportedAuthorizer(name)
    jwt_config = template.resolve(config["JwtConfiguration"])
    audience = jwt_config.get("audience") or []
    return JwtAuthorizer(
        name=name,
        issuer=str(jwt_config["issuer"]),
        audience=[str(a) for a in (audience if isinstance(audience, list) else [audience])],
        identity_source=str(config.get("IdentitySource", "$request.header.Authorization")),
    )


def _cors(template: Template, config: Any) -> Cors | None:
    if not config:
        return None
    if config is True:
        config = {"AllowOrigins": ["*"], "AllowHeaders": ["*"], "AllowMethods": ["*"]}
    config = template.resolve(config)
    return Cors(
        allow_origins=[str(o) for o in config.get("AllowOrigins") or []],
        allow_methods=[str(m).upper() for m in config.get("AllowMethods") or []],
        allow_headers=[str(h).lower() for h in config.get("AllowHeaders") or []],
        expose_headers=[str(h).lower() for h in config.get("ExposeHeaders") or []],
        max_age=int(config["MaxAge"]) if "MaxAge" in config else None,
        allow_credentials=bool(config.get("AllowCredentials", False)),
    )


def sqs_sources(template: Template) -> list[SqsSource]:
    sources = []
    for logical_id in template.of_type("AWS::Serverless::Function"):
        for _name, props in function_events(template, logical_id, "SQS"):
            props = template.resolve(props)
            if props.get("Enabled", True) in (False, "false", "False"):
                continue
            sources.append(
                SqsSource(
                    function=logical_id,
                    queue_arn=str(props["Queue"]),
                    batch_size=int(props.get("BatchSize", 10)),
                    batching_window=float(props.get("MaximumBatchingWindowInSeconds", 0)),
                    report_batch_item_failures="ReportBatchItemFailures" in (props.get("FunctionResponseTypes") or []),
                )
            )
    return sources


def schedule_sources(template: Template) -> list[ScheduleSource]:
    sources = []
    for logical_id in template.of_type("AWS::Serverless::Function"):
        for kind in ("Schedule", "ScheduleV2"):
            for name, props in function_events(template, logical_id, kind):
                props = template.resolve(props)
                state = str(props.get("State", "ENABLED")).upper()
                if props.get("Enabled", True) in (False, "false", "False") or state == "DISABLED":
                    continue
                raw_input = props.get("Input")
                sources.append(
                    ScheduleSource(
                        function=logical_id,
                        name=str(props.get("Name") or f"{template.stack_name}-{logical_id}-{name}"),
                        expression=str(props.get("Schedule") or props["ScheduleExpression"]),
                        input=json.loads(raw_input) if isinstance(raw_input, str) else raw_input,
                        timezone=str(props.get("ScheduleExpressionTimezone", "UTC")),
                    )
                )
    return sources
