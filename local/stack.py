"""Start and stop the whole local stack, in the order the pieces depend on each other."""

from __future__ import annotations

import logging
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from .aws import Aws, configure_credentials
from .function_specs import (
    FunctionSpec,
    JwtAuthorizer,
    Route,
    function_specs,
    http_routes,
    schedule_sources,
    sqs_sources,
)
from .gateway import Gateway, HttpApi
from .jwt_authorizer import JwtVerifier
from .one_time_schedules import OneTimeFirer, functions_by_arn
from .pollers import SqsPoller
from .resources import create_resources
from .resources.s3 import allow_local_web_origins, local_web_origins
from .routing import compile_routes
from .runtime import Runtime, Worker, function_environment
from .schedules import Scheduler
from .seed import DEMO_SMS_NUMBER, DEMO_WHATSAPP_NUMBER, SeedError, seed, teach_fake_openai, vonage_account
from .stack_file import STACK_FILE, banner, describe, read_json, write_stack_file
from .state import MotoServer, Snapshots
from .streams import StreamPoller, dynamodb_sources
from .template import Template
from .webapp import WebApp, web_config, web_dist
from .websocket_api import WebSocketApi
from .websocket_events import websocket_apis

log = logging.getLogger("local")

VONAGE_KEYS = ("application_id", "private_key_pem", "api_key", "api_secret", "signature_secret", "port")


@dataclass
class Options:
    template: Path
    state_dir: Path
    host: str = "127.0.0.1"
    port: int = 3000
    aws_endpoint_url: str | None = None
    region: str = "eu-west-3"
    stack_name: str = "inbox-local"
    parameters: dict[str, str] = field(default_factory=dict)
    seed: bool = True


def api_base_path(routes: list[Route]) -> str:
    """The literal path prefix every route shares (`/inbox` here): where the API lives."""
    paths = [[s for s in r.path.strip("/").split("/")] for r in routes if r.path != "$default"]
    prefix: list[str] = []
    for segments in zip(*paths, strict=False) if paths else []:
        if len(set(segments)) != 1 or segments[0].startswith("{"):
            break
        prefix.append(segments[0])
    return "/" + "/".join(prefix) if prefix else ""


def _use_layers(layer_dirs: list[Path]) -> None:
    """Let this process import the project's layer code (the seed's signer, the migrations)."""
    for directory in layer_dirs:
        if str(directory) not in sys.path:
            sys.path.append(str(directory))


def _import_sign(layer_dirs: list[Path]) -> Callable[..., str] | None:
    """The project's own webhook signer, so the seed signs exactly like the verifier expects."""
    _use_layers(layer_dirs)
    try:
        from inbox.domain.signatures import sign
    except ImportError:
        log.exception("cannot import inbox.domain.signatures")
        return None
    return sign


def _migrate(aws: Aws, template: Template, layer_dirs: list[Path]) -> None:
    """The data migrations a deploy applies (scripts/migrate.py): the snapshot may hold items that
    an earlier version of the code stored."""
    _use_layers(layer_dirs)
    from inbox.adapters.dynamodb.migrations import Migrations

    for name in template.of_type("AWS::DynamoDB::Table"):
        for migration, changed in Migrations(aws.client("dynamodb"), template.physical[name].ref).run_pending().items():
            log.info("data migration %s: %d items changed", migration, changed)


class LocalStack:
    def __init__(self, options: Options):
        self.options = options
        self.moto: MotoServer | None = None
        self.snapshots: Snapshots | None = None
        self.api: HttpApi | None = None
        self.gateway: Gateway | None = None
        self.runtime: Runtime | None = None
        self.pollers: list[SqsPoller | StreamPoller] = []
        self.websocket: WebSocketApi | None = None  # the WebSocket API of live updates
        self.scheduler: Scheduler | None = None
        self.one_time: OneTimeFirer | None = None  # schedules the functions create through the Scheduler API
        self.vonage: Any = None  # the loopback fake of Vonage: SMS and WhatsApp in and out
        self.openai: Any = None  # the loopback fake of OpenAI: the demo's AI filter
        self.shop: Any = None  # the demo's shop: the order lookup the demo tenant's AI calls
        self.info: dict[str, Any] = {}

    @property
    def stack_file(self) -> Path:
        return self.options.state_dir / STACK_FILE

    # ------------------------------------------------------------------ start
    def start(self) -> dict[str, Any]:
        options = self.options
        options.state_dir.mkdir(parents=True, exist_ok=True)
        previous = read_json(self.stack_file)
        configure_credentials(options.region, keep_user_credentials=bool(options.aws_endpoint_url))
        endpoint_url = options.aws_endpoint_url or self._start_moto(previous.get("aws_endpoint_url"))
        aws = Aws(endpoint_url, options.region)
        # Before the template: the fake's URL is the deployment's Vonage host (a parameter).
        vonage_keys = vonage_account({"vonage": dict(previous.get("vonage") or {})})
        self.vonage = self._start_vonage(vonage_keys)
        template = Template.load(
            options.template,
            region=options.region,
            stack_name=options.stack_name,
            parameters=options.parameters,
            local_defaults=self.local_parameters(),
        )
        # Bound first: the HttpApi's ApiEndpoint attribute is this gateway's URL.
        self.api = HttpApi(
            [],
            self._invoke,
            JwtVerifier(endpoint_url),
            web_dir=web_dist(template.root),
            account_id=template.account_id,
        )
        self.gateway = Gateway(self.api, host=options.host, port=options.port)
        self.websocket = self._bind_websocket(template, previous.get("websocket_url"))
        create_resources(template, aws, api_endpoint=self.gateway.url, websocket_endpoint=self.websocket.endpoint)
        allow_local_web_origins(template, aws, local_web_origins(self.gateway.url))  # uploads by presigned POST
        specs = self._start_functions(template, endpoint_url)
        _migrate(aws, template, sorted({d for s in specs for d in s.layer_dirs}))
        routes = http_routes(template)
        self.api.routes = compile_routes(routes)
        self.gateway.start()
        self.websocket.start()
        self._start_event_sources(template, aws)
        if self.snapshots is not None:
            self.snapshots.start()

        api_url = self.gateway.url + api_base_path(routes)
        pool_id, client_id = self._user_pool(template, routes)
        self.info = describe(
            template,
            endpoint_url=endpoint_url,
            api_url=api_url,
            web_url=self.gateway.url + "/",
            websocket_url=self.websocket.stage_url,
            pool_id=pool_id,
            client_id=client_id,
            previous=previous,
        )
        self.api.site = WebApp(web_dist(template.root), web_config(self.info)).respond
        self.info["seed"]["vonage"] = self.info["seed"].get("vonage", {}) | {
            k: v for k, v in vonage_keys.items() if k in VONAGE_KEYS
        }
        self.vonage.auto_status_url = f"{api_url}/webhooks/status"
        self.openai = self._start_openai()
        layers = sorted({d for s in specs for d in s.layer_dirs})
        self.shop = self._start_shop(layers)
        if options.seed and pool_id and client_id:
            self._seed(aws, pool_id, client_id, api_url, layers)
        write_stack_file(self.stack_file, self.info, self.vonage.base_url if self.vonage is not None else None)
        if self.snapshots is not None:
            self.snapshots.save()  # the seed is worth keeping even if the stack is killed right away
        return self.info

    def _start_functions(self, template: Template, endpoint_url: str) -> list[FunctionSpec]:
        specs = function_specs(template)
        region = self.options.region
        self.runtime = Runtime(
            {
                spec.logical_id: Worker(
                    spec, function_environment(spec, endpoint_url=endpoint_url, region=region), template.root
                )
                for spec in specs
            }
        )
        self.runtime.start()
        return specs

    def _start_event_sources(self, template: Template, aws: Aws) -> None:
        wait = 1 if self.moto else 5  # short long-polls keep snapshots and Ctrl-C prompt
        self.pollers = [SqsPoller(s, aws, self._invoke, wait_seconds=wait) for s in sqs_sources(template)]
        self.pollers += [StreamPoller(s, aws, self._invoke) for s in dynamodb_sources(template)]
        for poller in self.pollers:
            poller.start()
        self.scheduler = Scheduler(
            schedule_sources(template), self._invoke, region=template.region, account_id=template.account_id
        )
        self.scheduler.start()
        self.one_time = OneTimeFirer(aws.client("scheduler"), functions_by_arn(template), self._invoke)
        self.one_time.start()

    def _seed(self, aws: Aws, pool_id: str, client_id: str, api_url: str, layers: list[Path]) -> None:
        if self.info["seed"].get("folders"):  # a restart: the fake model learns the folders again
            teach_fake_openai(self.openai, self.info["seed"]["folders"])
        try:
            seed(
                aws,
                self.info["seed"],
                pool_id=pool_id,
                client_id=client_id,
                api_url=api_url,
                sign=_import_sign(layers),
                vonage=self.vonage,
                openai=self.openai,
                shop=self.shop,
            )
        except (SeedError, ClientError, BotoCoreError, OSError, ValueError) as error:
            log.error("the demo data could not be created (retried on the next start): %s", error)

    def _bind_websocket(self, template: Template, previous_url: str | None) -> WebSocketApi:
        """The WebSocket API's server, on last time's port (stack.json stays valid), else the HTTP port + 1."""
        apis = websocket_apis(template)
        preferred = urlsplit(previous_url).port if previous_url else self.options.port + 1
        for port in (preferred, 0):
            try:
                return WebSocketApi(apis[0] if apis else None, self._invoke, host=self.options.host, port=port or 0)
            except OSError:
                continue
        raise RuntimeError("the WebSocket API could not start")

    def _start_openai(self) -> Any:
        """The fake OpenAI, with the demo's key, on last time's port when it is free."""
        from .openai import FakeOpenAI

        account = self.info["seed"].setdefault("openai", {})
        account.setdefault("api_key", "sk-demo-" + secrets.token_hex(16))
        for port in (account.get("port", 0), 0):
            try:
                fake = FakeOpenAI(api_key=account["api_key"], port=port)
            except OSError:
                continue
            account["port"] = fake.port
            return fake
        raise RuntimeError("the fake OpenAI could not start")

    def _start_shop(self, layer_dirs: list[Path]) -> Any:
        """The demo's shop, on last time's port when it is free (the demo's lookup names its URL), with
        the secret the inbox gave that lookup (none before the seed has created it)."""
        _use_layers(layer_dirs)  # the shop checks signatures with the project's own code
        from .shop import DemoShop

        account = self.info["seed"].setdefault("shop", {})
        for port in (account.get("port", 0), 0):
            try:
                shop = DemoShop(secret=account.get("secret"), port=port)
            except OSError:
                continue
            account["port"] = shop.port
            return shop
        raise RuntimeError("the demo shop could not start")

    def local_parameters(self) -> dict[str, str]:
        """The template parameters this stack sets itself (a `--parameter` wins): tenants' hosts may be
        on loopback, where the test servers and fakes listen, and Vonage is the fake."""
        parameters = {"OutboundAllowLoopback": "true"}
        if self.vonage is not None:
            parameters["VonageApiBaseUrl"] = self.vonage.base_url
        return parameters

    def _start_vonage(self, account: dict[str, Any]) -> Any:
        """The fake Vonage with the demo account's keys, on last time's port when it is free; it posts
        delivery statuses of what the inbox sends back to the stack's status webhook (set once the
        gateway's URL is known)."""
        from .vonage import FakeVonage
        from .vonage_templates import DEMO_TEMPLATES, DEMO_WABA_ID

        for port in (account.get("port", 0), 0):
            try:
                fake = FakeVonage(
                    application_id=account["application_id"],
                    private_key_pem=account["private_key_pem"],
                    api_key=account["api_key"],
                    api_secret=account["api_secret"],
                    signature_secret=account["signature_secret"],
                    port=port,
                    numbers=[DEMO_SMS_NUMBER, DEMO_WHATSAPP_NUMBER],
                    fetch_media=True,  # a reply's file is fetched from the local S3 as Vonage would
                    waba_id=DEMO_WABA_ID,  # its WhatsApp templates, listed and checked (issue 16)
                    templates=DEMO_TEMPLATES,
                )
            except OSError:
                continue
            account["port"] = urlsplit(fake.base_url).port
            return fake
        raise RuntimeError("the fake Vonage could not start")

    def _start_moto(self, previous_url: str | None) -> str:
        # The same port as last time keeps stack.json (and the user's shell variables) valid.
        preferred = urlsplit(previous_url).port if previous_url else None
        for port in ([preferred] if preferred else []) + [0]:
            server = MotoServer(port=port)
            if self.snapshots is None:
                self.snapshots = Snapshots(self.options.state_dir, server)
                if self.snapshots.restore():
                    log.info("restored the AWS state from %s", self.snapshots.path)
            self.snapshots.server = server
            try:
                server.start()
            except OSError:
                log.warning("port %s is taken; moto starts on another one", port)
                continue
            self.moto = server
            return server.url
        raise RuntimeError("moto could not start")

    def _invoke(self, logical_id: str, event: dict[str, Any]) -> Any:
        assert self.runtime is not None
        return self.runtime.invoke(logical_id, event)

    @staticmethod
    def _user_pool(template: Template, routes: list[Route]) -> tuple[str | None, str | None]:
        """The pool and app client the API's JWT authorizer trusts (the ones users sign in to)."""
        for route in routes:
            if isinstance(route.authorizer, JwtAuthorizer) and route.authorizer.audience:
                pool_id = route.authorizer.issuer.rstrip("/").rsplit("/", 1)[-1]
                return pool_id, route.authorizer.audience[0]
        pools = template.of_type("AWS::Cognito::UserPool")
        clients = template.of_type("AWS::Cognito::UserPoolClient")
        if pools and clients:
            return template.physical[pools[0]].ref, template.physical[clients[0]].ref
        return None, None

    def banner(self) -> str:
        return banner(
            self.stack_file,
            web_built=(web_dist(self.options.template.parent) / "index.html").is_file(),
            vonage_url=self.vonage.base_url if self.vonage is not None else None,
            openai_url=self.openai.base_url if self.openai is not None else None,
            state_dir=self.options.state_dir if self.moto is not None else None,
            shop_url=self.shop.url if self.shop is not None else None,
        )

    # ------------------------------------------------------------------ stop
    def stop(self) -> None:
        """Stop accepting work, let in-flight work finish, save the AWS state, stop moto."""
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.one_time is not None:
            self.one_time.stop()
        threads = [threading.Thread(target=p.stop) for p in self.pollers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self.gateway is not None:
            self.gateway.stop()
        if self.websocket is not None:
            self.websocket.stop()
        if self.vonage is not None:
            self.vonage.close()
        if self.openai is not None:
            self.openai.close()
        if self.shop is not None:
            self.shop.close()
        if self.runtime is not None:
            self.runtime.stop()
        if self.snapshots is not None and self.moto is not None:
            try:
                self.snapshots.stop()
            except Exception:
                log.exception("the final save of the AWS state failed")
        if self.moto is not None:
            self.moto.stop()
