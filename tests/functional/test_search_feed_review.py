"""The search feed and indexer as the review of issue 14 found them wanting (search items 2, 4, 5, 9):
a long reply, a failed merge, a job nobody can read, a contact renamed."""

from __future__ import annotations

import pytest

from helpers.events import LambdaContext
from inbox import wiring
from inbox.adapters.queue import FifoQueue
from inbox.domain.search_documents import MAX_JOB_BYTES
from inbox.errors import TransientError
from inbox.models import Channel, InboundMessage, Party, Principal, Role

TENANT = "t-feed"
ADMIN = Principal(user_id="u1", tenant_id=TENANT, role=Role.ADMIN)


def inbound(n: int, text: str, **changes) -> InboundMessage:
    fields = dict(
        tenant_id=TENANT,
        integration_id="i1",
        channel=Channel.CUSTOM,
        external_id=f"m{n}",
        sender=Party(name=f"Client {n}", email=f"client{n}@example.com"),
        subject=f"Demande {n}",
        text=text,
        thread_key=f"m{n}",
    )
    return InboundMessage(**(fields | changes))


def found(query: str) -> set[str]:
    return {hit.conversation_id for hit in wiring.search().search(ADMIN, query, 100)[0]}


def test_a_long_reply_goes_to_the_queue_as_its_key_and_is_found_by_its_last_words(chain, monkeypatch):
    monkeypatch.setenv("INLINE_BODY_BYTES", "1000000")  # a reply keeps its text in the item
    wiring.reset()
    sizes: list[int] = []
    send = FifoQueue.send

    def spy(queue, jobs):
        sizes.extend(len(_body(job)) for job, _, _ in jobs)
        return send(queue, jobs)

    monkeypatch.setattr(FifoQueue, "send", spy)
    text = "Réponse détaillée à votre réclamation, élément par élément. " * 800 + "Zanzibar."  # ~48,000 chars
    conversation = chain.after(lambda: wiring.ingestor().ingest(inbound(1, text))).conversation_id
    assert sizes
    assert max(sizes) <= MAX_JOB_BYTES < 65_536  # SearchQueue refuses a body past 64 KB
    assert found("zanzibar") == {conversation}


def _body(job) -> bytes:
    from inbox.adapters.queue import _body as encoded

    return encoded(job).encode()


class Spy:
    def __init__(self) -> None:
        self.took: list = []

    def take(self, writes) -> None:
        self.took.append(writes)


class Refused:
    def take(self, writes) -> None:
        raise TransientError("SQS refused 1 message(s)")


def test_a_search_feed_failure_keeps_the_batch_from_no_other_reader_and_fails_it(chain, aws, monkeypatch):
    from functions.events import app

    statistics, audit = Spy(), Spy()
    monkeypatch.setattr(wiring, "search_feed", lambda: Refused())
    monkeypatch.setattr(wiring, "statistics_recorder", lambda: statistics)
    monkeypatch.setattr(wiring, "audit_trail", lambda: audit)
    record = {
        "eventID": "e1",
        "eventName": "INSERT",
        "dynamodb": {"Keys": {"PK": {"S": "T#x#C#1"}, "SK": {"S": "CONV"}}, "ApproximateCreationDateTime": 1},
    }
    with pytest.raises(TransientError):  # Lambda reads the batch again ...
        app.publish_handler({"Records": [record]}, LambdaContext())
    assert len(statistics.took) == len(audit.took) == 1  # ... and the readers after the feed had it


class MergeFails:
    """The segments, but a merge fails (/tmp full, S3 down) after the batch's commit."""

    def __init__(self) -> None:
        self._segments = wiring.search_segments()

    def write(self, tenant_id, documents):
        return self._segments.write(tenant_id, documents)

    def merge(self, tenant_id, segments, forgotten):
        raise OSError("No space left on device")


def test_a_merge_that_fails_after_the_commit_leaves_the_batch_done(aws):
    from inbox.domain.search_documents import message_job
    from inbox.domain.search_manifest import MAX_SEGMENTS
    from inbox.services.search_indexer import SearchIndexer

    indexer = SearchIndexer(wiring.store(), MergeFails(), wiring.blobs(), wiring.purge_queue)
    ids = []
    for n in range(MAX_SEGMENTS + 2):  # past the merge threshold: every later batch plans a merge
        stored = wiring.ingestor().ingest(inbound(n, f"commande numéro {n}"))
        [message] = wiring.store().get_messages(TENANT, stored.conversation_id, 10)[0]
        indexer.index(TENANT, [message_job(message)])  # no exception: SQS does not give it again
        ids.append(stored.conversation_id)
    assert len(wiring.store().get_search_manifest(TENANT).segments) == MAX_SEGMENTS + 2  # each batch once
    assert found("commande") == set(ids)


def test_a_conversation_is_found_by_its_contacts_new_name_email_and_phone(chain):
    conversation = wiring.store().get_conversation(
        TENANT, chain.after(lambda: wiring.ingestor().ingest(inbound(1, "rien à signaler"))).conversation_id
    )
    changes = {"name": "Zéphyrine Obradović", "emails": ["zephyrine@atelier.example"], "phones": ["+33698765432"]}
    chain.after(lambda: wiring.contacts().change(ADMIN, conversation.contact_id, changes))
    for query in ("zephyrine", "obradovic", "zephyrine@atelier.example", "0698765432"):
        assert found(query) == {conversation.id}, query
    assert found("client") == {conversation.id}  # its messages still name it as they did


def test_a_tenants_index_is_built_again_by_the_reindex_command(chain, aws):
    from inbox.adapters.queue import FifoQueue
    from inbox.services.search_reindex import reindex_tenant

    before = [wiring.ingestor().ingest(inbound(n, f"message d'avant numéro {n}")) for n in range(3)]
    assert found("avant") == set()  # stored before search: never indexed
    queue = FifoQueue(aws.sqs, aws.search_queue_url)
    assert reindex_tenant(wiring.store(), queue, TENANT, "run1") == 6  # 3 conversations, 3 messages
    chain.index()
    assert found("avant") == {stored.conversation_id for stored in before}


def test_the_admin_command_reindexes_a_tenant(chain, aws, capsys):
    from inbox.admin import main

    stored = wiring.ingestor().ingest(inbound(1, "message oublié"))
    assert main(["reindex", "--tenant", TENANT]) == 0
    assert "2 search jobs queued" in capsys.readouterr().out
    chain.index()
    assert found("oublie") == {stored.conversation_id}
