"""Conversations stored through the store as ingest stores them, and the conversation list read
through the API page by page: what the list tests, the migrations' and the projects' share."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from helpers.events import api_request
from inbox import wiring
from inbox.models import Channel, Conversation, Direction, Message, Party, Status
from samples import NOW, sample_conversation

ME = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin's user id (events/api/*.json)

# id, status, channel, folder, assignee, urgency: one hour apart, the first the oldest.
SEEDS = [
    ("a", Status.NEW, Channel.EMAIL, None, None, "low"),
    ("b", Status.URGENT, Channel.SMS, "orders", "u-marie", None),
    ("c", Status.OPEN, Channel.EMAIL, "orders", "u-marie", "normal"),
    ("d", Status.RESOLVED, Channel.CUSTOM, None, None, None),
    ("e", Status.NEW, Channel.SMS, None, ME, "high"),
    ("f", Status.SPAM, Channel.EMAIL, None, None, None),
    ("g", Status.OPEN, Channel.WHATSAPP, "orders", ME, "low"),
    ("h", Status.NEW, Channel.EMAIL, "orders", None, "normal"),
]


def store_conversation(tenant_id: str, conversation_id: str, at: datetime, **fields: Any) -> Conversation:
    """A conversation of one customer message at `at`, committed as ingest commits one."""
    conversation = sample_conversation(
        id=conversation_id,
        tenant_id=tenant_id,
        contact_id=f"k-{conversation_id}",
        contact=Party(email=f"{conversation_id}@example.com"),
        last_activity_at=at,
        message_count=1,
        **fields,
    )
    message = Message(
        id=f"m-{conversation_id}",
        tenant_id=tenant_id,
        conversation_id=conversation_id,
        integration_id="i",
        channel=conversation.channel,
        direction=Direction.INBOUND,
        external_id=f"x-{conversation_id}",
        sender=conversation.contact,
        text="Hello",
        received_at=at,
    )
    wiring.store().commit_inbound(message, None, conversation, thread_key=None, thread_was=None)
    return conversation


def seed(tenant_id: str, prefix: str = "") -> list[Conversation]:
    """The eight conversations of SEEDS, their ids prefixed."""
    return [
        store_conversation(
            tenant_id,
            prefix + name,
            NOW + timedelta(hours=hour),
            status=status,
            channel=channel,
            folder_id=folder,
            assignee_id=assignee,
            urgency=urgency,
        )
        for hour, (name, status, channel, folder, assignee, urgency) in enumerate(SEEDS)
    ]


def listed(api, claims: dict[str, str] | None = None, **query: Any) -> list[str]:
    """Every page of GET /conversations?<query>, following the cursor: the ids in order."""
    seen, cursor = [], None
    while True:
        params = "&".join(f"{k}={v}" for k, v in (query | ({"cursor": cursor} if cursor else {})).items())
        status, page = api(api_request("GET", f"/conversations?{params}", **(claims or {})))
        assert status == 200, page
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return seen
