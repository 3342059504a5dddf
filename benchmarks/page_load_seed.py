"""Conversations for benchmarks/page_load.py, written through the store into a running local stack's table
(its moto server, stack.json's `aws_endpoint_url`), not through the API: contacts with the store's own
create_contact, then conversations and their messages as the store keeps them (ConversationItem.of,
MessageItem.of) in batches of 25, and the folder and assignee counters they add (counter_deltas).

A batch write rather than the ingest's one transaction per message: moto copies the table for each
transaction, so 1,000 conversations that way would take minutes, longer as the table grows. The table's
stream still carries every item to the stack's readers (statistics, search), as an ingest's would.
What only the ingest needs is not written: delivery records and Message-ID pointers (no provider sends
these again), blobs (every body fits in its item). Deterministic for a given `count` and `rng_seed`.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks import REPO  # noqa: F401 - makes the layer importable

SEARCH_WORD = "quetzalcoatl"  # in one conversation in ten: GET /inbox/search?q= has pages of hits
LAST_WORD = "zyxomma"  # in the last conversation written only: once found, the search index has caught up
STATUSES = (("new", 30), ("open", 30), ("resolved", 25), ("urgent", 5), ("archived", 5), ("spam", 5))
CHANNELS = ("email", "sms", "whatsapp", "custom")
SUBJECTS = ("Order {n} has not arrived", "Refund for order {n}", "Opening hours", "Invoice {n}", "Booking {n}")
TEXTS = (
    "Bonjour, ma commande {n} n'est toujours pas arrivée, pouvez-vous vérifier ?",
    "Hello, I would like a refund for order {n}: the parcel was damaged.",
    "Are you open on Saturday morning? I would like to come by with order {n}.",
    "Could you send me the invoice for order {n} again, with my company's address?",
    "Je souhaite décaler mon rendez-vous {n} à la semaine prochaine, si possible.",
)
REPLY = "Thank you for your message, we are looking into order {n} and will come back to you today."


@dataclass
class Seeded:
    """What was written, and what the load generator picks its pages from."""

    tenant_id: str
    conversations: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    messages: int = 0
    items: int = 0
    busiest_conversation: str = ""  # the one with the most messages: its detail page is the longest
    busiest_contact: str = ""  # the one with the most conversations: its history page is the longest


def aws_client(info: dict[str, Any], service: str) -> Any:
    """A client of the stack's moto server."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,
        endpoint_url=info["aws_endpoint_url"],
        region_name=info["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's
        config=Config(retries={"mode": "standard", "max_attempts": 5}, read_timeout=60),
    )


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def seed(
    info: dict[str, Any],
    tenant_id: str,
    count: int,
    *,
    user_ids: list[str],
    folder_ids: list[str],
    integration_id: str,
    rng_seed: int = 15,
    now: datetime | None = None,
) -> Seeded:
    """`count` conversations of `tenant_id` over the last 90 days, about three per contact, each with one
    to four messages (the customer's and the team's in turn), across channels, statuses, folders
    (`folder_ids`, and the Inbox), assignees (`user_ids`, and nobody), 3 % snoozed."""
    from inbox.adapters.dynamodb import InboxStore, keys
    from inbox.adapters.dynamodb.conversations import ConversationItem, MessageItem
    from inbox.adapters.dynamodb.table import marshal
    from inbox.domain.conversations import counter_deltas, view_assignee
    from inbox.domain.ids import new_id
    from inbox.models import Contact, Conversation, Direction, Message, Party, Status

    rng = random.Random(rng_seed)  # noqa: S311 - sample data, not security
    now = now or datetime.now(UTC)
    client = aws_client(info, "dynamodb")
    table = info["tables"]["InboxTable"]
    store = InboxStore(client, table)
    seeded = Seeded(tenant_id)

    contacts: list[Contact] = []
    for n in range(max(1, count // 3)):
        contact = Contact(
            id=new_id(),
            tenant_id=tenant_id,
            name=f"Customer {n:05d}",
            emails=[f"customer{n:05d}@example.com"],
            phones=[f"+336{10_000_000 + n:08d}"],
            created_at=now - timedelta(days=120),
        )
        identities = [f"email:{contact.emails[0]}", f"phone:{contact.phones[0]}"]
        if not store.create_contact(contact, identities):
            raise RuntimeError(f"contact {n} was not created (an identity already claimed?)")
        contacts.append(contact)
    seeded.contacts = [c.id for c in contacts]

    items: list[dict[str, Any]] = []
    folder_counts: Counter[tuple[str, str]] = Counter()  # (sort key, total|unread)
    per_contact: Counter[str] = Counter()
    most_messages = 0
    for n in range(count):
        contact = contacts[rng.randrange(len(contacts))] if n >= len(contacts) else contacts[n]
        channel = CHANNELS[n % len(CHANNELS)]
        by_email = channel in ("email", "custom")
        party = Party(name=contact.name, email=contact.emails[0]) if by_email else Party(phone=contact.phones[0])
        created = now - timedelta(days=90 * rng.random())
        order = 48_000 + n
        conversation_id = new_id()
        messages = []
        at = created
        for m in range(rng.randint(1, 4)):
            inbound = m % 2 == 0
            text = rng.choice(TEXTS).format(n=order) if inbound else REPLY.format(n=order)
            if inbound and m == 0:
                text += (f" {SEARCH_WORD}" if n % 10 == 0 else "") + (f" {LAST_WORD}" if n == count - 1 else "")
            messages.append(
                Message(
                    id=new_id(),
                    tenant_id=tenant_id,
                    conversation_id=conversation_id,
                    integration_id=integration_id,
                    channel=channel,
                    direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
                    external_id=f"bench-{conversation_id}-{m}" if inbound else None,
                    sender=party if inbound else Party(name="Support", email="support@example.com"),
                    to=[] if inbound else [party],
                    subject=rng.choice(SUBJECTS).format(n=order) if by_email else None,
                    text=text,
                    author_id=None if inbound else user_ids[0],
                    opens_conversation=m == 0,
                    received_at=at,
                )
            )
            at += timedelta(minutes=rng.randint(5, 600))
        status = Status(pick(rng, STATUSES))
        last = messages[-1]
        snoozed = rng.random() < 0.03 and status in (Status.NEW, Status.OPEN)
        conversation = Conversation(
            id=conversation_id,
            tenant_id=tenant_id,
            channel=channel,
            integration_id=integration_id,
            contact_id=contact.id,
            contact=party,
            subject=messages[0].subject,
            status=status,
            folder_id=rng.choice([None, None, *folder_ids]) if folder_ids else None,
            assignee_id=rng.choice([None, None, *user_ids]),
            automated="bulk" if rng.random() < 0.05 else None,  # the Automated folder's, unless filed
            unread=last.direction is Direction.INBOUND and status in (Status.NEW, Status.URGENT),
            message_count=len(messages),
            preview=last.text[:140],
            created_at=created,
            last_activity_at=last.received_at,
            last_inbound_at=max(m.received_at for m in messages if m.direction is Direction.INBOUND),
            opened_by_customer=True,
            snoozed_until=now + timedelta(days=3) if snoozed else None,
            intent=rng.choice(("question", "complaint", "order", "appointment", "other")),
            urgency=rng.choice(("low", "normal", "normal", "high")),
        )
        items.append(ConversationItem.of(conversation, version=1))
        items += [MessageItem.of(message) for message in messages]
        for delta in counter_deltas(None, conversation):
            folder_counts[(keys.counter_sk(delta.folder), "total")] += delta.total
            folder_counts[(keys.counter_sk(delta.folder), "unread")] += delta.unread
        for delta in counter_deltas(None, conversation, view_assignee):
            folder_counts[(keys.assignee_counter_sk(delta.folder), "total")] += delta.total
            folder_counts[(keys.assignee_counter_sk(delta.folder), "unread")] += delta.unread
        seeded.conversations.append(conversation_id)
        seeded.messages += len(messages)
        per_contact[contact.id] += 1
        if len(messages) > most_messages:
            most_messages, seeded.busiest_conversation = len(messages), conversation_id
    seeded.busiest_contact = per_contact.most_common(1)[0][0]

    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": marshal(item)}} for item in items[start : start + 25]]
        pending: dict[str, Any] = {table: batch}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    for sort_key in sorted({sk for sk, _ in folder_counts}):
        client.update_item(
            TableName=table,
            Key={"PK": {"S": keys.tenant(tenant_id)}, "SK": {"S": sort_key}},
            UpdateExpression="ADD #total :total, #unread :unread",
            ExpressionAttributeNames={"#total": "total", "#unread": "unread"},
            ExpressionAttributeValues={
                ":total": {"N": str(folder_counts[(sort_key, "total")])},
                ":unread": {"N": str(folder_counts[(sort_key, "unread")])},
            },
        )
    seeded.items = len(items) + len(contacts)
    return seeded
