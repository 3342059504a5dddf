"""local/pool.py's bookkeeping with instances that are not processes: what happens when a new
instance's init fails in the background, and when the pool stops."""

from __future__ import annotations

import threading

import pytest

from local.pool import InstancePool


class FakeInstance:
    def __init__(self, *, init_error: Exception | None = None, gate: threading.Event | None = None):
        self.init_error, self.gate = init_error, gate
        self.stopped = False
        self.stopped_event = threading.Event()
        self.invoked = 0

    def start(self) -> None:
        pass

    def warm(self) -> None:
        if self.init_error is not None:
            raise self.init_error

    def invoke(self, event):
        if self.init_error is not None:
            raise self.init_error
        self.invoked += 1
        if self.gate is not None:
            assert self.gate.wait(10)
        return id(self)

    def stop(self) -> None:
        self.stopped = True
        self.stopped_event.set()


def test_a_new_instance_that_fails_its_init_is_dropped_and_the_busy_one_serves():
    gate = threading.Event()
    first = FakeInstance(gate=gate)
    broken: list[FakeInstance] = []

    def make():
        broken.append(FakeInstance(init_error=RuntimeError("init failed")))
        return broken[-1]

    pool = InstancePool(first, make, limit=3, name="F")
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(pool.invoke({}))) for _ in range(2)]
    for thread in threads:
        thread.start()
    # The second invocation finds the first instance busy: the pool grows, the new instance's init fails.
    waited = threading.Event()
    threading.Thread(target=lambda: waited.set() if _wait_for(broken) else None, daemon=True).start()
    assert waited.wait(10)
    gate.set()
    for thread in threads:
        thread.join(10)
    assert results == [id(first), id(first)]
    # One failure, not a spawn loop while the second invocation waited; the pool is back to one instance.
    assert len(broken) == 1
    assert broken[0].stopped
    assert pool.size == 1


def _wait_for(broken: list[FakeInstance]) -> bool:
    while not broken:
        threading.Event().wait(0.01)
    return broken[0].stopped_event.wait(10)


def test_with_no_instance_left_the_invocation_sees_the_init_failure():
    first = FakeInstance(init_error=RuntimeError("init failed"))
    pool = InstancePool(first, lambda: FakeInstance(init_error=RuntimeError("again")), limit=2, name="F")
    with pytest.raises(RuntimeError, match="init failed"):
        pool.invoke({})
    assert pool.size == 1  # the instance stays: its next use starts a fresh process, as Worker does


def test_a_stopped_pool_stops_its_instances_and_refuses_work():
    first = FakeInstance()
    pool = InstancePool(first, FakeInstance, limit=2, name="F")
    pool.stop()
    assert first.stopped
    with pytest.raises(RuntimeError, match="stopped"):
        pool.invoke({})
