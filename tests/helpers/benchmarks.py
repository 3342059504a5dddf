"""Running a benchmark module as `make bench` does, for the tests of its harness."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers.events import REPO


def run_benchmark(module: str, *args: str, timeout: int = 180, env: dict[str, str] | None = None):
    """`python -m <module> <args>` from the repository, its output captured; the caller checks it."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
