"""Search cases the review of issue 14 found untested (search item 11): an edited message is found by
its new words and no longer by its old ones; a conversation found by its contact's name alone; the
index read is the caller's tenant's, by keys built from `who.tenant_id` only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from helpers.search import SearchChain
from inbox import wiring
from inbox.adapters.dynamodb.conversations import MessageItem
from inbox.domain.search_manifest import SegmentRef
from inbox.domain.search_text import match_expression
from inbox.models import Channel, InboundMessage, Party, Principal, Role

TENANT = "t-cases"
OTHER = "t-cases-other"
ADMIN = Principal(user_id="u1", tenant_id=TENANT, role=Role.ADMIN)


def ingest(chain: SearchChain, n: int, **changes) -> str:
    fields = dict(
        tenant_id=TENANT,
        integration_id="i1",
        channel=Channel.CUSTOM,
        external_id=f"m{n}",
        sender=Party(name=f"Client {n}", email=f"client{n}@example.com"),
        subject="Question",
        text="Bonjour, une question sur ma facture.",
        thread_key=f"m{n}",
    )
    return chain.after(lambda: wiring.ingestor().ingest(InboundMessage(**(fields | changes)))).conversation_id


def found(query: str) -> set[str]:
    return {hit.conversation_id for hit in wiring.search().search(ADMIN, query, 100)[0]}


def test_an_edited_message_is_found_by_its_new_words_and_not_by_its_old_ones(chain, aws):
    conversation = ingest(chain, 1, text="Le colis est arrivé cabossé.")
    [message] = wiring.store().get_messages(TENANT, conversation, 10)[0]
    pk, sk = MessageItem.primary_key(message)
    assert found("cabosse") == {conversation}

    def edit() -> None:
        aws.dynamodb.update_item(
            TableName=aws.table,
            Key={"PK": {"S": pk}, "SK": {"S": sk}},
            UpdateExpression="SET #text = :text",
            ExpressionAttributeNames={"#text": "text"},
            ExpressionAttributeValues={":text": {"S": "Le colis est finalement arrivé intact."}},
        )

    chain.after(edit)
    assert found("intact") == {conversation}
    assert found("cabosse") == set()


def test_a_conversation_is_found_by_its_contacts_name_alone(chain):
    conversation = ingest(chain, 1, sender=Party(name="Philomène Zabaleta", email="p@example.com"))
    ingest(chain, 2)
    assert found("zabaleta") == {conversation}
    assert found("philomene") == {conversation}


def test_the_index_read_is_the_callers_tenants_by_keys_built_from_its_id(chain):
    ingest(chain, 1)
    asked: list[str] = []
    store = wiring.store()

    class Spy:
        def get_search_manifest(self, tenant_id):
            asked.append(tenant_id)
            return store.get_search_manifest(tenant_id)

    from inbox.services.search import Search

    search = Search(Spy(), wiring.search_segments(), store, lambda: datetime.now(UTC))
    search.search(ADMIN, "facture", 25)
    assert asked == [TENANT]  # the manifest's key: the caller's tenant, nothing the request says
    theirs = SegmentRef(f"{OTHER}/search/seg-x.db", 1, 1)
    with pytest.raises(PermissionError):  # a segment key of another tenant is never opened
        wiring.search_segments().candidates(TENANT, [theirs], match_expression("facture"), datetime.now(UTC), 10)
