"""Pages under load (issue 15, item 3): the local stack's latency for each API page under a bounded load of
concurrent users, as p50/p95 ratios to `GET /inbox/me`'s in the same run.

    .venv/bin/python -m benchmarks.page_load [--conversations 1000] [--users 3] [--requests 20] [--seconds 600]
                                             [--index-wait 180] [--stack-json .local/stack.json]

Without --stack-json it starts its own local stack (as `make run` does, in a temporary state directory); with it,
it uses one that is running. In either, a tenant of its own gets an admin (in the stack's Cognito), three folders
and a custom webhook integration (through the API), and `--conversations` conversations written through the store
into the stack's table (benchmarks/page_load_seed.py). The stack's readers of the table's stream (statistics, the
search index) then catch up: the benchmark waits, at most `--index-wait` seconds, until a search finds the last
conversation written, so that the load meets a quiet stack. Then `--users` threads on loopback each take rounds of
requests, one of every page per round, in an order shifted each round (a slow moment of the machine hits every page
alike), until every page has had `--requests` (one warm-up round each first, not counted: the API function's cold
starts), or `--seconds` have passed (then the counts are short: a failure). Each request is a new connection with
the admin's ID token, timed from sending to the answer's last byte. No goal is set for the ratios: they are
printed. The run fails (exit 1) on any answer not 2xx, named, or a page whose count is not `--requests`.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from benchmarks import REPO  # noqa: F401 - makes the layer importable

YARDSTICK = "GET /inbox/me"
FOLDERS = ("Orders", "Returns", "Billing")
VIEWS = (  # the web app's left pane (web/src/inbox/views.ts), newest activity first
    ("inbox", {"folder": "inbox"}),
    ("automated", {"folder": "automated"}),
    ("folder Orders", {"folder": "{Orders}"}),
    ("mine", {"assignee": "me"}),
    ("unassigned", {"assignee": "none"}),
    ("all", {}),
    ("snoozed", {"snoozed": "true"}),
    ("status new", {"status": "new"}),
    ("status urgent", {"status": "urgent"}),
    ("status resolved", {"status": "resolved"}),
    ("channel sms", {"channel": "sms"}),
)
SORTS = ("activity", "urgency", "status")  # besides the default -activity, each on the inbox and on all


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the tenant


def api_call(info: dict[str, Any], token: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    url = urlsplit(info["api_url"])
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        connection.request(method, url.path + path, json.dumps(body) if body is not None else None, headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None
    finally:
        connection.close()


def create_tenant(info: dict[str, Any]) -> tuple[str, str]:
    """A tenant of the benchmark's own and its admin, in the stack's user pool: (tenant id, ID token)."""
    from benchmarks.page_load_seed import aws_client
    from local.seed import generate_password

    tenant_id = f"bench-pages-{secrets.token_hex(4)}"
    username, password = f"admin@{tenant_id}.example.com", generate_password()
    idp = aws_client(info, "cognito-idp")
    pool = info["user_pool_id"]
    idp.admin_create_user(
        UserPoolId=pool,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": username}, {"Name": "custom:tenant_id", "Value": tenant_id}],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool, Username=username, Password=password, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName="admin")
    answer = idp.initiate_auth(
        ClientId=info["user_pool_client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return tenant_id, answer["AuthenticationResult"]["IdToken"]


def must(answer: tuple[int, Any], what: str) -> Any:
    status, body = answer
    if not 200 <= status < 300:
        raise SystemExit(f"{what} answered {status}: {str(body)[:300]}")
    return body


@dataclass
class Prepared:
    tenant_id: str
    token: str
    pages: list[tuple[str, str]]  # (name, path under api_url)
    seeded: Any
    seed_seconds: float
    indexed: float | None  # seconds until the search found the seeded word, None if not within the wait


def prepare(info: dict[str, Any], conversations: int, index_wait: float) -> Prepared:
    from benchmarks.page_load_seed import LAST_WORD, SEARCH_WORD, seed

    tenant_id, token = create_tenant(info)
    me = must(api_call(info, token, "GET", "/me"), "GET /me")
    folders = {
        name: must(api_call(info, token, "POST", "/folders", {"name": name}), f"POST /folders {name}")["id"]
        for name in FOLDERS
    }
    hook = {"kind": "custom", "name": "Website contact form", "secret": secrets.token_urlsafe(32)}
    integration = must(api_call(info, token, "POST", "/integrations", hook), "POST /integrations")["id"]
    progress(f"seeding {conversations:,} conversations of {tenant_id} through the store")
    started = time.monotonic()
    users = [me["user_id"], "bench-user-2", "bench-user-3"]
    seeded = seed(info, tenant_id, conversations, user_ids=users, folder_ids=list(folders.values()),
                  integration_id=integration)  # fmt: skip
    seed_seconds = time.monotonic() - started
    progress(f"  {seeded.items:,} items in {seed_seconds:.0f} s; waiting for the search index (<= {index_wait:.0f} s)")
    started, indexed = time.monotonic(), None
    while time.monotonic() - started < index_wait:  # the last conversation written is indexed last
        status, body = api_call(info, token, "GET", "/search?" + urlencode({"q": LAST_WORD}))
        if status == 200 and body["items"]:
            indexed = time.monotonic() - started
            break
        time.sleep(2)
    today = datetime.now(UTC).date()
    stats = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
    pages = [(YARDSTICK, "/me"), ("GET /inbox/folders", "/folders")]
    for name, query in VIEWS:
        filled = {k: folders[v[1:-1]] if v.startswith("{") else v for k, v in query.items()}
        pages.append((f"GET /inbox/conversations {name}", "/conversations?" + urlencode(filled)))
    for view, query in (("inbox", {"folder": "inbox"}), ("all", {})):
        for sort in SORTS:
            pages.append(
                (f"GET /inbox/conversations {view} sort={sort}", "/conversations?" + urlencode(query | {"sort": sort}))
            )
    conversation, contact = seeded.busiest_conversation, seeded.busiest_contact
    pages += [
        ("GET /inbox/conversations/{id}", f"/conversations/{conversation}"),
        ("GET /inbox/conversations/{id}/history", f"/conversations/{conversation}/history"),
        ("GET /inbox/contacts/{id}", f"/contacts/{contact}"),
        ("GET /inbox/search?q=", "/search?" + urlencode({"q": SEARCH_WORD})),
        ("GET /inbox/stats (30 days)", "/stats?" + urlencode(stats)),
    ]
    return Prepared(tenant_id, token, pages, seeded, seed_seconds, indexed)


# ---------------------------------------------------------------- the load


@dataclass
class PageResult:
    times: list[float] = field(default_factory=list)  # seconds, 2xx answers
    errors: list[str] = field(default_factory=list)  # "status: body", other answers
    size: int = 0  # bytes of the last answer


def timed_get(host: str, port: int, path: str, token: str) -> tuple[float, int, bytes]:
    """(seconds, status, body) of one GET on a new connection; status 0 when there was no answer."""
    connection = http.client.HTTPConnection(host, port, timeout=60)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        body = response.read()
        return time.perf_counter() - started, response.status, body
    except (OSError, http.client.HTTPException) as error:
        return time.perf_counter() - started, 0, f"no answer: {error!r}".encode()
    finally:
        connection.close()


def run_load(
    info: dict[str, Any], prepared: Prepared, users: int, requests: int, seconds: float
) -> tuple[dict[str, PageResult], int, float]:
    """Every user takes rounds (one request of each page) until `requests` rounds are done or `seconds`
    have passed: (results by page, rounds done, seconds taken). A round is never cut in the middle."""
    url = urlsplit(info["api_url"])
    pages = prepared.pages
    results = {name: PageResult() for name, _ in pages}
    lock = threading.Lock()
    rounds = itertools.count()
    done = [0]

    def one_round(index: int, record: bool) -> None:
        shift = index % len(pages)
        for name, path in pages[shift:] + pages[:shift]:
            took, status, body = timed_get(url.hostname, url.port, url.path + path, prepared.token)
            if not record:
                continue
            with lock:
                result = results[name]
                result.size = len(body)
                if 200 <= status < 300:
                    result.times.append(took)
                else:
                    result.errors.append(f"{status}: {body[:200].decode(errors='replace')}")

    def user(number: int, deadline: float) -> None:
        one_round(number, record=False)  # the warm-up: each user's first round starts a function if needed
        barrier.wait()
        while time.monotonic() < deadline:
            with lock:
                index = next(rounds)
            if index >= requests:
                return
            one_round(index, record=True)
            with lock:
                done[0] += 1

    barrier = threading.Barrier(users + 1)
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=user, args=(n, deadline), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    return results, done[0], time.monotonic() - started


# ---------------------------------------------------------------- the report


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def report(
    prepared: Prepared, results: dict[str, PageResult], args: argparse.Namespace, rounds: int, took: float,
    load: tuple[float, float, float],
) -> bool:  # fmt: skip
    seeded = prepared.seeded
    print(f"Pages under load: {len(seeded.conversations):,} conversations, {seeded.messages:,} messages and "
          f"{len(seeded.contacts):,} contacts of one tenant, in the local stack")  # fmt: skip
    print(
        f"   seeded through the store in {prepared.seed_seconds:.0f} s; search index "
        + (f"caught up {prepared.indexed:.0f} s later" if prepared.indexed is not None else "NOT caught up")
    )
    print(f"   {args.users} concurrent users on loopback, {args.requests} requests per page, {len(results)} pages,"
          f" {rounds} rounds in {took:.1f} s (cap {args.seconds:.0f} s)")  # fmt: skip
    print(f"   load average before the load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
          f", after {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores\n")  # fmt: skip
    yard = results[YARDSTICK].times
    base50, base95 = (statistics.median(yard), p95(yard)) if yard else (math.nan, math.nan)
    print(f"   {'page':<48} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p50 x':>6} {'p95 x':>6}"
          f" {'bytes':>7}")  # fmt: skip
    ok = True
    for name, _ in prepared.pages:
        result = results[name]
        count = len(result.times) + len(result.errors)
        if result.times:
            p50_ms, p95_ms = statistics.median(result.times) * 1000, p95(result.times) * 1000
            ratios = f"{p50_ms / 1000 / base50:6.2f} {p95_ms / 1000 / base95:6.2f}"
            figures = f"{p50_ms:8.1f} {p95_ms:8.1f}"
        else:
            figures, ratios = f"{'-':>8} {'-':>8}", f"{'-':>6} {'-':>6}"
        print(f"   {name:<48} {count:>8} {len(result.errors):>6} {figures} {ratios} {result.size:>7}")
        ok = ok and not result.errors and count == args.requests
    print("\n   (x: the page's p50 and p95 over GET /inbox/me's in the same run; no goal is set for them)")
    for name, _ in prepared.pages:
        result = results[name]
        for error in sorted(set(result.errors))[:3]:
            print(f"   FAILED {name}: {error}")
        count = len(result.times) + len(result.errors)
        if count != args.requests:
            print(f"   COUNT OFF {name}: {count} requests, not {args.requests}"
                  + (" (stopped by --seconds)" if rounds < args.requests else ""))  # fmt: skip
    print(f"\n   every page answered 2xx, {args.requests} requests each   {'PASS' if ok else 'FAIL'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    from benchmarks.web_app import local_stack

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000, help="conversations seeded (1000)")
    # As many as the local stack runs instances of a function (local/pool.py): more would time the wait
    # for a free instance, the same for every page, rather than the page.
    parser.add_argument("--users", type=int, default=3, help="concurrent users (3)")
    parser.add_argument("--requests", type=int, default=20, help="requests per page (20)")
    parser.add_argument("--seconds", type=float, default=600, help="cap on the load's duration (600)")
    parser.add_argument("--index-wait", type=float, default=180, help="longest wait for the search index (180)")
    parser.add_argument("--stack-json", type=Path, help="a running local stack's stack.json (default: start one)")
    args = parser.parse_args(argv)
    with local_stack(args.stack_json) as info:
        prepared = prepare(info, args.conversations, args.index_wait)
        load = os.getloadavg()
        progress(f"load: {args.users} users, {args.requests} requests on each of {len(prepared.pages)} pages")
        results, rounds, took = run_load(info, prepared, args.users, args.requests, args.seconds)
    ok = report(prepared, results, args, rounds, took, load)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
