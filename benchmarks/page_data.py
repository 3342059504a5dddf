"""A tenant of N conversations, loaded through the store's own item builders (issue 15, item 3).

    from benchmarks.page_data import load
    tenant = load(100_000)          # inside mock_aws(), the table built from template.yaml

Every item is the one the store writes, built by the store's own code: ConversationItem.of (its views'
keys), MessageItem.of, ContactItem.of and the identity pointers, a note's item_of, the folders, the
folder and assignee counters summed with `counter_deltas` (what each conversation's creation ADDs),
the statistics counters summed with `counter_items` (as the stream's recorder leaves them), and one
search segment with its manifest committed (as the indexer leaves them), the admin's notifications with
their unread counts (these three in page_data_derived.py). Nothing goes through the API and none of the
stream's readers run: they would take hours at 100,000.

The writes go in BatchWriteItem requests of 25 (`direct=False`), or, by default, straight into moto's
table: the same marshalled items, stored as moto's put_item stores them but without its size check,
which sums the whole item again for each attribute (about 5 ms a conversation's item: see _moto_table).

The tenant is deterministic and the same shape at every size: conversation n (0 the newest) is the same
at every size but for its time, conversations being spread evenly over `days` days. Its attributes
follow cycles of coprime lengths, so every view (each status, folder, assignee, channel, snoozed) holds
the same share of any run of conversations, at least one in 25: a page of 25 at 1,000 reads as many
items as at 100,000. Conversation 1 is a long thread (`LONG_THREAD` messages, some bodies in S3, notes);
a loyal contact has one conversation in eight (12,500 at 100,000).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

TENANT = "tenant-sample"  # the sample admin's (events/api/*.json), so the API handler's events need no change
ADMIN_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # their user id (`sub`): the "mine" view
PEOPLE = (ADMIN_ID, "user-b", "user-c", "user-d")
FOLDERS = ("orders", "returns", "billing")
LOYAL_CONTACT = "k-loyal"
DETAIL = "pc-0000001"  # the long thread
LONG_THREAD = 60  # messages in it: more than a page of the detail (50)
SEARCH_WORDS = (  # noqa: SIM905 (read as text)
    "bonjour merci commande livraison colis retard remboursement facture adresse échange taille couleur "
    "article produit paiement carte délai réponse magasin retour étiquette hello thanks order delivery parcel "
    "refund invoice address exchange size item payment tracking shipping damaged semaine demain urgent"
).split()

# Cycles of coprime lengths: every value is in every run of conversations at its share.
STATUS_CYCLE = ("new",) * 4 + ("open",) * 5 + ("resolved",) * 7 + ("archived",) * 2 + ("spam", "urgent")  # 20
FOLDER_CYCLE = (None, None, None, "orders", "returns", "billing", "automated")  # 7: None is the inbox
ASSIGNEE_CYCLE = (None, None, None, *PEOPLE, PEOPLE[0], PEOPLE[1])  # 9
CHANNEL_CYCLE = ("email",) * 6 + ("sms", "sms", "whatsapp", "whatsapp", "custom")  # 11
SNOOZE_EVERY = 23  # one in 23 conversations is snoozed
NOTE_EVERY = 6
NAMES = ("Élodie Martin", "Jean Dupont", "Amélie Durand", "John Smith", "Lucas Bernard", "Chloé Petit", "Sam Lee")


@dataclass(frozen=True)
class Loaded:
    """What `load` wrote: counts by kind, and the ids a benchmark asks pages about."""

    size: int
    items: Counter[str]
    seconds: float
    detail_id: str = DETAIL
    loyal_contact_id: str = LOYAL_CONTACT
    folder_id: str = FOLDERS[0]
    now: datetime | None = None


def conversation_id(n: int) -> str:
    return f"pc-{n:07d}"


def contact_id(n: int) -> str:
    return LOYAL_CONTACT if n % 8 == 3 else f"k-{n // 2:07d}"


def conversation_at(n: int, size: int, now: datetime, days: int) -> Any:
    """Conversation n of a tenant of `size`, its last activity spread evenly over `days` days."""
    from inbox.models import Channel, Conversation, Party, Status

    step = timedelta(days=days) / max(size, 1)
    last = now - step * n - timedelta(seconds=1)
    channel = Channel(CHANNEL_CYCLE[n % len(CHANNEL_CYCLE)])
    folder = FOLDER_CYCLE[n % len(FOLDER_CYCLE)]
    status = Status(STATUS_CYCLE[n % len(STATUS_CYCLE)])
    messages = LONG_THREAD if n == 1 else 1 + n % 4
    name = NAMES[(n // 2) % len(NAMES)]
    party = Party(name=name, email=_email(n)) if channel is Channel.EMAIL else Party(name=name, phone=_phone(n))
    return Conversation(
        id=conversation_id(n),
        tenant_id=TENANT,
        channel=channel,
        integration_id=f"i-{channel}",
        contact_id=contact_id(n),
        contact=party,
        subject=" ".join(SEARCH_WORDS[(n + k * 7) % len(SEARCH_WORDS)] for k in range(4)).capitalize(),
        status=status,
        folder_id=folder if folder not in (None, "automated") else None,
        automated="newsletter" if folder == "automated" else None,
        assignee_id=ASSIGNEE_CYCLE[n % len(ASSIGNEE_CYCLE)],
        unread=status in (Status.NEW, Status.URGENT) or n % 3 == 0,
        message_count=messages,
        preview=f"Message {n}",
        created_at=last - timedelta(hours=messages),
        last_activity_at=last,
        last_inbound_at=last,
        opened_by_customer=True,
        snoozed_until=now + timedelta(days=2) if n % SNOOZE_EVERY == 4 else None,
        urgency=("low", "normal", "high")[n % 3],
    )


def _email(n: int) -> str:
    return f"client{n // 2}@example.com"


def _phone(n: int) -> str:
    return f"+336{n // 2:08d}"


def messages_of(conversation: Any, n: int) -> list[Any]:
    """Its messages, customer and team in turn; one in four of the long thread's has its body in S3."""
    from inbox.models import Direction, Message, Party

    found = []
    for k in range(conversation.message_count):
        inbound = k % 2 == 0
        at = conversation.last_activity_at - timedelta(hours=conversation.message_count - 1 - k)
        words = " ".join(SEARCH_WORDS[(n * 3 + k * 5 + j) % len(SEARCH_WORDS)] for j in range(12))
        in_s3 = n == 1 and k % 4 == 0
        found.append(
            Message(
                id=f"pm-{n:07d}-{k:03d}",
                tenant_id=TENANT,
                conversation_id=conversation.id,
                integration_id=conversation.integration_id,
                channel=conversation.channel,
                direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
                sender=conversation.contact if inbound else Party(name="Support", email="support@shop.example"),
                subject=conversation.subject,
                text="" if in_s3 else words,
                body_key=f"{TENANT}/bodies/{conversation.id}/{k}.json" if in_s3 else None,
                author_id=None if inbound else (conversation.assignee_id or ADMIN_ID),
                received_at=at,
                opens_conversation=k == 0,
            )
        )
    return found


class Writer:
    """Items put 25 at a time by BatchWriteItem, or straight into moto's table (`direct`)."""

    def __init__(self, direct: bool = True):
        from inbox import wiring

        self._client = wiring.client("dynamodb")
        self._name = os.environ["TABLE_NAME"]
        self._pending: list[dict[str, Any]] = []
        self._table = _moto_table(self._name) if direct else None
        self.items: Counter[str] = Counter()

    def put(self, item: dict[str, Any], kind: str | None = None) -> None:
        from inbox.adapters.dynamodb.table import marshal

        self.items[kind or item.get("type", "?")] += 1
        marshalled = marshal(item)
        if self._table is not None:
            self._table(marshalled)
            return
        self._pending.append(marshalled)
        if len(self._pending) == 25:
            self.flush()

    def flush(self) -> None:
        requests = [{"PutRequest": {"Item": item}} for item in self._pending]
        self._pending = []
        while requests:
            answer = self._client.batch_write_item(RequestItems={self._name: requests})
            requests = answer.get("UnprocessedItems", {}).get(self._name, [])


def _moto_table(name: str) -> Any:
    """A put into moto's table: the item stored as moto's put_item stores it, without its per-attribute
    size check (moto sums the item's size again for each attribute set: quadratic, 5 ms an item here)
    and without a stream record (the stream's readers are not run)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_DEFAULT_REGION"]].get_table(name)

    def put(marshalled: dict[str, Any]) -> None:
        item = Item.__new__(Item)
        item.hash_key, item.range_key = DynamoType(marshalled["PK"]), DynamoType(marshalled["SK"])
        item.attrs = LimitedSizeDict({k: DynamoType(v) for k, v in marshalled.items()})  # dict.update: no checks
        table.items[item.hash_key][item.range_key] = item

    return put


def load(size: int, days: int = 365, now: datetime | None = None, direct: bool = True, search: bool = True) -> Loaded:
    """Write a tenant of `size` conversations (see the module's docstring); what was written."""
    from benchmarks import page_data_derived as derived
    from inbox import wiring
    from inbox.adapters.dynamodb import keys
    from inbox.adapters.dynamodb.contacts import ContactItem, _pointer
    from inbox.adapters.dynamodb.conversations import ConversationItem, MessageItem
    from inbox.adapters.dynamodb.table import item_of
    from inbox.domain.contacts import contact_identities
    from inbox.domain.conversations import counter_deltas, view_assignee
    from inbox.models import Contact, Folder, Note
    from inbox.services.notifications import KEPT_FOR  # the table's TTL removes older notifications

    started = time.perf_counter()
    now = now or datetime.now(UTC)
    writer = Writer(direct)
    blobs = wiring.blobs()
    for position, folder_id in enumerate(FOLDERS):
        folder = Folder(
            id=folder_id,
            tenant_id=TENANT,
            name=folder_id.title(),
            position=position,
            created_at=now,
            updated_at=now,
            version=1,
        )
        writer.put(item_of(keys.tenant(TENANT), keys.folder_sk(folder_id), "folder", folder))
    counters: dict[str, list[int]] = {}
    contacts: set[str] = set()
    documents, stats, notifications = [], [], []
    for n in range(size):
        conversation = conversation_at(n, size, now, days)
        writer.put(ConversationItem.of(conversation, version=1))
        for counter, deltas in (
            (keys.counter_sk, counter_deltas(None, conversation)),
            (keys.assignee_counter_sk, counter_deltas(None, conversation, view_assignee)),
        ):
            for delta in deltas:
                entry = counters.setdefault(counter(delta.folder), [0, 0])
                entry[0], entry[1] = entry[0] + delta.total, entry[1] + delta.unread
        messages = messages_of(conversation, n)
        for message in messages:
            writer.put(MessageItem.of(message))
            if message.body_key:
                blobs.put_json(message.body_key, {"text": f"{message.id} " * 900, "html": None})
        if n % NOTE_EVERY == 1:
            for k in range(3 if n == 1 else 1):
                note = Note(
                    id=f"pn-{n:07d}-{k}",
                    tenant_id=TENANT,
                    conversation_id=conversation.id,
                    author_id=ADMIN_ID,
                    text="Called the customer back.",
                    created_at=conversation.created_at,
                )
                writer.put(
                    item_of(
                        keys.conversation_pk(TENANT, conversation.id),
                        keys.note_sk(note.created_at, note.id),
                        "note",
                        note,
                    )
                )
        if conversation.contact_id not in contacts:
            contacts.add(conversation.contact_id)
            party = conversation.contact
            contact = Contact(
                id=conversation.contact_id,
                tenant_id=TENANT,
                name=party.name,
                emails=[party.email] if party.email else [],
                phones=[party.phone] if party.phone else [],
                created_at=conversation.created_at,
            )
            writer.put(ContactItem.of(contact, version=1))
            for identity in contact_identities(contact):
                writer.put(_pointer(TENANT, identity, contact.id))
        if conversation.assignee_id == ADMIN_ID and conversation.created_at > now - KEPT_FOR:
            notifications += derived.notification_items(conversation, n)
        if search:
            documents += derived.documents(conversation, messages)
        stats += derived.increments(conversation, messages)
    for sk, (total, unread) in sorted(counters.items()):
        writer.put({"PK": keys.tenant(TENANT), "SK": sk, "total": total, "unread": unread}, "counter")
    for item in notifications + derived.unread_count_items(notifications):
        writer.put(item)
    for item in derived.stats_items(stats):
        writer.put(item, "statistics")
    writer.flush()
    if search:
        derived.index(documents)
        writer.items["search document"] = len(documents)
    return Loaded(size, writer.items, time.perf_counter() - started, now=now)
