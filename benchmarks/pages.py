"""Pages as the tenant grows (issue 15, item 3): DynamoDB requests and items read per API page.

    .venv/bin/python -m benchmarks.pages [--sizes 1000,10000,100000] [--limit 25] [--days 365]

For each size, under moto with the table, bucket and queues built from template.yaml, a tenant of that
many conversations is loaded through the store's item builders (benchmarks/page_data.py: messages,
folders, statuses, assignees, contacts with history, some unread and snoozed, statistics counters and a
search index as the stream's readers leave them). Then each page is asked of the API function's handler
with an API Gateway event (as the web app asks it, signed in as the tenant's admin): the conversation
list in each view (all, the inbox folder, mine, unassigned, each status, a folder, a channel, snoozed)
in each sort order, a conversation's detail and its earlier messages, a contact's history, search
(words, and words within a view), statistics (a week by day), the folders with their counters, and
`/me`. Each page is asked twice and the second answer counts (a warm instance: the first may fill
caches; the search index's first download is printed apart). Every request botocore sends is counted:
DynamoDB by operation with the items it read (a Query's ScannedCount, what it is billed for; a
GetItem's item; a BatchGetItem's items), and S3 by operation.

Goal: for every page, the same requests and the same items read at every size (PASS), else FAIL naming
the page. The tenant is the same shape at every size (page_data.py), so a page that differs reads more
because the table holds more.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

VIEWS = {
    "all": "",
    "inbox folder": "folder=inbox",
    "mine": "assignee=me",
    "unassigned": "assignee=none",
    **{f"status {s}": f"status={s}" for s in ("new", "open", "resolved", "archived", "spam", "urgent")},
    "folder orders": "folder=orders",
    "channel sms": "channel=sms",
    "snoozed": "snoozed=true",
}
SORTS = ("-activity", "activity", "urgency", "status")
SEARCH = "commande livraison"


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@dataclass
class Cost:
    """What one page cost: requests by service and operation, items read and returned (DynamoDB)."""

    requests: Counter[str] = field(default_factory=Counter)
    items_read: int = 0
    items_returned: int = 0

    def key(self) -> tuple[Any, ...]:
        return (tuple(sorted(self.requests.items())), self.items_read, self.items_returned)

    def text(self) -> str:
        dynamodb = {op.split(":")[1]: n for op, n in self.requests.items() if op.startswith("dynamodb:")}
        s3 = {op.split(":")[1]: n for op, n in self.requests.items() if op.startswith("s3:")}
        parts = [f"{sum(dynamodb.values())} ({', '.join(f'{n} {op}' for op, n in sorted(dynamodb.items()))})"]
        parts.append(f"{self.items_read} read / {self.items_returned} returned")
        if s3:
            parts.append("S3 " + ", ".join(f"{n} {op}" for op, n in sorted(s3.items())))
        return " · ".join(parts)


class Requests:
    """Every request botocore sends through the given clients, and the DynamoDB items each read."""

    def __init__(self, clients: dict[str, Any]):
        self.cost = Cost()
        for service, client in clients.items():
            client.meta.events.register(f"before-send.{service}", functools.partial(self._sent, service))
            if service == "dynamodb":
                client.meta.events.register("after-call.dynamodb", self._read)

    def _sent(self, service: str, event_name: str, **_: Any) -> None:
        self.cost.requests[f"{service}:{event_name.rsplit('.', 1)[-1]}"] += 1

    def _read(self, parsed: dict[str, Any], **_: Any) -> None:
        returned = len(parsed.get("Items") or []) + (1 if parsed.get("Item") else 0)
        responses = parsed.get("Responses") or {}
        returned += sum(len(v) for v in responses.values()) if isinstance(responses, dict) else len(responses)
        self.cost.items_returned += returned
        self.cost.items_read += parsed.get("ScannedCount", returned)

    def take(self) -> Cost:
        cost, self.cost = self.cost, Cost()
        return cost


def api(path: str) -> Any:
    from functions.api.app import lambda_handler
    from helpers.events import LambdaContext, api_request

    response = lambda_handler(api_request("GET", path), LambdaContext())
    if response["statusCode"] != 200:
        raise SystemExit(f"GET {path}: {response['statusCode']} {response['body'][:300]}")
    body = response["body"]
    return json.loads(body) if response["headers"].get("Content-Type", "").startswith("application/json") else body


def pages(loaded: Any, limit: int) -> dict[str, str]:
    """Each page's path (GET /inbox...) by name; a list of `limit` items where the page is a list."""
    today = loaded.now.date()
    found = {}
    for view, query in VIEWS.items():
        for sort in SORTS:
            found[f"list: {view}, sort {sort}"] = f"/conversations?{query}&sort={sort}&limit={limit}".replace("?&", "?")
    return found | {
        "detail (latest messages)": f"/conversations/{loaded.detail_id}",
        "detail (earlier messages)": f"/conversations/{loaded.detail_id}?before=",  # the cursor added when read
        "contact history": f"/contacts/{loaded.loyal_contact_id}?limit={limit}",
        "contacts found by name": f"/contacts?q=jean&limit={limit}",
        "search: words": f"/search?q={quote(SEARCH)}&limit={limit}",
        "search: words in a view": f"/conversations?q={quote(SEARCH)}&status=open&limit={limit}",
        "statistics: a week by day": f"/stats?from={today - timedelta(days=6)}&to={today}&granularity=day",
        "folders with counters": "/folders",
        "notifications": f"/notifications?limit={limit}",
        "me": "/me",
    }


def measure(size: int, limit: int, days: int, direct: bool = True) -> tuple[Any, dict[str, Cost], Cost]:
    """Load a tenant of `size` in a fresh moto account; each page's cost, and the cold search's."""
    from benchmarks.moto_tenant import moto_account
    from benchmarks.page_data import load
    from inbox import wiring

    with moto_account():
        progress(f"loading {size:,} conversations ...")
        loaded = load(size, days=days, direct=direct)
        progress(f"  {sum(loaded.items.values()):,} items in {loaded.seconds:.0f} s: {dict(loaded.items)}")
        _forget_cached_segments()
        cold = Cost()
        requests = Requests({s: wiring.client(s) for s in ("dynamodb", "s3")})
        costs: dict[str, Cost] = {}
        started = time.perf_counter()
        with partitions_indexed():
            for name, path in pages(loaded, limit).items():
                if name == "detail (earlier messages)":
                    path += quote(api(f"/conversations/{loaded.detail_id}")["earlier_messages"])
                requests.take()
                api(path)
                first = requests.take()
                cold = first if name == "search: words" else cold
                api(path)
                costs[name] = requests.take()
        progress(f"  {len(costs)} pages, each twice, in {time.perf_counter() - started:.0f} s")
    return loaded, costs, cold


@contextlib.contextmanager
def partitions_indexed() -> Iterator[None]:
    """moto answers a Query by sorting every item of the table (`Table.all_items`), then keeping those
    of the partition asked: seconds a Query at 100,000 conversations, the same for any page. Here its
    Query is given the items of that partition alone (by the table's or the index's partition key,
    mapped once, mapped again after any write), which is what it would keep: the same answer, the
    same ScannedCount and LastEvaluatedKey, in milliseconds."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    maps: dict[tuple[int, str], dict[str, list[Any]]] = {}
    original_query = Table.query
    writes = ("put_item", "update_item", "delete_item", "transact_write_items", "batch_write_item")
    originals = {name: getattr(DynamoDBBackend, name) for name in writes}

    def items_of(table: Any, attribute: str, value: Any) -> list[Any]:
        mapped = maps.get((id(table), attribute))
        if mapped is None:
            mapped = maps[(id(table), attribute)] = {}
            for partition in table.items.values():
                for item in partition.values():
                    found = item.attrs.get(attribute)
                    if found is not None:
                        mapped.setdefault(found.value, []).append(item)
        return mapped.get(value.value, [])

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name:
            attribute, value = kwargs["hash_key_conditions"][0]
            candidates = items_of(self, attribute, value)
        else:
            candidates = list(self.items.get(hash_key, {}).values())
        self.all_items = lambda: list(candidates)  # this call only: the instance's attribute hides the method
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    def forgetting(name: str) -> Any:
        def write(self: Any, *args: Any, **kwargs: Any) -> Any:
            maps.clear()
            return originals[name](self, *args, **kwargs)

        return write

    Table.query = query
    for name in writes:
        setattr(DynamoDBBackend, name, forgetting(name))
    try:
        yield
    finally:
        Table.query = original_query
        for name, method in originals.items():
            setattr(DynamoDBBackend, name, method)


def _forget_cached_segments() -> None:
    """The loader's segment is in this process's /tmp cache: a first search downloads it, as a cold instance."""
    from inbox import wiring

    segments = wiring.search_segments()
    for ref in wiring.store().get_search_manifest("tenant-sample").segments:
        path = segments._path(ref.key)
        if os.path.exists(path):
            os.remove(path)


def bounds(limit: int) -> dict[str, tuple[int, int]]:
    """The pages whose cost may differ between sizes and still not grow with the table: (requests,
    items read) at most, whatever the table holds. A list by status reads one group (a status) after the
    other, each filtered by the view: a thin group, or a small tenant, ends sooner (the store's rounds
    are its bound). A search within a view reads ahead among the ranked hits until the page is full (the
    reader's MAX_READS is its bound). Statistics read each person's days: a person idle on a day has no
    item that day (the tenant's people are its bound, not its conversations). The folders and the
    notifications read the person's unread count: an item per expiry day that has unread notifications."""
    from benchmarks.page_data import FOLDER_CYCLE, FOLDERS, PEOPLE
    from inbox.adapters.dynamodb.conversations import STATUS_ORDER
    from inbox.adapters.dynamodb.table import MAX_QUERY_ROUNDS
    from inbox.services.notifications import KEPT_FOR
    from inbox.services.search import MAX_LIMIT, MAX_READS

    by_status = MAX_QUERY_ROUNDS + len(STATUS_ORDER) - 1
    found = {f"list: {view}, sort status": (by_status, by_status * limit) for view in VIEWS}
    found["search: words in a view"] = (1 + -(-MAX_READS // min(MAX_LIMIT, 2 * limit)), 1 + MAX_READS)
    found["statistics: a week by day"] = (4, 1 + 7 * (2 + len(PEOPLE)))  # settings; the days, people's, AI's
    # The unread notifications' count: an item per expiry day among the 90 days kept (+2: the TTL's lag).
    unread_days = KEPT_FOR.days + 2
    counters = len(set(FOLDER_CYCLE)) + 2  # each folder's (inbox, automated and the tenant's), Mine's, Unassigned's
    found["folders with counters"] = (5, len(FOLDERS) + counters + unread_days)
    found["notifications"] = (2, limit + unread_days)
    return found


def report(
    sizes: list[int], results: dict[int, dict[str, Cost]], colds: dict[int, Cost], limit: int
) -> tuple[list[str], bool]:
    """The report's lines, and whether every page passed: PASS, the same at every size; BOUNDED, not
    the same but within the page's bound (`bounds`) at every size; FAIL otherwise."""
    lines = ["## DynamoDB requests and items read per API page, as the tenant grows\n"]
    lines.append("| page | " + " | ".join(f"{s:,} conversations" for s in sizes) + " | verdict |")
    lines.append("|---|" + "---|" * len(sizes) + "---|")
    limits = bounds(limit)
    verdicts: dict[str, str] = {}
    for name in results[sizes[0]]:
        costs = [results[s][name] for s in sizes]
        if len({c.key() for c in costs}) == 1:
            verdicts[name] = "PASS"
        elif name in limits and all(_within(c, *limits[name]) for c in costs):
            verdicts[name] = "BOUNDED (at most {} requests, {} items)".format(*limits[name])
        else:
            verdicts[name] = "FAIL"
        lines.append(f"| {name} | " + " | ".join(c.text() for c in costs) + f" | {verdicts[name]} |")
    lines.append("")
    lines.append(
        "First search of a cold instance (the index downloaded to /tmp once, then reused): "
        + "; ".join(f"{s:,}: {colds[s].text()}" for s in sizes)
    )
    lines.append("")
    at = ", ".join(f"{s:,}" for s in sizes)
    failed = [name for name, verdict in verdicts.items() if verdict == "FAIL"]
    bounded = [name for name, verdict in verdicts.items() if verdict.startswith("BOUNDED")]
    lines += [f"FAIL: {name}: not the same at {at} conversations, and not bounded" for name in failed]
    same = len(verdicts) - len(failed) - len(bounded)
    lines.append(
        f"{'FAIL' if failed else 'PASS'}: {same} of {len(verdicts)} pages cost the same requests and items "
        f"at {at} conversations; {len(bounded)} within their bound; {len(failed)} failed"
    )
    return lines, not failed


def _within(cost: Cost, requests: int, items: int) -> bool:
    return sum(cost.requests.values()) <= requests and cost.items_read <= items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="conversations in the table, comma-separated")
    parser.add_argument("--limit", type=int, default=25, help="items per page (the API's default: 25)")
    parser.add_argument("--days", type=int, default=365, help="the conversations spread over this many days")
    parser.add_argument("--batch-writes", action="store_true", help="load by BatchWriteItem (slow under moto)")
    options = parser.parse_args(argv)
    sizes = [int(s) for s in options.sizes.split(",") if s]
    results, colds = {}, {}
    for size in sizes:
        _, results[size], colds[size] = measure(size, options.limit, options.days, not options.batch_writes)
    lines, passed = report(sizes, results, colds, options.limit)
    print(
        f"Goal: each page the same requests and items read at {', '.join(f'{s:,}' for s in sizes)} conversations "
        f"(pages of {options.limit}, the second call of each: a warm instance)\n"
    )
    print("\n".join(lines))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
