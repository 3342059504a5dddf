"""SnapStart (issue 15, item 2): the template's SnapStart functions, and what their restore hooks do
under the local runtime (local/runtime.py), the code path the local stack runs them on.

On Lambda one snapshot, taken after init and the before-snapshot hooks, starts every cold instance.
Two restores of one snapshot are played here by forking a process that imported a function and ran
its before-snapshot hooks: each child runs the after-restore hooks, as a resumed instance does."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from helpers.events import REPO
from local.function_specs import FunctionSpec, function_specs
from local.runtime import Runtime, Worker, function_environment
from local.template import Physical, Template

SNAPSTART_FUNCTIONS = {"ApiFunction", "WebhookSmsFunction", "WebhookWhatsappFunction"}


class _AnyAttribute(dict):
    """A created resource's GetAtts, whatever is asked: this test never calls AWS with them."""

    def __init__(self, logical_id: str):
        super().__init__()
        self.logical_id = logical_id

    def __missing__(self, attribute: str) -> str:
        return f"arn:aws:local:eu-west-3:123456789012:{self.logical_id}/{attribute}"


def _specs() -> dict[str, FunctionSpec]:
    template = Template.load(REPO / "template.yaml", stack_name="inbox-local")
    for logical_id in template.resources:
        template.physical[logical_id] = Physical(f"inbox-local-{logical_id}", _AnyAttribute(logical_id))
    return {spec.logical_id: spec for spec in function_specs(template)}


SPECS = _specs()


# ---------------------------------------------------------------------- the template
def test_snapstart_is_on_for_the_functions_people_and_vonage_wait_on_through_an_alias(template):
    resources = template["Resources"]
    on = {k for k, v in resources.items() if (v.get("Properties") or {}).get("SnapStart")}
    assert on == SNAPSTART_FUNCTIONS
    for name in on:
        props = resources[name]["Properties"]
        assert props["SnapStart"] == {"ApplyOn": "PublishedVersions"}, name
        # SnapStart applies to published versions only: the HTTP API must invoke an alias of one.
        assert props.get("AutoPublishAlias"), name
        # What SnapStart refuses: more than 512 MB of /tmp, EFS, provisioned concurrency.
        assert int((props.get("EphemeralStorage") or {}).get("Size", 512)) <= 512, name
        assert "FileSystemConfigs" not in props, name
        assert "ProvisionedConcurrencyConfig" not in props, name
        assert all(e["Type"] == "HttpApi" for e in props["Events"].values()), name


# SAM's own translator (in the tools environment, as `sam validate` and `sam build` in test_template.py):
# the logical ids of the functions' AWS::Lambda::Version for a given layer ContentUri.
TRANSLATE = r"""
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:  # nothing here names a managed policy by name: no IAM call
    def load(self):
        return {}


template_path, layer_uri = sys.argv[1:]
template = yaml_parse(open(template_path).read())
for name, resource in template["Resources"].items():
    properties = resource.get("Properties") or {}
    if resource["Type"] == "AWS::Serverless::Function":
        properties["CodeUri"] = f"s3://bucket/{name}.zip"  # what `sam package` writes: the same for both layers
    elif resource["Type"] == "AWS::Serverless::LayerVersion":
        properties["ContentUri"] = layer_uri
resources = transform(template, {}, NoManagedPolicies())["Resources"]
versions = {}
for logical_id, resource in resources.items():
    if resource["Type"] == "AWS::Lambda::Version":
        versions[resource["Properties"]["FunctionName"]["Ref"]] = logical_id
print(json.dumps(versions))
"""


def _function_versions(layer_uri: str) -> dict[str, str]:
    tools_python = REPO / ".venv-tools" / "bin" / "python"
    assert tools_python.exists(), "the tools environment is missing: run `make tools`"
    result = subprocess.run(
        [str(tools_python), "-c", TRANSLATE, str(REPO / "template.yaml"), layer_uri],
        capture_output=True,
        text=True,
        timeout=120,
        env={"AWS_DEFAULT_REGION": "eu-west-3", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_deploy_that_changes_only_the_layer_publishes_a_new_version_of_each_snapstart_function():
    # All the code is in CommonLayer: if the functions' versions ignored it, a layer-only deploy would
    # publish nothing and the `live` alias (the HTTP API's target) would keep running the old code.
    before = _function_versions("s3://bucket/layer-1.zip")
    after = _function_versions("s3://bucket/layer-2.zip")
    assert set(before) == set(after) == SNAPSTART_FUNCTIONS
    for name in SNAPSTART_FUNCTIONS:
        assert before[name] != after[name], name


def test_the_local_runtime_reads_which_functions_use_snapstart():
    assert {name for name, spec in SPECS.items() if spec.snap_start} == SNAPSTART_FUNCTIONS
    env = function_environment(SPECS["ApiFunction"], endpoint_url="http://127.0.0.1:9", region="eu-west-3")
    assert env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "snap-start"
    other = function_environment(SPECS["ClassifyFunction"], endpoint_url="http://127.0.0.1:9", region="eu-west-3")
    assert other["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"


# ---------------------------------------------------------------------- the real functions, restored twice
PROBE = r"""
import json, os, random, socket, sys

config = json.loads(sys.stdin.read())
os.environ.clear()
os.environ.update(config["environment"])
sys.path[:] = config["paths"] + [p for p in sys.path if p and p not in config["paths"]]

import botocore.client
from moto import mock_aws

calls, connections = [], []
make_api_call = botocore.client.BaseClient._make_api_call
def counted_call(self, operation, params):
    calls.append(f"{self.meta.service_model.service_name}.{operation}")
    return make_api_call(self, operation, params)
botocore.client.BaseClient._make_api_call = counted_call
connect = socket.socket.connect
def counted_connect(self, address):
    connections.append(repr(address))
    return connect(self, address)
socket.socket.connect = counted_connect

def restored(run_hooks):
    # One instance resumed from the snapshot: the after-restore hooks, then what a request would use.
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        # A fork reseeds random in the child (os.register_at_fork); a restored snapshot does not:
        # its memory is the snapshot's, random's state included.
        random.setstate(snapshot_random_state)
        if run_hooks:
            restore_snapshot()
        import boto3
        from inbox import wiring
        client = wiring.client("dynamodb")
        report = {
            "random": [random.random() for _ in range(4)],
            "same_client": client is early_client,
            "same_pool": client._endpoint.http_session is early_client._endpoint.http_session,
            "same_session": boto3.DEFAULT_SESSION is early_session,
            "models_kept": client.meta.service_model.service_name == "dynamodb",
        }
        os.write(write, json.dumps(report).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as stream:
        report = json.loads(stream.read())
    os.waitpid(pid, 0)
    return report

with mock_aws():
    from local.runtime import _load_handler, restore_snapshot, snapshot_hooks, take_snapshot
    _load_handler(config)
    at_import = {"calls": list(calls), "connections": list(connections)}
    registry = snapshot_hooks()
    hooks = {
        "registry": getattr(registry, "__name__", type(registry).__name__),
        "before": [f"{f.__module__}.{f.__qualname__}" for f, _, _ in registry.get_before_snapshot()],
        "after": [f"{f.__module__}.{f.__qualname__}" for f, _, _ in registry.get_after_restore()],
    }
    take_snapshot()
    snapshot_random_state = random.getstate()
    # Every client alive now would be in the snapshot, wherever it is held (wiring.reset() replaces
    # only wiring's): a router or service that kept one at import would share it across restores.
    import gc
    live_clients = sum(isinstance(o, botocore.client.BaseClient) for o in gc.get_objects())
    at_snapshot = {"calls": list(calls), "connections": list(connections), "live_clients": live_clients}
    # What a careless init could leave in the snapshot: a client, its pool, its session.
    import boto3
    from inbox import wiring
    early_client = wiring.client("dynamodb")
    early_session = boto3.DEFAULT_SESSION
    restores = [restored(True), restored(True)]
    unhooked = [restored(False), restored(False)]
print(json.dumps({"at_import": at_import, "at_snapshot": at_snapshot, "hooks": hooks,
                  "restores": restores, "unhooked": unhooked}))
"""


def _probe(spec: FunctionSpec) -> dict[str, Any]:
    """Import the function as its local instance does, snapshot it, restore it twice (forked)."""
    environment = function_environment(spec, endpoint_url="http://127.0.0.1:9", region="eu-west-3")
    worker = Worker(spec, environment, REPO)
    config = {"handler": spec.handler, "paths": worker._paths, "environment": environment}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], input=json.dumps(config), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("logical_id", sorted(SNAPSTART_FUNCTIONS))
def test_a_snapstart_function_carries_no_client_connection_or_random_state_across_a_restore(logical_id):
    report = _probe(SPECS[logical_id])

    # Nothing secret or unique is fetched before the snapshot: no AWS call (KMS, Secrets Manager,
    # SSM or any other), no connection, neither at import nor in the before-snapshot hooks.
    assert report["at_import"] == {"calls": [], "connections": []}
    assert report["at_snapshot"] == {"calls": [], "connections": [], "live_clients": 0}

    # The hooks are registered where Lambda's runtime reads them.
    assert report["hooks"]["registry"] == "snapshot_restore_py"
    assert "inbox.snapstart.before_snapshot" in report["hooks"]["before"]
    assert "inbox.snapstart.after_restore" in report["hooks"]["after"]

    first, second = report["restores"]
    for restored in (first, second):
        # A client made before the snapshot is not the one used after a restore, nor its connection
        # pool, nor the session holding the credentials resolved then.
        assert not restored["same_client"]
        assert not restored["same_pool"]
        assert not restored["same_session"]
        assert restored["models_kept"]
    # Two instances resumed from one snapshot draw different numbers...
    assert first["random"] != second["random"]
    # ...which they would not without the hooks: the probe itself shows what a restore would share.
    unhooked_first, unhooked_second = report["unhooked"]
    assert unhooked_first["random"] == unhooked_second["random"]
    assert unhooked_first["same_client"]
    assert unhooked_first["same_session"]


# ---------------------------------------------------------------------- the local runtime runs the hooks
HANDLER = """
import os, random

from inbox import snapstart, wiring

snapstart.register_hooks()
EARLY_CLIENT = wiring.client("sqs")  # made at init: must not serve requests after a restore
STATE_AT_INIT = random.getstate()


def handler(event, context):
    return {
        "client_replaced": wiring.client("sqs") is not EARLY_CLIENT,
        "reseeded": random.getstate() != STATE_AT_INIT,
        "initialization_type": os.environ["AWS_LAMBDA_INITIALIZATION_TYPE"],
    }
"""


@pytest.fixture
def restoring_function(tmp_path) -> Any:
    code = tmp_path / "fn"
    code.mkdir()
    (code / "app.py").write_text(textwrap.dedent(HANDLER))

    def spec(snap_start: bool) -> FunctionSpec:
        return FunctionSpec(
            logical_id="Restored",
            name="restored",
            arn="arn:aws:lambda:eu-west-3:123456789012:function:restored",
            code_dir=code,
            handler="app.handler",
            timeout=30,
            memory=128,
            layer_dirs=[REPO / "layers" / "common"],
            environment={**SPECS["WebhookSmsFunction"].environment},
            snap_start=snap_start,
        )

    return spec


def _two_instances(spec: FunctionSpec, project_root: Path) -> list[dict[str, Any]]:
    """The pool's first instance and another (what the pool starts for a burst), each a cold start."""
    environment = function_environment(spec, endpoint_url="http://127.0.0.1:9", region="eu-west-3")
    first = Worker(spec, environment, project_root)
    runtime = Runtime({spec.logical_id: first}, max_instances=2)
    another = first.another()
    runtime.start()
    try:
        return [runtime.invoke(spec.logical_id, {}), another.invoke({})]
    finally:
        another.stop()
        runtime.stop()


def test_the_local_runtime_restores_each_instance_of_a_snapstart_function_before_its_first_invocation(
    restoring_function, tmp_path
):
    for result in _two_instances(restoring_function(True), tmp_path):
        assert result == {"client_replaced": True, "reseeded": True, "initialization_type": "snap-start"}


def test_a_function_without_snapstart_keeps_what_its_init_made(restoring_function, tmp_path):
    for result in _two_instances(restoring_function(False), tmp_path):
        assert result == {"client_replaced": False, "reseeded": False, "initialization_type": "on-demand"}


FALLBACK = r"""
import sys
sys.modules["snapshot_restore_py"] = None  # outside Lambda, without the dev requirements
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from inbox import snapstart
from local.runtime import restore_snapshot, snapshot_hooks, take_snapshot
snapstart.register_hooks()
snapstart.register_hooks("inbox.services.conversations")  # once, however many handlers call it
assert snapshot_hooks() is snapstart.fallback_hooks
assert [f.__name__ for f, _, _ in snapstart.fallback_hooks.get_after_restore()] == ["after_restore"]
assert "inbox.services.conversations" not in sys.modules
take_snapshot()  # imports what a function's first requests would, before the snapshot
assert "inbox.services.conversations" in sys.modules
restore_snapshot()
print("ok")
"""


def test_without_snapshot_restore_py_the_hooks_wait_in_a_stand_in_registry_and_warm_what_they_are_given():
    layer = str(REPO / "layers" / "common")
    result = subprocess.run(
        [sys.executable, "-c", FALLBACK, layer, str(REPO)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
