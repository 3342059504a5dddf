"""Search benchmark (issue 14, item 1, "Speed and cost"): latency, index size, indexer cost.

    .venv/bin/python -m benchmarks.search [--sizes 10000,200000] [--indexed 1000] [--runs 15]

Under moto, with the table, bucket and queues built from template.yaml:

1. Latency: for each size, a tenant's index of that many messages is written straight through the
   index adapter (SearchSegments.write, then one commit of the manifest: building 200,000 through the
   API would take hours under moto), over `--conversations` conversations stored as ingest stores them.
   Then `GET /inbox/search?q=...` (the API handler, the reader, the segments from the /tmp cache) for
   a common word, a rare one, a prefix, a phrase and a phone number, against a warm
   `GET /inbox/conversations` page in the same run: the median of `--runs` each, as a ratio.
2. Index size per message: the segment's bytes over its messages, at each size.
3. Indexer cost per 1,000 messages: `--indexed` messages' jobs go the real way, the feed
   (SearchFeed.take, as EventsFunction runs it) -> SearchQueue -> IndexerFunction's handler, in
   batches of 10 (a burst: FIFO's largest batch) and of 1 (a trickle: every message its own batch);
   a third of the messages keep their body in S3. Every request botocore sends is counted by service
   and operation, with the bytes sent and received; SQS's receive and delete are Lambda's event source
   (not ours to count: one each per batch, added as such). Merges are in the counts; the /tmp cache of
   a warm indexer is this process's.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

TENANT = "tenant-sample"  # the sample admin's (events/api/*.json)
WORDS = (  # noqa: SIM905 (read as text)
    "bonjour merci commande livraison colis retard remboursement facture adresse problème échange taille "
    "couleur article produit paiement carte virement délai réponse service client magasin retour étiquette "
    "hello thanks order delivery parcel refund invoice address issue exchange size colour item payment "
    "card transfer reply customer store return label tracking number shipping cancelled damaged broken "
    "semaine lundi mardi demain hier urgent possible vraiment toujours jamais encore déjà très bien"
).split()
QUERIES = {
    "common word": "commande",
    "rare word": "zanzibar",
    "prefix (3 letters)": "rem",
    "two words": "colis retard",
    "phrase": '"numéro de suivi"',
    "phone, spaced": "06 12 34 56 78",
}


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def documents(count: int, conversation_ids: list[str], seed: int) -> list[Any]:
    """`count` messages' documents, deterministic: 20-80 words each, a phrase in one in ten, a rare
    word in one in a thousand, a phone number in one in a hundred, spread over a year."""
    from inbox.domain.search_text import SearchDocument, phone_forms

    rng = random.Random(seed)  # noqa: S311 (made-up text, the same in every run)
    now = datetime.now(UTC)
    found: list[SearchDocument] = []
    for n in range(count):
        words = rng.choices(WORDS, k=rng.randint(20, 80))
        if n % 10 == 0:
            words[5:5] = ["voici", "mon", "numéro", "de", "suivi"]
        if n % 1000 == 7:
            words.append("zanzibar")
        phones = " ".join(phone_forms("+33612345678" if n % 100 == 3 else f"+336{n:08d}"))
        found.append(
            SearchDocument(
                doc_id=f"m:bench-{n}",
                conversation_id=conversation_ids[n % len(conversation_ids)],
                message_id=f"bench-{n}",
                at=now - timedelta(minutes=rng.randint(0, 525_600)),
                subject=" ".join(rng.choices(WORDS, k=4)).capitalize(),
                text=" ".join(words),
                contact=rng.choice(("Élodie Martin", "Jean Dupont", "Amélie Durand", "John Smith")),
                emails=f"client{n % 5000}@example.com",
                phones=phones,
            )
        )
    return found


def build_index(size: int, conversation_ids: list[str]) -> tuple[int, float]:
    """The tenant's index of `size` messages in one segment, committed; its bytes and the seconds it took."""
    from inbox import wiring
    from inbox.domain.search_manifest import SearchManifest

    started = time.perf_counter()
    segment = wiring.search_segments().write(TENANT, documents(size, conversation_ids, seed=size))
    store = wiring.store()
    current = store.get_search_manifest(TENANT)
    store.commit_search_manifest(SearchManifest(TENANT, current.version, (segment,)))
    return segment.size, time.perf_counter() - started


def median_ms(call, runs: int) -> float:
    call()  # warm: the segment in the /tmp cache, the connections open
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def api(path: str) -> Any:
    from functions.api.app import lambda_handler
    from helpers.events import LambdaContext, api_request

    response = lambda_handler(api_request("GET", path), LambdaContext())
    if response["statusCode"] != 200:
        raise SystemExit(f"GET {path}: {response['statusCode']} {response['body'][:300]}")
    return json.loads(response["body"])


def index_alone(query: str) -> None:
    """What the reader does in the segments (no DynamoDB): the best documents, and 25 passages."""
    from inbox import wiring
    from inbox.domain.search_text import match_expression
    from inbox.services.search import CANDIDATES

    segments = wiring.search_segments()
    manifest = wiring.store().get_search_manifest(TENANT)
    match = match_expression(query)
    best = segments.candidates(TENANT, manifest.segments, match, datetime.now(UTC), CANDIDATES)
    for candidate in best[:25]:
        segments.snippet(TENANT, candidate, match)


def store_conversations(count: int) -> list[str]:
    """Conversation items as the store writes them (its views' keys), each by a plain PutItem: moto
    copies the table for every transaction, which makes thousands of them slow and large."""
    from inbox import wiring
    from inbox.adapters.dynamodb.conversations import ConversationItem
    from inbox.adapters.dynamodb.table import marshal
    from samples import sample_conversation

    client, table = wiring.client("dynamodb"), os.environ["TABLE_NAME"]
    now = datetime.now(UTC)
    ids = []
    for n in range(count):
        conversation = sample_conversation(
            id=f"bench-c{n:05d}", tenant_id=TENANT, contact_id=f"k{n}", last_activity_at=now - timedelta(minutes=n)
        )
        client.put_item(TableName=table, Item=marshal(ConversationItem.of(conversation, 1)))
        ids.append(conversation.id)
    return ids


def latency(sizes: list[int], conversations: int, runs: int) -> tuple[list[str], list[str]]:
    from urllib.parse import quote

    progress(f"storing {conversations} conversations ...")
    ids = store_conversations(conversations)
    latency_rows, size_rows = [], []
    for size in sizes:
        progress(f"indexing {size:,} messages ...")
        size_bytes, seconds = build_index(size, ids)
        size_rows.append(f"| {size:,} | {size_bytes / 2**20:.1f} MB | {size_bytes / size:,.0f} B | {seconds:.0f} s |")
        page = median_ms(lambda: api("/conversations?limit=25"), runs)
        latency_rows.append(f"| {size:,} | warm `GET /inbox/conversations` (25) | {page:.1f} ms | 1.00 | |")
        for name, query in QUERIES.items():
            hits = len(api(f"/search?q={quote(query)}&limit=25")["items"])
            took = median_ms(lambda q=query: api(f"/search?q={quote(q)}&limit=25"), runs)
            index = median_ms(lambda q=query: index_alone(q), runs)
            latency_rows.append(
                f"| {size:,} | `{query}` ({name}, {hits} hits) | {took:.1f} ms | {took / page:.2f} | {index:.1f} ms |"
            )
    return latency_rows, size_rows


def _size(body: Any) -> int:
    return len(body) if isinstance(body, bytes | str) else 0


class Requests:
    """Every request botocore sends, by service and operation, and the bytes each way."""

    def __init__(self, clients: dict[str, Any]):
        self.counts: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.received: Counter[str] = Counter()
        for service, client in clients.items():
            client.meta.events.register(f"before-send.{service}", functools.partial(self._request, service))
            client.meta.events.register(f"after-call.{service}", functools.partial(self._response, service))

    def _request(self, service: str, request: Any, event_name: str, **_: Any) -> None:
        name = f"{service}:{event_name.rsplit('.', 1)[-1]}"
        self.counts[name] += 1
        # A streamed upload is sent aws-chunked: its size is in the decoded length's header.
        headers = request.headers
        length = headers.get("X-Amz-Decoded-Content-Length") or headers.get("Content-Length")
        self.sent[name] += int(length) if length else _size(request.body)

    def _response(self, service: str, http_response: Any, model: Any, **_: Any) -> None:
        # S3's header, not its content: reading a streamed body (get_object's) here would consume it.
        length = http_response.headers.get("content-length")
        size = int(length) if length else len(http_response.content or b"") if service != "s3" else 0
        self.received[f"{service}:{model.name}"] += size

    def reset(self) -> None:
        self.counts, self.sent, self.received = Counter(), Counter(), Counter()


def indexer_cost(messages: int, batch: int, requests: Requests) -> list[str]:
    """`messages` jobs through the feed, the queue and the indexer's handler, `batch` per invocation."""
    from functions.search_indexer.app import lambda_handler
    from helpers.events import LambdaContext
    from helpers.search import sqs_event
    from inbox import wiring
    from inbox.domain.events import ItemWrite
    from inbox.models import Channel, Direction, Message, Party

    tenant = f"bench-indexer-{batch}"
    blobs = wiring.blobs()
    rng = random.Random(batch)  # noqa: S311 (made-up text)
    writes = []
    for n in range(messages):
        text = " ".join(rng.choices(WORDS, k=rng.randint(20, 80)))
        body_key = None
        if n % 3 == 0:  # a long mail: its body in S3, as ingest keeps one past 4 KB
            body_key = blobs.put_json(f"{tenant}/bodies/{n}.json", {"text": (text + " ") * 12, "html": None})
        message = Message(
            id=f"m{n}",
            tenant_id=tenant,
            conversation_id=f"c{n // 3}",
            integration_id="i",
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            sender=Party(name="Élodie Martin", email=f"client{n}@example.com"),
            subject="Commande",
            text="" if body_key else text,
            body_key=body_key,
            received_at=datetime.now(UTC),
        )
        writes.append(ItemWrite(f"record-{batch}-{n}", datetime.now(UTC), tenant, "message", None, message))
    sqs = wiring.client("sqs")
    url = os.environ["SEARCH_QUEUE_URL"]
    requests.reset()
    for start in range(0, len(writes), 100):  # EventsFunction's stream batches
        wiring.search_feed().take(writes[start : start + 100])
    invocations = 0
    while True:
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=batch, AttributeNames=["All"])
        if not received.get("Messages"):
            break
        answer = lambda_handler(sqs_event(received["Messages"]), LambdaContext())
        if answer["batchItemFailures"]:
            raise SystemExit(f"the indexer failed: {answer}")
        for m in received["Messages"]:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        invocations += 1
    manifest = wiring.store().get_search_manifest(tenant)
    scale = 1000 / messages
    rows = [
        f"**batches of {batch}**: {invocations} indexer invocations, {len(manifest.segments)} segments at the end\n"
    ]
    rows += ["| requests per 1,000 messages | count | bytes sent | bytes received |", "|---|---|---|---|"]
    ours = {k: v for k, v in requests.counts.items() if not k.endswith((":ReceiveMessage", ":DeleteMessage"))}
    for name in sorted(ours):
        rows.append(
            f"| {name} | {ours[name] * scale:,.1f} | {requests.sent[name] * scale / 1024:,.1f} KB "
            f"| {requests.received[name] * scale / 1024:,.1f} KB |"
        )
    rows.append(f"| sqs: receive + delete (the event source) | {2 * invocations * scale:,.1f} | | |")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,200000", help="messages in the index, comma-separated")
    parser.add_argument("--conversations", type=int, default=1000, help="conversations the messages belong to")
    parser.add_argument("--indexed", type=int, default=1000, help="messages through the indexer for its cost (0: skip)")
    parser.add_argument("--runs", type=int, default=15, help="timed calls of each request (the median counts)")
    options = parser.parse_args(argv)
    sizes = [int(s) for s in options.sizes.split(",") if s]

    from benchmarks.moto_tenant import moto_account
    from inbox import wiring

    with moto_account():
        latency_rows, size_rows = latency(sizes, options.conversations, options.runs)
        # Each section as soon as it is measured: the last one takes minutes.
        print("## 1. Search latency, as a ratio to a warm conversation list page (same run, under moto)\n")
        print("| messages | request | median | ratio | of which the index |")
        print("|---|---|---|---|---|")
        print("\n".join(latency_rows))
        print("\n## 2. Index size per message\n")
        print("| messages | segment | per message | built in |")
        print("|---|---|---|---|")
        print("\n".join(size_rows), flush=True)
        print("\n## 3. Indexer cost per 1,000 messages (requests and bytes)\n")
        requests = Requests({s: wiring.client(s) for s in ("s3", "sqs", "dynamodb")})
        for batch in (10, 1) if options.indexed else ():
            progress(f"indexing {options.indexed} messages in batches of {batch} ...")
            print("\n".join(indexer_cost(options.indexed, batch, requests)) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
