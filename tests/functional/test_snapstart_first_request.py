"""SnapStart (issue 15 review, SnapStart): a Vonage webhook's first request after a restore imports
nothing of ours or cryptography's that the snapshot could have held. Vonage waits on that request;
what its before-snapshot hooks import (inbox.snapstart.VONAGE_WEBHOOK_MODULES) costs nothing per
restore, what the request imports is paid after every one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from test_snapstart import SPECS

from helpers.events import REPO
from local.function_specs import FunctionSpec
from local.runtime import Worker, function_environment

SNAPSHOT_MODULES = r"""
import json, os, sys

config = json.loads(sys.stdin.read())
os.environ.clear()
os.environ.update(config["environment"])
sys.path[:] = config["paths"] + [p for p in sys.path if p and p not in config["paths"]]
from local.runtime import _load_handler, take_snapshot

_load_handler(config)
take_snapshot()
print(json.dumps(sorted(sys.modules)))
"""


def _ours(module_name: str) -> bool:
    return module_name.split(".")[0] in ("inbox", "cryptography")


def _modules_in_the_snapshot(spec: FunctionSpec) -> set[str]:
    """What a fresh instance of the function has imported once its before-snapshot hooks ran."""
    environment = function_environment(spec, endpoint_url="http://127.0.0.1:9", region="eu-west-3")
    worker = Worker(spec, environment, REPO)
    config = {"handler": spec.handler, "paths": worker._paths, "environment": environment}
    result = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_MODULES], input=json.dumps(config), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


class _ImportsUnderMoto:
    """Notes the modules imported while moto runs: the fake AWS's (its KMS loads cryptography's OpenSSL
    backend and asymmetric keys to decrypt), not the function's, which Lambda's KMS spares it."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        frame = sys._getframe(1)
        while frame is not None:
            if f"{os.sep}moto{os.sep}" in frame.f_code.co_filename:
                self.names.add(name)
                break
            frame = frame.f_back
        return None  # only watching: the next finder loads it


def _imported_by(request: Any, snapshot: set[str]) -> set[str]:
    """Our and cryptography's modules `request()` imports in a process holding only the snapshot's: the
    others (imported here by the test's setup) are hidden from it, then put back. Extension modules stay
    (they cannot be loaded twice); none of ours is one."""
    hidden = {
        name: module
        for name, module in sys.modules.items()
        if _ours(name) and name not in snapshot and str(getattr(module, "__file__", "")).endswith(".py")
    }
    unbound = []  # `from package import module` finds a submodule on its package: unbind it too
    for name, module in hidden.items():
        package, _, attribute = name.rpartition(".")
        if getattr(sys.modules.get(package), attribute, None) is module:
            unbound.append((sys.modules[package], attribute, module))
    for name in hidden:
        del sys.modules[name]
    for package, attribute, _ in unbound:
        delattr(package, attribute)
    before = set(sys.modules)
    faked = _ImportsUnderMoto()
    sys.meta_path.insert(0, faked)
    try:
        request()
        return {name for name in sys.modules if _ours(name) and name not in before | snapshot} - faked.names
    finally:
        sys.meta_path.remove(faked)
        sys.modules.update(hidden)  # the originals again, over the request's copies
        for package, attribute, module in unbound:
            setattr(package, attribute, module)
        from inbox import wiring

        wiring.reset()  # nothing built from the request's copies of the modules outlives it


def test_an_sms_webhooks_first_request_after_a_restore_imports_nothing_the_snapshot_could_hold(
    api, fake, vonage_integration
):
    from helpers.vonage import invoke, sms, sms_event
    from inbox import wiring

    snapshot = _modules_in_the_snapshot(SPECS["WebhookSmsFunction"])
    wiring.reset()  # as after a restore: the services the API built for the setup are gone

    def request() -> None:
        status, answer = invoke("sms", sms_event("sms_form", sms(fake, "Bonjour")))
        assert status == 200, answer

    assert sorted(_imported_by(request, snapshot)) == []


def test_a_whatsapp_webhooks_first_request_after_a_restore_imports_nothing_the_snapshot_could_hold(
    api, fake, vonage_integration
):
    from helpers.events import load_event
    from helpers.vonage import invoke, messages_event
    from inbox import wiring

    snapshot = _modules_in_the_snapshot(SPECS["WebhookWhatsappFunction"])
    wiring.reset()
    payload = json.loads(load_event("webhook_whatsapp/whatsapp_text.json")["body"])

    def request() -> None:
        status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))
        assert status == 200, answer

    assert sorted(_imported_by(request, snapshot)) == []
