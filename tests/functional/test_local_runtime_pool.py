"""The local runtime's warm instances (local/pool.py through local/runtime.py): real spawned processes
running a small handler that holds each invocation until the test lets it go."""

from __future__ import annotations

import textwrap
import threading
import time
from pathlib import Path

import pytest

from local.function_specs import FunctionSpec
from local.runtime import FunctionError, Runtime, RuntimeFailureError, Worker, function_environment

HANDLER = """
import os, pathlib, time

GATE = pathlib.Path(os.environ["GATE_DIR"])

def handler(event, context):
    if event.get("crash"):
        os._exit(3)
    if event.get("fail"):
        raise ValueError("as asked")
    if event.get("hold"):
        (GATE / f"arrived-{context.aws_request_id}").touch()
        deadline = time.time() + 30
        while not (GATE / "release").exists() and time.time() < deadline:
            time.sleep(0.01)
    return {"pid": os.getpid(), "stream": os.environ["AWS_LAMBDA_LOG_STREAM_NAME"], "region": os.environ["AWS_REGION"]}
"""


@pytest.fixture
def gate(tmp_path) -> Path:
    directory = tmp_path / "gate"
    directory.mkdir()
    return directory


@pytest.fixture
def runtime(tmp_path, gate):
    code = tmp_path / "fn"
    code.mkdir()
    (code / "app.py").write_text(textwrap.dedent(HANDLER))
    spec = FunctionSpec(
        logical_id="Held",
        name="held",
        arn="arn:aws:lambda:eu-west-3:123456789012:function:held",
        code_dir=code,
        handler="app.handler",
        timeout=30,
        memory=128,
        layer_dirs=[],
        environment={"GATE_DIR": str(gate)},
    )
    environment = function_environment(spec, endpoint_url="http://127.0.0.1:9", region="eu-west-3")
    runtime = Runtime({"Held": Worker(spec, environment, tmp_path)}, max_instances=3)
    runtime.start()
    yield runtime
    runtime.stop()


def wait_until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def invoke_in_threads(runtime: Runtime, events: list[dict]) -> tuple[list[threading.Thread], list]:
    results: list = []

    def call(event):
        try:
            results.append(runtime.invoke("Held", event))
        except Exception as error:  # reported by the assertions on `results`
            results.append(error)

    threads = [threading.Thread(target=call, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    return threads, results


def test_an_idle_instance_is_reused(runtime):
    first = runtime.invoke("Held", {})
    second = runtime.invoke("Held", {})
    assert first["pid"] == second["pid"]
    assert runtime.pools["Held"].size == 1


def test_concurrent_invocations_run_at_once_up_to_the_limit(runtime, gate):
    threads, results = invoke_in_threads(runtime, [{"hold": True}] * 6)
    # Three are inside the handler together (none returns before the release): they run concurrently.
    wait_until(lambda: len(list(gate.glob("arrived-*"))) == 3, "three invocations in the handler at once")
    assert results == []
    (gate / "release").touch()
    for thread in threads:
        thread.join(60)
    assert len(results) == 6
    assert all(isinstance(r, dict) for r in results), results
    # The bound: six invocations, three processes, each with the function's environment and its own log stream.
    assert len({r["pid"] for r in results}) == 3
    assert len({r["stream"] for r in results}) == 3
    assert {r["region"] for r in results} == {"eu-west-3"}
    assert runtime.pools["Held"].size == 3


def test_a_crashed_instance_is_replaced(runtime):
    before = runtime.invoke("Held", {})["pid"]
    with pytest.raises(RuntimeFailureError, match="exit status 3"):
        runtime.invoke("Held", {"crash": True})
    after = runtime.invoke("Held", {})["pid"]
    assert after != before
    assert runtime.pools["Held"].size == 1


def test_a_handler_error_keeps_the_instance_warm(runtime):
    before = runtime.invoke("Held", {})["pid"]
    with pytest.raises(FunctionError, match="as asked"):
        runtime.invoke("Held", {"fail": True})
    assert runtime.invoke("Held", {})["pid"] == before
