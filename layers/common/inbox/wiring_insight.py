"""The wiring of finding, measuring and tracing (issue 14): the search index and its indexer, the
statistics, and the audit trail. Re-exported by `inbox.wiring`, where callers find them
(`wiring.search()`); each reaches the core's clients and services through `wiring` too, so that a
test replacing one there (the clock, a service) is obeyed."""

from __future__ import annotations

from functools import cache  # noqa: F401 (each factory here is built once)

from inbox import wiring  # noqa: F401
