"""A function's warm instances: up to a few processes, so concurrent invocations run concurrently
as Lambda runs them, instead of queueing behind one process.

The pool starts with one instance (started with the stack, as before). An invocation takes an idle
instance, the most recently used first (it stays warm; the others can stay idle). When every
instance is busy and the pool is below its limit, a new instance starts in the background and the
invocation runs on whichever is free first, the new one once its init is done or a busy one
finishing: on two cores a cold start (importing boto3) takes longer than most invocations, and
waiting for it alone would make a burst slower than the queue it replaces. At the limit, invocations
wait for an instance. An instance whose process crashed or timed out is replaced by a fresh process
on its next use (Worker does that: a cold start). An instance whose init fails in the background is
dropped, and the pool does not grow for a while; if none is left, the next invocation starts one
itself and reports the init's failure.

This module is imported by every worker process (through runtime.py): keep its imports light.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger("local")

MAX_INSTANCES = 3  # per function: enough for the web app's bursts without a process per request on 2 cores
RETRY_GROWTH_AFTER = 10.0  # seconds without a new instance after one failed its init (no spawn loop)


class Instance(Protocol):
    def start(self) -> None: ...
    def warm(self) -> None: ...
    def invoke(self, event: Any) -> Any: ...
    def stop(self) -> None: ...


class InstancePool:
    """The instances of one function; `invoke` is thread-safe and runs up to `limit` invocations at once."""

    def __init__(self, first: Instance, make: Callable[[], Instance], *, limit: int = MAX_INSTANCES, name: str = ""):
        if limit < 1:
            raise ValueError("a pool needs room for one instance")
        self.name = name
        self.limit = limit
        self._make = make
        self._cond = threading.Condition()
        self._instances: list[Instance] = [first]  # every instance, idle, busy or starting
        self._idle: list[Instance] = [first]
        self._starting = 0
        self._grow_after = 0.0  # time.monotonic() before which the pool does not grow
        self._stopped = False

    @property
    def size(self) -> int:
        """How many instances the pool holds (each one process at most)."""
        with self._cond:
            return len(self._instances)

    def start(self) -> None:
        """Start the first instance's process (its init runs in the background)."""
        self._instances[0].start()

    def invoke(self, event: Any) -> Any:
        instance = self._acquire()
        try:
            return instance.invoke(event)
        finally:
            self._release(instance)

    def _acquire(self) -> Instance:
        with self._cond:
            while True:
                if self._stopped:
                    raise RuntimeError(f"{self.name}: the pool is stopped")
                if self._idle:
                    return self._idle.pop()  # the most recently used: the warmest
                if not self._instances:
                    # Every instance failed its init: this invocation starts one and sees the failure.
                    instance = self._make()
                    self._instances.append(instance)
                    return instance
                if self._may_grow():
                    self._grow()
                self._cond.wait()

    def _release(self, instance: Instance) -> None:
        with self._cond:
            if instance in self._instances:
                self._idle.append(instance)
                self._cond.notify()

    def _may_grow(self) -> bool:
        room = len(self._instances) < self.limit
        return room and not self._starting and time.monotonic() >= self._grow_after

    def _grow(self) -> None:
        """Add an instance and warm it in the background (the caller holds the condition)."""
        instance = self._make()
        self._instances.append(instance)
        self._starting += 1
        threading.Thread(target=self._warm, args=(instance,), name=f"warm:{self.name}", daemon=True).start()

    def _warm(self, instance: Instance) -> None:
        try:
            instance.start()
            instance.warm()
        except Exception as error:
            log.error("%s: a new instance failed to start: %s", self.name, error)
            with self._cond:
                self._starting -= 1
                self._instances.remove(instance)
                self._grow_after = time.monotonic() + RETRY_GROWTH_AFTER
            instance.stop()
            with self._cond:
                self._cond.notify_all()  # a waiter with no instance left starts one itself
            return
        with self._cond:
            self._starting -= 1
            stopped = self._stopped
            if not stopped:
                self._idle.append(instance)
                self._cond.notify_all()  # one waiter takes it; another, still waiting, may grow the pool again
        if stopped:  # the stack stopped while this one started
            instance.stop()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            instances = list(self._instances)
            self._cond.notify_all()
        for instance in instances:
            instance.stop()
