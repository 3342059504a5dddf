"""Lambda SnapStart (issue 15, item 2): what must not cross a snapshot.

A SnapStart function is initialised once, when a version is published: Lambda imports the handler,
runs the before-snapshot hooks and snapshots memory and /tmp. Every cold instance then resumes from
that one snapshot and runs the after-restore hooks before its first request. Whatever init left in
memory is therefore shared by every instance and is as old as the version:

- boto3 clients, their connection pools and the credentials a session resolved: dropped after a
  restore (`wiring.reset()`, a new default session). The service models botocore parsed are kept:
  loading them before the snapshot spares each restore about 100 ms (they hold no connection and no
  secret);
- `random`'s state: reseeded from os.urandom after a restore (uuid4, `secrets` and our ids read
  os.urandom on each call, so they are never shared);
- nothing unique or secret is made at import: no id, no KMS, Secrets Manager or SSM call, no
  connection (tests/functional/test_snapstart.py counts them during import and the hook: none).

`snapshot_restore_py` is part of Lambda's Python managed runtimes, so the layer does not ship it;
requirements-dev.txt installs it for the local stack, which runs the hooks as Lambda does
(local/runtime.py). Without it the hooks are kept in `fallback_hooks`, which nothing runs.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from typing import Any

# The clients the webhooks' and the API's first requests use (the table, the raw payloads, the
# queues, the envelope key): their models are parsed before the snapshot.
WARM_SERVICES = ("dynamodb", "s3", "sqs", "kms")
# Lazily imported elsewhere (helper modules keep imports light for the functions without SnapStart);
# imported before the snapshot here, their cost is paid once per version, not per cold start.
WARM_MODULES = ("boto3", "inbox.wiring")
# What the Vonage webhooks' first request imports (tests/functional/test_snapstart.py runs one and
# lists them): the cipher opening the signature secret (cryptography, deferred for the workers), the
# blob disposal wiring.vonage_webhooks() builds, and what ingesting builds (assignment notifications,
# business hours).
VONAGE_WEBHOOK_MODULES = (
    "cryptography.hazmat.primitives.ciphers.aead",
    "inbox.services.deletion",
    "inbox.services.notifications",
    "inbox.adapters.dynamodb.notifications",
    "inbox.services.business_hours",
)


class FallbackHooks:
    """The registry of snapshot_restore_py, for where that module is missing (outside Lambda)."""

    def __init__(self) -> None:
        self.before: list[tuple[Callable[..., Any], tuple, dict]] = []
        self.after: list[tuple[Callable[..., Any], tuple, dict]] = []

    def register_before_snapshot(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
        self.before.append((func, args, kwargs))
        return func

    def register_after_restore(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
        self.after.append((func, args, kwargs))
        return func

    def get_before_snapshot(self) -> list[tuple[Callable[..., Any], tuple, dict]]:
        return self.before

    def get_after_restore(self) -> list[tuple[Callable[..., Any], tuple, dict]]:
        return self.after


fallback_hooks = FallbackHooks()
try:
    import snapshot_restore_py as hooks  # provided by the Lambda runtime
except ImportError:  # outside Lambda without the dev requirements: nobody snapshots this process
    hooks = fallback_hooks  # type: ignore[assignment]

_registered = False
_warm_modules: list[str] = list(WARM_MODULES)
_models_loader: Any = None  # botocore's loader holding the parsed service models, kept across restores


def register_hooks(*warm_modules: str) -> None:
    """Register this module's hooks (once, whatever the number of calls): at import of a handler.
    `warm_modules`: what the function imports lazily on its first requests, imported before the
    snapshot instead of after each restore."""
    global _registered
    _warm_modules.extend(m for m in warm_modules if m not in _warm_modules)
    if _registered:
        return
    hooks.register_before_snapshot(before_snapshot)
    hooks.register_after_restore(after_restore)
    _registered = True


def before_snapshot() -> None:
    """Warm what is safe to share: modules, and botocore's parsed service models (no client, no call)."""
    global _models_loader
    import importlib

    for module in _warm_modules:
        importlib.import_module(module)
    import botocore.session

    loader = botocore.session.get_session().get_component("data_loader")
    for service in WARM_SERVICES:
        loader.load_service_model(service, "service-2")
        loader.load_service_model(service, "endpoint-rule-set-1")
    for data in ("sdk-default-configuration", "partitions", "_retry"):  # what every client reads too
        loader.load_data(data)
    _models_loader = loader


def after_restore() -> None:
    """Forget every client, connection and credential made before the snapshot, and reseed `random`."""
    random.seed()  # from os.urandom: two instances of one snapshot draw different numbers
    wiring = sys.modules.get("inbox.wiring")
    if wiring is not None:
        wiring.reset()  # every cached client, adapter and service (their pools, the openai and JWKS clients)
    boto3 = sys.modules.get("boto3")
    if boto3 is not None:
        boto3.DEFAULT_SESSION = _fresh_session(boto3)


def _fresh_session(boto3: Any) -> Any:
    """A new default session (credentials resolved again) sharing only the parsed service models."""
    if _models_loader is None:
        return None  # boto3 makes one on the next client
    import botocore.session

    session = botocore.session.get_session()
    session.register_component("data_loader", _models_loader)
    return boto3.Session(botocore_session=session)
