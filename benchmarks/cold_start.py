"""Cold start (DESIGN §8): each function's module import, as a ratio to `import boto3` in the same run.

    .venv/bin/python -m benchmarks.cold_start [--runs 5]

Each import runs in a fresh interpreter, as Lambda starts one, with the bytecode compiled beforehand
(a built layer ships it); the best of `--runs` counts for each, boto3's included, so a slow moment
of the machine does not decide a ratio.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys

from benchmarks import REPO

# (function, module, DESIGN §8 budget as a multiple of `import boto3`; None: no budget)
FUNCTIONS = (
    ("WebhookSmsFunction", "functions.webhook_sms.app", 1.3),
    ("WebhookWhatsappFunction", "functions.webhook_whatsapp.app", 1.3),
    ("ApiFunction", "functions.api.app", 2.0),
    ("ClassifyFunction", "functions.classify.app", 2.5),
    ("SyncMailboxFunction", "functions.sync_email.app", None),
    ("VonageWorkerFunction", "functions.vonage_worker.app", None),
    ("PurgeFunction", "functions.purge.app", None),
)
PROBE = (
    "import sys, time; t = time.perf_counter(); import {module}; "
    "print((time.perf_counter() - t) * 1000, 'openai' in sys.modules)"
)


def import_ms(module: str) -> tuple[float, bool]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = f"{REPO / 'layers' / 'common'}{os.pathsep}{REPO}"
    env.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)], env=env, cwd=REPO, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    milliseconds, openai = result.stdout.split()
    return float(milliseconds), openai == "True"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per module; the best counts (5)")
    args = parser.parse_args(argv)
    for folder in (REPO / "layers" / "common", REPO / "functions"):
        compileall.compile_dir(folder, quiet=1)
    boto3 = min(import_ms("boto3")[0] for _ in range(args.runs))
    print(f"Cold start: module import in a fresh interpreter, best of {args.runs}, next to import boto3\n")
    print(f"   {'import boto3':<28} {boto3:>7.0f} ms")
    for name, module, budget in FUNCTIONS:
        runs = [import_ms(module) for _ in range(args.runs)]
        best = min(ms for ms, _ in runs)
        ratio = best / boto3
        verdict = "" if budget is None else f"goal <= {budget:.1f}x   {'PASS' if ratio <= budget else 'FAIL'}"
        openai = "   (imports openai!)" if any(loaded for _, loaded in runs) else ""
        print(f"   {name:<28} {best:>7.0f} ms   {ratio:4.2f}x   {verdict}{openai}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
