"""The embedded moto server, and how its data survives a restart.

Approach: moto keeps every service's state in module-level `BackendDict`s (account → region →
backend objects). We pickle those dicts to `<state-dir>/moto-state.pickle` and, on the next start,
put the unpickled contents back into the same live dicts *before* the server answers its first
request. This keeps everything moto knows, exactly: table items and indexes, S3 objects and their
versions, queued messages with their receive counts, KMS key material (so envelope-encrypted
secrets still decrypt), user pools with their ids, users, passwords and groups.

Three kinds of objects in moto's graph do not pickle and are handled by `_Pickler`: locks and
conditions (recreated empty) and `cryptography` private keys (saved as PKCS#8 PEM, loaded back).

A snapshot must not see a request half-applied, so the WSGI app is wrapped in a readers-writer
lock: requests share it, a snapshot takes it exclusively (pollers use short long-polls, so the
wait is at most ~1 s). Within it requests run one at a time (`_one_request_at_a_time`): moto's own
state is not thread-safe. Snapshots are written atomically (temp file + rename) when a request may
have changed something, once writes pause for 2 s (at the latest 30 s on), and once more on a clean
shutdown. A snapshot that
cannot be read (another moto version, a torn file) is moved aside and the stack starts empty.

Why not replay API calls or export/import per service? Ids (user pool ids, client ids, KMS key
ids and material, password hashes) cannot be chosen through the public APIs, and stack.json and
stored ciphertexts depend on them.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import pickle
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import moto
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from moto.core.base_backend import BackendDict
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import ThreadedMotoServer
from moto.sqs.models import Queue as SqsQueue
from werkzeug.serving import make_server

from .moto_dynamodb import patch_moto_dynamodb

log = logging.getLogger("local")

SNAPSHOT_FILE = "moto-state.pickle"
_PRIVATE_KEYS = (
    rsa.RSAPrivateKey,
    ec.EllipticCurvePrivateKey,
    ed25519.Ed25519PrivateKey,
    ed448.Ed448PrivateKey,
    dsa.DSAPrivateKey,
)
_LOCK = type(threading.Lock())
_RLOCK = type(threading.RLock())


class ReadWriteLock:
    """Many readers or one writer; a waiting writer stops new readers so it cannot starve."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


# moto keeps its state in plain dicts and lists and locks none of them: two requests at once can
# corrupt it or fail (a transact_write_items deep-copies the table while another request adds an
# item: "dictionary changed size during iteration", a 500, and a webhook's message lost). So moto
# answers one request at a time. Its handlers are CPU-bound Python under the GIL, so this costs
# next to no throughput; the one place a request blocks, an SQS long-poll waiting for a message,
# lets the others in while it waits (`_let_others_in_while_waiting`).
_ONE_REQUEST = threading.Lock()
_holder = threading.local()


@contextlib.contextmanager
def _one_request_at_a_time() -> Iterator[None]:
    with _ONE_REQUEST:
        _holder.active = True
        try:
            yield
        finally:
            _holder.active = False


def _let_others_in_while_waiting(wait_for_messages: Any) -> Any:
    """Wraps moto's `Queue.wait_for_messages` (a long-poll's up-to-1-s wait) to release the request lock meanwhile."""

    def wait(queue: Any, timeout: int) -> None:
        if not getattr(_holder, "active", False):
            return wait_for_messages(queue, timeout)
        _holder.active = False
        _ONE_REQUEST.release()
        try:
            return wait_for_messages(queue, timeout)
        finally:
            _ONE_REQUEST.acquire()
            _holder.active = True

    wait.lets_others_in = True
    return wait


def _patch_sqs_long_polls() -> None:
    if not getattr(SqsQueue.wait_for_messages, "lets_others_in", False):
        SqsQueue.wait_for_messages = _let_others_in_while_waiting(SqsQueue.wait_for_messages)


class _Guard:
    """WSGI middleware: each request runs under the shared lock, one at a time, and marks the state dirty
    if it may write."""

    def __init__(self, app: Any, lock: ReadWriteLock):
        self.app = app
        self.lock = lock
        self.dirty = threading.Event()
        self.last_write = 0.0  # time.monotonic() of the last request that may have written

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with self.lock.shared(), _one_request_at_a_time():
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        if _may_write(environ, body):
            self.last_write = time.monotonic()
            self.dirty.set()
        return [body]


def _may_write(environ: dict[str, Any], body: bytes) -> bool:
    if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        return False
    # Pollers receive all the time; an empty receive changes nothing worth a snapshot.
    if str(environ.get("HTTP_X_AMZ_TARGET", "")).endswith(".ReceiveMessage"):
        return b"ReceiptHandle" in body
    if str(environ.get("HTTP_X_AMZ_TARGET", "")).endswith(".GetRecords"):  # the stream pollers read often
        return b'"eventID"' in body
    return True


class MotoServer(ThreadedMotoServer):
    """moto's ThreadedMotoServer with the request guard, quiet logs and a port-in-use error surfaced."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__(ip_address=host, port=port, verbose=False)
        self.lock = ReadWriteLock()
        self.guard: _Guard | None = None
        self._error: OSError | None = None

    def _server_entry(self) -> None:
        _patch_sqs_long_polls()
        patch_moto_dynamodb()  # a transaction no longer copies the stream's whole history
        self.guard = _Guard(DomainDispatcherApplication(create_backend_app), self.lock)
        try:
            self._server = make_server(self._ip_address, self._port, self.guard, True)
        except OSError as error:  # the port is taken: let start() raise instead of hanging
            self._error = error
            self._server_ready_event.set()
            return
        self._server_ready_event.set()
        self._server.serve_forever()

    def start(self) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        super().start()
        if self._error is not None:
            raise self._error

    @property
    def url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"


# ---------------------------------------------------------------------- snapshots
def _load_private_key(pem: bytes) -> Any:
    return serialization.load_pem_private_key(pem, password=None)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, threading.Condition):
            return threading.Condition, ()
        if isinstance(obj, _RLOCK):
            return threading.RLock, ()
        if isinstance(obj, _LOCK):
            return threading.Lock, ()
        if isinstance(obj, _PRIVATE_KEYS):
            pem = obj.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            return _load_private_key, (pem,)
        return NotImplemented


def dumps(value: Any) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def _backend_location(backends: BackendDict) -> str:
    """`module:attribute` of the module-level dict, so a restore can find the live one again."""
    candidates = [sys.modules.get(backends.backend.__module__)]
    candidates += [m for name, m in list(sys.modules.items()) if name.startswith("moto.")]
    for module in candidates:
        for attribute, value in vars(module or object).items():
            if value is backends:
                return f"{module.__name__}:{attribute}"
    raise LookupError(f"cannot locate the backends of {backends.service_name}")


def capture() -> dict[str, Any]:
    """Every moto backend in use, keyed by where it lives."""
    return {_backend_location(b): dict(b) for b in list(BackendDict._instances) if len(b)}


def install(backends: dict[str, Any]) -> None:
    for location, accounts in backends.items():
        module_name, attribute = location.split(":")
        live = getattr(importlib.import_module(module_name), attribute)
        live.clear()
        live.update(accounts)
        if live not in BackendDict._instances:
            BackendDict._instances.append(live)


class Snapshots:
    """Saves moto's state under the state directory and restores it on the next start.

    A save holds every request for as long as the pickling takes (0.3-1.2 s once the browser tests
    have run, on two busy cores), so it waits for a pause: no write for `quiet` seconds, or changes
    unsaved for `longest` seconds when writes never pause."""

    def __init__(self, state_dir: Path, server: MotoServer, quiet: float = 2.0, longest: float = 30.0):
        self.path = state_dir / SNAPSHOT_FILE
        self.server = server
        self.quiet = quiet
        self.longest = longest
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._save_lock = threading.Lock()

    def restore(self) -> bool:
        """Load the last snapshot into moto; call before the server starts. False when starting empty."""
        if not self.path.exists():
            return False
        try:
            with self.path.open("rb") as f:
                saved = pickle.load(f)  # noqa: S301 - our own file, written by save() below
            install(saved["backends"])
        except Exception:
            for backends in list(BackendDict._instances):  # nothing half-restored
                backends.clear()
            broken = self.path.with_suffix(".broken")
            os.replace(self.path, broken)
            log.exception("could not restore %s (moved to %s); starting with empty AWS state", self.path, broken)
            return False
        if saved.get("moto") != moto.__version__:
            log.warning("state written by moto %s, running %s", saved.get("moto"), moto.__version__)
        return True

    def save(self) -> None:
        with self._save_lock:
            guard = self.server.guard
            with self.server.lock.exclusive():
                if guard is not None:
                    guard.dirty.clear()
                data = dumps({"moto": moto.__version__, "backends": capture()})
            temporary = self.path.with_suffix(".tmp")
            with temporary.open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, self.path)

    def start(self) -> None:
        """Save in the background whenever a request may have changed something."""
        self._thread = threading.Thread(target=self._run, name="moto-snapshots", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        unsaved_since: float | None = None
        while not self._stop.wait(min(0.5, self.quiet)):
            guard = self.server.guard
            if guard is None or not guard.dirty.is_set():
                unsaved_since = None
                continue
            now = time.monotonic()
            unsaved_since = now if unsaved_since is None else unsaved_since
            if now - guard.last_write < self.quiet and now - unsaved_since < self.longest:
                continue
            try:
                self.save()
                unsaved_since = None
            except Exception:
                log.exception("saving the AWS state failed; will retry")

    def stop(self) -> None:
        """Stop the background saver and write a final snapshot."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.save()
