"""The web app (DESIGN §8, issue 11's Speed): its JavaScript and CSS gzip sizes, the time from navigation
to the conversation list as a ratio to a static page's load in the same run, and the API requests made
to open it (goal: me, folders, the list; nothing more).

    .venv/bin/python -m benchmarks.web_app [--runs 5] [--stack-json .local/stack.json]

Needs the built app (make web), node and Debian's Chromium (make system). Without --stack-json it starts
its own local stack (as `make run` does, in a temporary state directory: ~40 s); with it, it uses one that
is running. The browser side is web/e2e/open-app-benchmark.mjs (playwright-core must resolve from web/).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import median
from typing import Any
from urllib.parse import urlsplit

from benchmarks import REPO

WEB = REPO / "web"
DIST = WEB / "dist"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
GOAL = Counter({"GET /inbox/me": 1, "GET /inbox/folders": 1, "GET /inbox/conversations": 1})
READY = "Press Ctrl-C to stop."


# ---------------------------------------------------------------- 1. sizes


def asset_sizes(dist: Path = DIST) -> list[tuple[str, int, int]]:
    """(file, bytes, gzip bytes at level 9) of every JavaScript and CSS file the build ships (no maps)."""
    files = sorted(p for p in (dist / "assets").iterdir() if p.suffix in (".js", ".css"))
    return [(p.name, p.stat().st_size, len(gzip.compress(p.read_bytes(), compresslevel=9, mtime=0))) for p in files]


def print_sizes(sizes: list[tuple[str, int, int]], dist: Path = DIST) -> None:
    print("1. Size of what the browser downloads (web/dist/assets, gzip -9)\n")
    for name, raw, packed in sizes:
        print(f"   {name:<32} {raw / 1024:8.1f} KiB   gzip {packed / 1024:7.1f} KiB")
    # What index.html names is the first load; other chunks (the statistics screen) load when opened.
    first = (dist / "index.html").read_text()
    for kind in (".js", ".css"):
        label = "JavaScript" if kind == ".js" else "CSS"
        groups = [("first load", lambda n: n in first), ("loaded on demand", lambda n: n not in first)]
        for what, keep in groups:
            chosen = [(r, p) for n, r, p in sizes if n.endswith(kind) and keep(n)]
            if chosen:
                raw, packed = sum(r for r, _ in chosen), sum(p for _, p in chosen)
                print(f"   {label + ', ' + what:<32} {raw / 1024:8.1f} KiB   gzip {packed / 1024:7.1f} KiB")
    print()


# ---------------------------------------------------------------- the yardstick and the stack


def static_page(directory: Path) -> None:
    """A page of the app's size without the app: 30 rows of a conversation list, the app's stylesheet."""
    stylesheet = next((DIST / "assets").glob("*.css"))
    shutil.copy(stylesheet, directory / "app.css")
    rows = "".join(
        f'<li><button class="conversation-row"><span class="contact">Customer {n}</span>'
        f'<span class="subject">Order {48200 + n} has not arrived</span><time>10:{n:02d}</time></button></li>'
        for n in range(30)
    )
    (directory / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Inbox</title>'
        f'<link rel="stylesheet" href="app.css"></head><body><main><ol>{rows}</ol></main></body></html>'
    )


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def local_stack(stack_json: Path | None) -> Iterator[dict[str, Any]]:
    """The running stack's stack.json, or a stack of our own started as `make run` starts it."""
    if stack_json:
        yield json.loads(stack_json.read_text())
        return
    with tempfile.TemporaryDirectory(prefix="bench-web-") as state, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        log = Path(state) / "stack.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "local", "--port", str(port), "--state-dir", f"{state}/state"],
                cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env=env,
            )  # fmt: skip
        try:
            print("   starting a local stack…", file=sys.stderr)
            deadline = time.monotonic() + 120
            info_path = Path(state) / "state" / "stack.json"
            while READY not in log.read_text(errors="replace") or not info_path.exists():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the local stack did not start:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.3)
            yield json.loads(info_path.read_text())
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


# ---------------------------------------------------------------- 2. and 3. opening the app


def browse(info: dict[str, Any], static_url: str, runs: int) -> list[dict[str, Any]]:
    env = os.environ | {
        "CHROMIUM": CHROMIUM,
        "INBOX_URL": info["web_url"],
        "INBOX_EMAIL": info["admin"]["username"],
        "INBOX_PASSWORD": info["admin"]["password"],
        "STATIC_URL": static_url,
        "RUNS": str(runs),
    }
    result = subprocess.run(
        ["node", "e2e/open-app-benchmark.mjs"], cwd=WEB, env=env, capture_output=True, text=True,
        timeout=120 + 60 * runs, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"the browser run failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])["runs"]


def request_name(request: dict[str, Any], info: dict[str, Any]) -> tuple[str, str]:
    """(kind, name) of one request: the API's, Cognito's, the app's own files, the live socket."""
    url = urlsplit(request["url"])
    api = urlsplit(info["api_url"])
    if request["method"] == "WS":
        return "socket", f"WebSocket {url.path}"
    if (url.netloc, request["url"].startswith(info["api_url"] + "/")) == (api.netloc, True):
        return "api", f"{request['method']} {url.path}"
    if info.get("aws_endpoint_url") and request["url"].startswith(info["aws_endpoint_url"]):
        return "cognito", f"Cognito {(request.get('target') or '').rpartition('.')[2] or request['method']}"
    return "files", f"{request['method']} {url.path}"


def report_requests(run: dict[str, Any], info: dict[str, Any]) -> bool:
    marks = run["app"]["marks"]
    listed, submitted = marks["origin"] + marks["listShown"], marks["origin"] + marks["submitted"]
    before: list[tuple[str, str]] = []
    after: list[tuple[str, str]] = []
    waterfall = []
    for request in run["app"]["requests"]:
        kind, name = request_name(request, info)
        (before if request["start"] <= listed else after).append((kind, name))
        if kind in ("api", "cognito") and request["end"]:
            waterfall.append((request["start"] - submitted, request["end"] - submitted, name))
    print("3. Requests made to open the app (signing in, up to the list shown, then 2 s more)\n")
    for title, requests in (("until the list is shown", before), ("in the 2 s after", after)):
        print(f"   {title}:")
        for (kind, name), count in sorted(Counter(requests).items()):
            print(f"      {count} x {name:<48} [{kind}]")
    print(f"\n   after Sign in (the last run; the list shown at {listed - submitted:.0f} ms):")
    for start, end, name in sorted(waterfall):
        print(f"      {start:6.0f} -> {end:6.0f} ms   {name}")
    api = Counter(name for kind, name in before + after if kind == "api")
    extra = api - GOAL
    missing = GOAL - api
    verdict = "PASS" if not extra and not missing else "FAIL"
    print(f"\n   API requests: {sum(api.values())} (goal: me + folders + the list, once each)   {verdict}")
    for name, count in extra.items():
        print(f"      more than the goal: {count} x {name}")
    for name in missing:
        print(f"      missing: {name}")
    return verdict == "PASS"


def report_times(runs: list[dict[str, Any]]) -> None:
    statics = [r["static"]["loaded"] for r in runs]
    boots = [r["app"]["marks"]["signInShown"] for r in runs]
    signed_in = [r["app"]["marks"]["listShown"] - r["app"]["marks"]["submitted"] for r in runs]
    # Navigation to the list without the robot's typing: the form's appearance, then Sign in to the list.
    totals = [b + s for b, s in zip(boots, signed_in, strict=True)]
    best_static = min(statics)
    print(f"2. Navigation to the conversation list, fresh browser context each time, best of {len(runs)}\n")
    rows = (
        ("static page load (the yardstick)", statics),
        ("app: navigation -> sign-in form", boots),
        ("app: Sign in -> list shown", signed_in),
        ("app: navigation -> list shown", totals),
    )
    for label, values in rows:
        best = min(values)
        print(f"   {label:<36} best {best:7.0f} ms   median {median(values):7.0f} ms   {best / best_static:5.1f}x")
    print("\n   (x: the best as a multiple of the static page's best load in the same run)\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="openings of the app and of the static page (5)")
    parser.add_argument("--stack-json", type=Path, help="a running local stack's stack.json (default: start one)")
    args = parser.parse_args(argv)
    if not (DIST / "index.html").is_file():
        raise SystemExit("web/dist is not built: make web")
    sizes = asset_sizes()
    print("Web app: size, time to the conversation list, requests to open it\n")
    print_sizes(sizes)
    with tempfile.TemporaryDirectory(prefix="bench-static-") as directory, local_stack(args.stack_json) as info:
        static_page(Path(directory))
        with serve(Path(directory)) as static_url:
            runs = browse(info, static_url, args.runs)
    report_times(runs)
    report_requests(runs[-1], info)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
