"""Sample domain objects for tests that need one and care about a field or two."""

from datetime import UTC, datetime

from inbox.models import Channel, Conversation, Party

NOW = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)


def sample_conversation(**changes) -> Conversation:
    base = Conversation(
        id="c1",
        tenant_id="t",
        channel=Channel.CUSTOM,
        integration_id="i",
        contact_id="k",
        contact=Party(email="a@b.co"),
        created_at=NOW,
        last_activity_at=NOW,
    )
    return base.model_copy(update=changes)
