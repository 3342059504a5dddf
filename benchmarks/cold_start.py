"""Cold start (DESIGN §8, issue 15 item 2): the work each function does before its first request, as a
ratio to `import boto3` in the same run.

    .venv/bin/python -m benchmarks.cold_start [--runs 5]

Every AWS::Serverless::Function of template.yaml is listed, read from the template (its CodeUri and
Handler), with its budget: the webhooks Vonage waits on <= 1.3x, the API <= 2x, every worker <= 2.5x.
Each handler module is imported in a fresh interpreter, as Lambda starts one, with the bytecode compiled
beforehand (a built layer ships it), under `-X importtime`, boto3's probe included, so that the same run
splits the import into:
- import: the modules the handler loads (boto3, Powertools, pydantic, the layer's code);
- set-up: what the handler module itself runs at import (its resolver and routes, anything built at
  module level), the module's own line of `-X importtime` (wall-clock, the only clock it has);
- first client: the DynamoDB client and store every function's first request builds (boto3 session,
  service model, no request sent), timed after the import in the same interpreter.
The ratio and its PASS/FAIL count the import and the set-up (the init phase Lambda bills and SnapStart
snapshots); the first client is printed beside it. Times are the interpreter's CPU time unless
`--clock wall`: on a shared machine, other work lengthens wall-clock times far more. The best of
`--runs` counts for each module (its run with the shortest import), boto3's included, so a slow moment
of the machine does not decide a ratio.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
from dataclasses import dataclass

from cfn_tools import load_yaml

from benchmarks import REPO

WEBHOOK_BUDGET, API_BUDGET, WORKER_BUDGET = 1.3, 2.0, 2.5
# Where a person or Vonage waits (the custom webhooks are routes of ApiFunction); any other function
# of the template, a new one included, is a worker.
BUDGETS = {"WebhookSmsFunction": WEBHOOK_BUDGET, "WebhookWhatsappFunction": WEBHOOK_BUDGET, "ApiFunction": API_BUDGET}

# The probe's own settings: the first client reads them (no request is sent, the credentials are fakes).
PROBE_ENVIRONMENT = {
    "TABLE_NAME": "cold-start",
    "BLOB_BUCKET": "cold-start",
    "KEY_ID": "alias/cold-start",
    "CLASSIFY_QUEUE_URL": "https://sqs.eu-west-3.amazonaws.com/123456789012/cold-start",
}
PROBE = """
import sys, time
clock = time.{clock}
started = clock()
import {module}
imported = clock()
first_client = 0.0
if {build_client}:
    from inbox import wiring
    wiring.store()
    first_client = (clock() - imported) * 1000
print((imported - started) * 1000, first_client, 'openai' in sys.modules)
"""
# The interpreter's CPU time by default: the init is CPU-bound (the .pyc files come from the page cache),
# and other work on a shared machine lengthens wall-clock times far more than the process's own CPU time.
CLOCKS = {"cpu": "process_time", "wall": "perf_counter"}


@dataclass(frozen=True)
class Function:
    name: str
    module: str  # functions.<code folder>.app
    handler: str  # app.<function>, as the template names it
    budget: float
    snap_start: bool


@dataclass(frozen=True)
class Measure:
    import_ms: float  # everything, set-up included
    setup_ms: float  # the handler module's own body
    first_client_ms: float
    openai: bool


def template_functions(path=REPO / "template.yaml") -> list[Function]:
    """Every Python function of the template, in its order, with its budget."""
    resources = load_yaml(path.read_text())["Resources"]
    functions = []
    for name, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = resource["Properties"]
        folder = str(properties["CodeUri"]).strip("/").split("/")[-1]
        handler = str(properties["Handler"])
        module = f"functions.{folder}.{handler.rsplit('.', 1)[0]}"
        snap_start = (properties.get("SnapStart") or {}).get("ApplyOn") == "PublishedVersions"
        functions.append(Function(name, module, handler, BUDGETS.get(name, WORKER_BUDGET), snap_start))
    return functions


def measure(module: str, build_client: bool = True, clock: str = "cpu") -> Measure:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = f"{REPO / 'layers' / 'common'}{os.pathsep}{REPO}"
    env.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    env.update(PROBE_ENVIRONMENT)
    probe = PROBE.format(module=module, build_client=build_client, clock=CLOCKS[clock])
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", probe], env=env, cwd=REPO, capture_output=True, text=True,
        check=True, timeout=60,
    )  # fmt: skip
    imported, first_client, openai = result.stdout.split()
    return Measure(float(imported), _self_ms(result.stderr, module), float(first_client), openai == "True")


def _self_ms(importtime: str, module: str) -> float:
    """The module's own line of `-X importtime` (`import time: self | cumulative | name`): its body, in
    wall-clock time (the only clock -X importtime has)."""
    for line in importtime.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) == 3 and fields[2].strip() == module:
            return int(fields[0]) / 1000
    return 0.0


def best(module: str, runs: int, build_client: bool = True, clock: str = "cpu") -> Measure:
    return min((measure(module, build_client, clock) for _ in range(runs)), key=lambda m: m.import_ms)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per module; the best counts (5)")
    parser.add_argument("--clock", choices=CLOCKS, default="cpu", help="the process's CPU time (cpu) or wall-clock")
    args = parser.parse_args(argv)
    for folder in (REPO / "layers" / "common", REPO / "functions"):
        compileall.compile_dir(folder, quiet=1)
    functions = template_functions()
    load = os.getloadavg()[0]
    boto3 = best("boto3", args.runs, build_client=False, clock=args.clock).import_ms
    modules = dict.fromkeys(f.module for f in functions)
    measures = {module: best(module, args.runs, clock=args.clock) for module in modules}
    print(
        f"Cold start: the work before each function's first request, in a fresh interpreter, best of {args.runs},"
        f" {args.clock} time (load average {load:.2f} at the start, {os.cpu_count()} cores), next to import boto3\n"
    )
    print(f"   {'import boto3':<26} {boto3:>7.0f} ms\n")
    header = f"{'function':<26} {'import':>7} {'set-up':>7} {'= init':>7} {'ratio':>6}   {'goal':<7}   {'':<4}"
    print(f"   {header}   first client")
    failed = 0
    for function in functions:
        m = measures[function.module]
        ratio = m.import_ms / boto3
        verdict = "PASS" if ratio <= function.budget else "FAIL"
        failed += verdict == "FAIL"
        notes = ("   SnapStart" if function.snap_start else "") + ("   (imports openai!)" if m.openai else "")
        print(
            f"   {function.name:<26} {m.import_ms - m.setup_ms:>7.0f} {m.setup_ms:>7.0f} {m.import_ms:>7.0f} "
            f"{ratio:>5.2f}x   <= {function.budget:.1f}x   {verdict}   {m.first_client_ms:>7.0f} ms{notes}"
        )
    print(
        f"\n   ms; init = import + set-up (the handler module's own body, wall-clock), its ratio to import boto3 is"
        f" the goal;"
        f"\n   first client: the DynamoDB client and store the first request builds. {failed} over budget."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
