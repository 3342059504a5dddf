"""The search index's commit point and merges under moto (issue 14, item 1): two index updates at once
lose nothing, merges keep every result, replaced segments go to the purge worker only after readers
are done with them, and the indexer's sample event runs."""

from __future__ import annotations

import json

from helpers.events import LambdaContext, load_event
from inbox import wiring
from inbox.adapters.queue import WorkQueue
from inbox.domain.search_documents import message_job
from inbox.domain.search_manifest import MAX_SEGMENTS, RETIRED_GRACE
from inbox.models import Channel, InboundMessage, Party, Principal, Role
from inbox.services.search_indexer import SearchIndexer

TENANT = "t-commits"
ADMIN = Principal(user_id="u1", tenant_id=TENANT, role=Role.ADMIN)


def inbound(n: int, text: str) -> InboundMessage:
    return InboundMessage(
        tenant_id=TENANT,
        integration_id="i1",
        channel=Channel.CUSTOM,
        external_id=f"m{n}",
        sender=Party(email=f"client{n}@example.com"),
        subject=f"Demande {n}",
        text=text,
        thread_key=f"m{n}",
    )


def found(query: str) -> set[str]:
    return {hit.conversation_id for hit in wiring.search().search(ADMIN, query, 100)[0]}


class CommitsMeanwhile:
    """The store, but before its first commit another indexer commits: a deterministic race."""

    def __init__(self, meanwhile):
        self._store = wiring.store()
        self._meanwhile = meanwhile
        self.conflicts = 0

    def get_search_manifest(self, tenant_id):
        return self._store.get_search_manifest(tenant_id)

    def commit_search_manifest(self, manifest):
        if self._meanwhile:
            other, self._meanwhile = self._meanwhile, None
            other()  # it read the same version and commits first
        try:
            return self._store.commit_search_manifest(manifest)
        except Exception:
            self.conflicts += 1
            raise


def indexer(manifests) -> SearchIndexer:
    return SearchIndexer(manifests, wiring.search_segments(), wiring.blobs(), wiring.purge_queue)


def test_two_index_updates_at_once_lose_nothing(aws):
    first = wiring.ingestor().ingest(inbound(1, "une commande de chaussures"))
    second = wiring.ingestor().ingest(inbound(2, "une commande de chapeaux"))
    [one] = wiring.store().get_messages(TENANT, first.conversation_id, 10)[0]
    [two] = wiring.store().get_messages(TENANT, second.conversation_id, 10)[0]
    racing = CommitsMeanwhile(lambda: indexer(wiring.store()).index(TENANT, [message_job(two)]))

    indexer(racing).index(TENANT, [message_job(one)])

    assert racing.conflicts == 1  # its first commit lost the race, read again, committed on top
    manifest = wiring.store().get_search_manifest(TENANT)
    assert (manifest.version, len(manifest.segments)) == (2, 2)
    assert found("commande") == {first.conversation_id, second.conversation_id}
    assert found("chaussures") == {first.conversation_id}


def test_merges_keep_every_result_and_drop_what_was_deleted(chain, aws):
    ids = [
        chain.after(lambda n=n: wiring.ingestor().ingest(inbound(n, f"commande numéro {n}"))).conversation_id
        for n in range(MAX_SEGMENTS + 4)
    ]
    deleted = ids[0]
    chain.after(lambda: wiring.conversation_deletion().delete(ADMIN, deleted))
    manifest = wiring.store().get_search_manifest(TENANT)
    assert len(manifest.segments) <= MAX_SEGMENTS  # merged on the way
    assert found("commande") == set(ids) - {deleted}
    assert found("numero 5") == {ids[5]}


def test_replaced_segments_go_to_the_purge_worker_only_after_the_readers_grace(chain, aws, monkeypatch):
    queued: list[tuple[dict, int]] = []
    send = WorkQueue.send

    def spy(queue, jobs, delay_seconds=0):
        queued.extend((job.model_dump(mode="json"), delay_seconds) for job in jobs)
        return send(queue, jobs, delay_seconds)

    monkeypatch.setattr(WorkQueue, "send", spy)
    for n in range(MAX_SEGMENTS + 1):
        chain.after(lambda n=n: wiring.ingestor().ingest(inbound(n, f"commande {n}")))
    manifest = wiring.store().get_search_manifest(TENANT)
    purged = [(job, delay) for job, delay in queued if job["job"] == "purge_blobs"]
    replaced = {key for job, _ in purged for key in job["keys"]}
    assert replaced  # a merge happened, and what it replaced was queued for removal ...
    assert not replaced & {s.key for s in manifest.segments}  # ... none of what the manifest names ...
    assert {delay for _, delay in purged} == {int(RETIRED_GRACE.total_seconds())}  # ... for after the grace
    assert replaced <= set(aws.object_keys())  # still there for a reader that read the manifest before
    assert len(found("commande")) == MAX_SEGMENTS + 1


def test_the_indexers_sample_event_runs_and_a_malformed_job_is_acknowledged_not_failed(aws):
    from functions.search_indexer import app

    conversation = wiring.ingestor().ingest(inbound(1, "rien"))
    event = load_event(
        "search_indexer/index_jobs.json",
        TENANT_ID=TENANT,
        CONVERSATION_ID=conversation.conversation_id,
        MESSAGE_ID=conversation.message_id,
        DELETED_ID="gone",
    )
    assert app.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    assert found("probleme commandes") == {conversation.conversation_id}
    assert wiring.store().search_tombstones(TENANT) == {"gone"}

    good, forget = event["Records"]
    other_tenant = json.loads(good["body"]) | {"tenant_id": "t-else"}
    event["Records"] = [
        good | {"body": json.dumps({"job": "index", "tenant_id": TENANT})},
        forget,
        good
        | {
            "messageId": "else",
            "body": json.dumps(other_tenant),
            "attributes": good["attributes"] | {"MessageGroupId": "t-else"},
        },
    ]
    answer = app.lambda_handler(event, LambdaContext())
    # Unreadable, it never will be: logged and acknowledged, and the jobs behind it in its group go on
    # (failed, they went to the dead-letter queue with it; issue 14 review, search item 5).
    assert answer == {"batchItemFailures": []}
    assert wiring.store().get_search_manifest(TENANT).version == 2  # the forget job behind it committed
    assert wiring.store().get_search_manifest("t-else").version == 1  # another tenant's group goes on
