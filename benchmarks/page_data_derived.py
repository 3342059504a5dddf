"""What the tenant of page_data.py holds beyond its conversations, as the code that writes it leaves it
(issue 15, item 3): the admin's notifications and their per-day unread counts (notifications.py), one
search segment of every message (the indexer's merged state), the statistics counters (the stream's
recorder). Built here so that none of the stream's readers has to run for 100,000 conversations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from benchmarks.page_data import ADMIN_ID, PEOPLE, TENANT


def notification_items(conversation: Any, n: int) -> list[dict[str, Any]]:
    """The admin told that a colleague assigned them the conversation, as `save_notification` writes it
    (kept 90 days by the table's TTL); one in three still unread, with its marker."""
    from inbox.adapters.dynamodb import keys
    from inbox.adapters.dynamodb.notifications import NOTIFICATION, UNREAD
    from inbox.adapters.dynamodb.table import item_of
    from inbox.models.notification import Notification, NotificationKind
    from inbox.services.notifications import KEPT_FOR

    at = conversation.created_at
    unread = n % 3 == 0
    notification = Notification(
        id=f"{int(at.timestamp() * 1000):012x}{n:014x}",  # new_id's shape: sorts by creation time
        tenant_id=TENANT,
        user_id=ADMIN_ID,
        kind=NotificationKind.ASSIGNED,
        conversation_id=conversation.id,
        actor_id=PEOPLE[1],
        created_at=at,
        read_at=None if unread else at + timedelta(hours=1),
    )
    pk, expires_at = keys.notifications_pk(TENANT, ADMIN_ID), int((at + KEPT_FOR).timestamp())
    found = [item_of(pk, keys.notification_sk(notification.id), NOTIFICATION, notification, {"expires_at": expires_at})]
    if unread:
        found.append({"PK": pk, "SK": keys.unread_sk(notification.id), "type": UNREAD, "expires_at": expires_at})
    return found


def unread_count_items(notification_items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The unread counts the markers' writes leave: per person and expiry day, what `unread_count_write` ADDs."""
    from inbox.adapters.dynamodb.notifications import UNREAD, unread_count_write

    counts: dict[tuple[str, int], int] = {}
    for item in notification_items:
        if item["type"] == UNREAD:
            day = item["expires_at"] - item["expires_at"] % 86_400
            counts[(item["PK"], day)] = counts.get((item["PK"], day), 0) + 1
    found = []
    for (pk, day), count in sorted(counts.items()):
        update = unread_count_write("table", pk, day, count, exact=True)["Update"]
        values = update["ExpressionAttributeValues"]
        found.append(
            {
                "PK": pk,
                "SK": update["Key"]["SK"]["S"],
                "type": values[":type"]["S"],
                "unread": count,
                "expires_at": int(values[":end"]["N"]),
            }
        )
    return found


def documents(conversation: Any, messages: list[Any]) -> list[Any]:
    """What the indexer makes of a conversation: its subject and contact, and each message's text."""
    from inbox.domain.search_text import SearchDocument, conversation_doc_id, message_doc_id, phone_forms

    party = conversation.contact
    common = {"contact": party.name or "", "emails": party.email or "", "phones": " ".join(phone_forms(party.phone))}
    found = [
        SearchDocument(
            conversation_doc_id(conversation.id),
            conversation.id,
            None,
            conversation.created_at,
            subject=conversation.subject or "",
            **common,
        )
    ]
    for message in messages:
        found.append(
            SearchDocument(
                message_doc_id(message.id),
                conversation.id,
                message.id,
                message.received_at,
                subject=message.subject or "",
                text=message.text,
                **common,
            )
        )
    return found


def index(documents: list[Any]) -> None:
    """One segment of every document, committed in the manifest (the indexer's merged state)."""
    from inbox import wiring
    from inbox.domain.search_manifest import SearchManifest

    segment = wiring.search_segments().write(TENANT, documents)
    current = wiring.store().get_search_manifest(TENANT)
    wiring.store().commit_search_manifest(SearchManifest(TENANT, current.version, (segment,)))


def increments(conversation: Any, messages: list[Any]) -> list[Any]:
    """The statistics the recorder counts for a conversation: its creation and its messages by day."""
    from inbox.domain.stats_counting import Increment

    channel, folder = conversation.channel.value, conversation.folder_id or "none"
    dimensions = ("all", f"channel:{channel}", f"folder:{folder}")
    created = {
        "created": 1,
        f"created:channel:{channel}": 1,
        f"created:folder:{folder}": 1,
        f"created:status:{conversation.status.value}": 1,
    }
    found = [Increment(day_of(conversation.created_at), created, dimensions)]
    for message in messages:
        way = "in" if message.direction == "inbound" else "out"
        found.append(Increment(day_of(message.received_at), {way: 1, f"{way}:{channel}": 1}, dimensions))
        if message.author_id:
            found.append(Increment(day_of(message.received_at), {"replies": 1}, person=message.author_id))
    return found


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()  # the tenant's zone is UTC until set


def stats_items(increments: list[Any]) -> list[dict[str, Any]]:
    """The counters items `apply_counters` leaves: each day's, week's and month's sums, per dimension."""
    from inbox.adapters.dynamodb.statistics import _keys_of
    from inbox.domain.stats_counting import counter_items

    found = []
    for at, counters in sorted(counter_items(increments).items()):
        pk, sk = _keys_of(TENANT, at)
        found.append({"PK": pk, "SK": sk, **counters})
    return found
