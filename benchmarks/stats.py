"""Statistics benchmark (issue 14, item 2, "Speed and cost"): DynamoDB requests per statistics page.

    .venv/bin/python -m benchmarks.stats [--days 370] [--people 10]

Under moto, with the table built from template.yaml, a tenant's counters are written for `--days` days
of activity (every day: messages in four channels, conversations in five folders, each of `--people`
people replying, response times spread from a minute to a day; the `all` dimension only: a filtered
page reads its own partition the same way) summed by the recorder's own code
(`counter_items`) and put as `apply_counters` leaves them, and the AI's counters through `count_ai`. Then
`GET /inbox/stats`'s service reads a page of 7, 30 and 365 days at each granularity, and the
DynamoDB requests it makes are counted as botocore sends them (a Query's pages each count), with the
items and bytes read. moto answers a Query whole where DynamoDB stops a page at 1 MB: the requests on
AWS are estimated from each answer's size (its JSON, larger than DynamoDB counts: an upper bound).
Goal: by day (92 days at most a page), the same number of requests whatever the length; by week and by
month, a bound whatever the length (the totals cover exactly the range asked: the whole periods inside
and the days at either end, so a range that starts or ends inside a period reads those days too).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

TENANT = "bench-stats"
LENGTHS = {"day": (7, 30, 92), "week": (7, 30, 365), "month": (7, 30, 365)}  # by day: 92 days at most
# At most, by week or month: the settings, the periods, the dimension's days at either end, and the
# people's and the AI's whole periods and days at either end.
BOUND = 1 + 1 + 2 + 3 + 3
CHANNELS = ("email", "sms", "whatsapp", "custom")
FOLDERS = ("none", "orders", "returns", "billing", "support")
MIB = 1024 * 1024


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def seed(days: int, people: int, last: date) -> int:
    """`days` days of counters up to `last`; the counters items written."""
    from inbox import wiring
    from inbox.domain import stats_histogram
    from inbox.domain.stats_counting import Increment, counter_items
    from inbox.domain.stats_figures import usage_counters

    store = wiring.store()
    increments = []
    for offset in range(days):
        day = last - timedelta(days=offset)
        for n, channel in enumerate(CHANNELS):
            folder = FOLDERS[n % len(FOLDERS)]
            dimensions = ("all",)  # a filtered page reads its own partition the same way
            counters = {"in": 30, f"in:{channel}": 30, "out": 25, f"out:{channel}": 25, "created": 8, "resolved": 6}
            counters |= {f"created:channel:{channel}": 8, f"created:folder:{folder}": 8, "created:status:open": 8}
            for k, seconds in enumerate((60, 600, 3600, 5 * 3600, 86_400)):
                for name in ("frt.person", "rt.person", "frt.auto", "rt.auto", "res"):
                    for suffix in ("", ".bh"):
                        for key, value in stats_histogram.increments(name + suffix, seconds + k).items():
                            counters[key] = counters.get(key, 0) + value
            increments.append(Increment(day, counters, dimensions))
        for p in range(people):
            mine = {"replies": 12, "handled": 3}
            for seconds in (120, 1800, 7200):
                for name in ("frt.person", "rt.person"):
                    for key, value in stats_histogram.increments(name, seconds).items():
                        mine[key] = mine.get(key, 0) + value
            increments.append(Increment(day, mine, person=f"user-{p}"))
    items = sorted(counter_items(increments).items())  # each item written once, with its whole sums
    client = wiring.client("dynamodb")
    table = os.environ["TABLE_NAME"]
    for n in range(0, len(items), 25):  # put whole (moto copies its table in every transaction: slow here)
        puts = [{"PutRequest": {"Item": counters_item(at, counters)}} for at, counters in items[n : n + 25]]
        client.batch_write_item(RequestItems={table: puts})
    ai = usage_counters("gpt-4o-mini", 12_000, 9_000, 800) | {"classified:ai:orders": 20}
    for offset in range(0, days, 7):  # the AI's counters of a day a week (they are read like the others)
        store.count_ai(TENANT, last - timedelta(days=offset), ai)
    return len(items)


def counters_item(at: tuple[str, str, str, str], counters: dict[str, int]) -> dict[str, Any]:
    """The item `apply_counters` would leave for these counters (its keys, the counters as numbers)."""
    from inbox.adapters.dynamodb.statistics import _keys_of

    pk, sk = _keys_of(TENANT, at)
    return {"PK": {"S": pk}, "SK": {"S": sk}} | {name: {"N": str(value)} for name, value in counters.items()}


class Requests:
    """DynamoDB requests as botocore sends them (each page of a Query is one), and what they read."""

    def __init__(self, client: Any):
        self.counts: Counter[str] = Counter()
        self.items = 0
        self.bytes = 0
        self.pages_on_aws = 0  # moto answers a Query whole: DynamoDB stops a page at 1 MB
        self.on = False
        client.meta.events.register("before-parameter-build.dynamodb", self._sent)
        client.meta.events.register("after-call.dynamodb", self._read)

    def _sent(self, model: Any, **_: Any) -> None:
        if self.on:
            self.counts[model.name] += 1

    def _read(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if self.on:
            self.items += len(parsed.get("Items") or []) + (1 if parsed.get("Item") else 0)
            size = len(http_response.content or b"")
            self.bytes += size
            self.pages_on_aws += max(1, math.ceil(size / MIB)) if model.name == "Query" else 1

    @contextlib.contextmanager
    def measuring(self):
        self.counts, self.items, self.bytes, self.pages_on_aws, self.on = Counter(), 0, 0, 0, True
        try:
            yield self
        finally:
            self.on = False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=370, help="days of counters seeded (more than a year)")
    parser.add_argument("--people", type=int, default=10)
    options = parser.parse_args(argv)

    from benchmarks.moto_tenant import moto_account
    from inbox import wiring
    from inbox.domain.stats_periods import Granularity, StatsQuery

    last = datetime.now(UTC).date()
    with moto_account():
        progress(f"seeding {options.days} days of counters for {options.people} people ...")
        written = seed(options.days, options.people, last)
        progress(f"{written} counters items written")
        requests = Requests(wiring.client("dynamodb"))
        rows, verdicts = [], []
        for granularity in Granularity:
            counts = []
            for length in LENGTHS[granularity.value]:
                query = StatsQuery(last - timedelta(days=length - 1), last, granularity)
                with requests.measuring():
                    page = wiring.statistics().report(TENANT, query)
                total = sum(requests.counts.values())
                counts.append(requests.pages_on_aws)
                detail = ", ".join(f"{n} {op}" for op, n in sorted(requests.counts.items()))
                rows.append(
                    f"| {granularity.value} | {length} | {len(page['periods'])} | {total} ({detail}) "
                    f"| {requests.pages_on_aws} | {requests.items} | {requests.bytes / 1024:.0f} KB |"
                )
            verdicts.append((granularity.value, counts))

    print("## DynamoDB requests per statistics page (no filter; people and AI included)\n")
    print("| granularity | days | periods | requests (moto) | on AWS (1 MB a page) | items read | bytes read |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    failed = False
    for granularity, counts in verdicts:
        lengths = LENGTHS[granularity]
        if granularity == "day":
            good, goal = len(set(counts)) == 1, "constant"
        else:
            good, goal = max(counts) <= BOUND, f"at most {BOUND}"
        failed |= not good
        verdict = "PASS" if good else "FAIL"
        measured = " / ".join(map(str, counts))
        print(f"{verdict}: by {granularity}, {measured} requests on AWS for {lengths} days ({goal})")
    print(
        "\nBy day a page spans at most 92 days: one Query each of the dimension's, the people's and the AI's "
        "days. By week or month the totals read the days at either end of the range beside its whole periods."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
