"""Each function runs in long-lived processes, each like one warm Lambda instance (up to a few per
function, see pool.py, so concurrent invocations run concurrently).

A process is spawned (not forked: a clean interpreter, as on Lambda) with the function's
environment from the template, `sys.path` = CodeUri, the layers' directories, the project root,
then the installed packages; it imports the handler once (the "init") and then serves invocations
one at a time over a pipe. Events and results cross the pipe as JSON, so a result Lambda could not
serialise fails here too. A handler exception is a function error (the process stays warm); a
crash, an init failure or a timeout kills the process, the caller gets `RuntimeFailureError`, and the
next invocation starts a fresh one (a cold start), as Lambda does.

A SnapStart function (`SnapStart: ApplyOn: PublishedVersions`) is initialised on Lambda once per
version and snapshotted; each cold instance resumes from that snapshot. Here each instance plays
both parts after its import: the before-snapshot hooks, then the after-restore hooks, registered
with `snapshot_restore_py` as on Lambda (inbox/snapstart.py), so what they do runs before the
first invocation as it would after a restore, and a hook that fails is an init failure.

This module is imported by every worker process: keep its imports light.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import uuid
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .pool import MAX_INSTANCES, InstancePool

if TYPE_CHECKING:
    from .function_specs import FunctionSpec

INIT_TIMEOUT = 60.0  # Lambda allows 10 s of init; a laptop importing boto3 cold deserves more
GRACE = 0.5


class InvocationError(Exception):
    """The invocation did not return a result."""


class FunctionError(InvocationError):
    """The handler raised: `payload` is Lambda's error object (errorMessage, errorType, stackTrace)."""

    def __init__(self, payload: dict[str, Any]):
        super().__init__(f"{payload.get('errorType')}: {payload.get('errorMessage')}")
        self.payload = payload


class RuntimeFailureError(InvocationError):
    """The function's process failed to start, crashed or timed out; it is restarted."""


def function_environment(
    spec: FunctionSpec, *, endpoint_url: str, region: str, base: dict[str, str] | None = None
) -> dict[str, str]:
    """What the function sees in os.environ: the template's variables plus what Lambda sets."""
    base = dict(os.environ if base is None else base)
    env = {k: v for k, v in base.items() if not k.startswith("AWS_")}  # never the user's AWS profile
    env.update(spec.environment)
    env.update(
        {
            "AWS_ENDPOINT_URL": endpoint_url,
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_ACCESS_KEY_ID": base.get("AWS_ACCESS_KEY_ID", "testing"),
            "AWS_SECRET_ACCESS_KEY": base.get("AWS_SECRET_ACCESS_KEY", "testing"),
            "AWS_LAMBDA_FUNCTION_NAME": spec.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{uuid.uuid4().hex}",
            "AWS_EXECUTION_ENV": f"AWS_Lambda_python{sys.version_info.major}.{sys.version_info.minor}",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start" if spec.snap_start else "on-demand",
            "AWS_SAM_LOCAL": "true",
            "_HANDLER": spec.handler,
            "LAMBDA_TASK_ROOT": str(spec.code_dir),
            "POWERTOOLS_TRACE_DISABLED": "true",
            "TZ": "UTC",
        }
    )
    if base.get("AWS_SESSION_TOKEN"):
        env["AWS_SESSION_TOKEN"] = base["AWS_SESSION_TOKEN"]
    return env


class Worker:
    """The parent's handle on one function process (one instance); `invoke` is thread-safe and serialised."""

    def __init__(self, spec: FunctionSpec, environment: dict[str, str], project_root: Path):
        self.spec = spec
        self.environment = environment
        self.project_root = project_root
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False

    @property
    def _paths(self) -> list[str]:
        dirs = [self.spec.code_dir, *self.spec.layer_dirs, self.project_root]
        return [str(d) for d in dirs]

    def start(self) -> None:
        """Spawn the process (its init runs in the background until the first invocation needs it)."""
        parent, child = self._context.Pipe()
        config = {
            "name": self.spec.name,
            "arn": self.spec.arn,
            "handler": self.spec.handler,
            "memory": self.spec.memory,
            "paths": self._paths,
            "environment": self.environment,
            "snap_start": self.spec.snap_start,
        }
        process = self._context.Process(
            target=_worker_main, args=(child, config), name=f"lambda:{self.spec.logical_id}", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn, self._ready = process, parent, False

    def another(self) -> Worker:
        """A new instance of the same function: the same environment but its own log stream, as on Lambda."""
        environment = dict(self.environment)
        if "AWS_LAMBDA_LOG_STREAM_NAME" in environment:
            environment["AWS_LAMBDA_LOG_STREAM_NAME"] = f"local/[$LATEST]{uuid.uuid4().hex}"
        return Worker(self.spec, environment, self.project_root)

    def warm(self) -> None:
        """Wait for the process's init (starting it if needed); raise RuntimeFailureError if it fails."""
        with self._lock:
            self._ensure_ready()

    def invoke(self, event: Any) -> Any:
        """Run the handler on `event` and return its result; raise FunctionError or RuntimeFailureError."""
        with self._lock:
            self._ensure_ready()
            assert self._conn is not None
            request_id = str(uuid.uuid4())
            deadline_ms = int((time.time() + self.spec.timeout) * 1000)
            try:
                self._conn.send(("invoke", json.dumps(event), request_id, deadline_ms))
            except OSError:
                self._discard()
                raise RuntimeFailureError(f"{self.spec.logical_id}: the function's process is gone") from None
            reply = self._receive(self.spec.timeout + GRACE)
            if reply is None:
                process = self._process
                # The sentinel says the process ended; is_alive() can still say True until it is reaped.
                alive = process is not None and not wait([process.sentinel], 0)
                if process is not None and not alive:
                    process.join(GRACE)
                exit_code = process.exitcode if process is not None else None
                self._discard()
                if alive:
                    raise RuntimeFailureError(f"Task timed out after {self.spec.timeout:.2f} seconds")
                raise RuntimeFailureError(f"Runtime exited with error: exit status {exit_code}")
            kind, payload = reply
            if kind == "ok":
                return json.loads(payload)
            if kind == "error":
                raise FunctionError(payload)
            self._discard()
            raise RuntimeFailureError(f"{self.spec.logical_id}: {payload.get('errorMessage', 'runtime failure')}")

    def _ensure_ready(self) -> None:
        if self._process is None or not self._process.is_alive():
            if self._process is not None:
                self._discard()
            self.start()
        if self._ready:
            return
        hello = self._receive(INIT_TIMEOUT)
        if hello is None or hello[0] != "ready":
            self._discard()
            detail = hello[1].get("errorMessage") if hello else "init did not finish"
            raise RuntimeFailureError(f"{self.spec.logical_id}: init failed: {detail}")
        self._ready = True

    def _receive(self, timeout: float) -> Any:
        """The next message from the process, or None if it died or said nothing in time."""
        assert self._conn is not None
        assert self._process is not None
        ready = wait([self._conn, self._process.sentinel], timeout)
        if self._conn not in ready:
            return None
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            return None

    def _discard(self) -> None:
        """Kill the process; the next invocation gets a fresh one."""
        process, conn = self._process, self._conn
        self._process, self._conn, self._ready = None, None, False
        if process is not None and process.is_alive():
            process.terminate()
            process.join(2)
            if process.is_alive():
                process.kill()
                process.join()
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        with self._lock:
            if self._conn is not None and self._process is not None and self._process.is_alive():
                try:
                    self._conn.send(("stop",))
                    self._process.join(3)
                except OSError:
                    pass
            self._discard()


class Runtime:
    """The functions by logical id: each a pool of instances, the given worker first, up to `max_instances`."""

    def __init__(self, workers: dict[str, Worker], *, max_instances: int = MAX_INSTANCES):
        self.workers = workers
        self.pools = {
            logical_id: InstancePool(worker, worker.another, limit=max_instances, name=logical_id)
            for logical_id, worker in workers.items()
        }

    def start(self) -> None:
        for pool in self.pools.values():
            pool.start()

    def invoke(self, logical_id: str, event: Any) -> Any:
        if logical_id not in self.pools:
            raise RuntimeFailureError(f"{logical_id} does not run locally")
        return self.pools[logical_id].invoke(event)

    def stop(self) -> None:
        threads = [threading.Thread(target=p.stop) for p in self.pools.values()]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


# ---------------------------------------------------------------------- inside the worker process
class LambdaContext:
    """The context object of the Python runtime (memory_limit_in_mb is a string there too)."""

    def __init__(self, config: dict[str, Any], request_id: str, deadline_ms: int):
        self.function_name = config["name"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = config["arn"]
        self.memory_limit_in_mb = str(config["memory"])
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self.tenant_id = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message: str) -> None:
        sys.stdout.write(message)


def _error_payload(error: BaseException) -> dict[str, Any]:
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "stackTrace": traceback.format_tb(error.__traceback__),
    }


def _load_handler(config: dict[str, Any]) -> Any:
    module_name, _, function_name = config["handler"].rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, function_name)


def snapshot_hooks() -> Any:
    """The registry Lambda's Python runtime reads: snapshot_restore_py's, or inbox.snapstart's
    stand-in for it where that module is not installed."""
    registry = sys.modules.get("snapshot_restore_py")
    if registry is None:
        registry = getattr(sys.modules.get("inbox.snapstart"), "hooks", None)
    return registry


def take_snapshot() -> None:
    """What Lambda runs before it snapshots an initialised SnapStart function: the before-snapshot
    hooks, the last registered first."""
    registry = snapshot_hooks()
    for func, args, kwargs in reversed(list(registry.get_before_snapshot()) if registry else []):
        func(*args, **kwargs)


def restore_snapshot() -> None:
    """What Lambda runs when an instance resumes from the snapshot, before its first invocation:
    the after-restore hooks, in the order registered."""
    registry = snapshot_hooks()
    for func, args, kwargs in list(registry.get_after_restore()) if registry else []:
        func(*args, **kwargs)


def _worker_main(conn: Connection, config: dict[str, Any]) -> None:
    # Ctrl-C reaches the whole process group: the parent decides when this process stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.clear()
    os.environ.update(config["environment"])
    time.tzset()
    sys.path[:] = config["paths"] + [p for p in sys.path if p and p not in config["paths"]]
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    try:
        handler = _load_handler(config)
        if config.get("snap_start"):
            take_snapshot()
            restore_snapshot()
    except BaseException as error:
        traceback.print_exc()
        payload = _error_payload(error)
        payload["errorMessage"] = f"{type(error).__name__}: {error}"
        conn.send(("init_error", payload))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        if message[0] != "invoke":
            return
        _, event_json, request_id, deadline_ms = message
        try:
            result = handler(json.loads(event_json), LambdaContext(config, request_id, deadline_ms))
            reply = ("ok", json.dumps(result))
        except Exception as error:
            traceback.print_exc()
            reply = ("error", _error_payload(error))
        conn.send(reply)
