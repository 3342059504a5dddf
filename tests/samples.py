"""Sample domain objects for tests that need one and care about a field or two."""

from datetime import UTC, datetime

from inbox.domain.inbound_limits import KEPT_HEADERS
from inbox.models import Channel, Conversation, InboundAttachment, InboundMessage, Party, PendingMedia, Principal, Role

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


def hostile_inbound() -> InboundMessage:
    """Every list and string far past anything a real message needs."""
    long = "🙂" * 5_000  # four bytes each
    return InboundMessage(
        tenant_id="t1",
        integration_id="i1",
        channel=Channel.EMAIL,
        external_id="<x@example.net>",
        message_id="<" + "m" * 5_000 + "@example.net>",
        sender=Party(name=long, email="a" * 300 + "@example.net"),
        to=[Party(name=long, email=f"{n}{'b' * 400}@example.org") for n in range(3_000)],
        subject=long,
        subject_key=long,
        text="x" * 200,
        references=[f"<{n}{'r' * 1_000}@example.net>" for n in range(1_000)],
        headers={**{name: long for name in KEPT_HEADERS}, **{f"x-filler-{n}": long for n in range(500)}},
        defects=[long] * 1_000,
        attachments=[
            InboundAttachment(filename=long, content_type=long, data=b"%PDF", content_id=long) for _ in range(1_000)
        ],
        pending_media=[PendingMedia(kind="image", url="https://x/" + long, name=long) for _ in range(1_000)],
    )


# ---------------------------------------------------------------- the API's sample tenant, as events/api/ has it

TENANT = "tenant-sample"
ADMIN = Principal(user_id="u1", tenant_id=TENANT, role=Role.ADMIN)  # the tenant's admin, for calls to the services
AGENT = {"cognito:groups": "[agent]"}  # claims of an agent of the sample tenant (the samples are its admin's)
WEBHOOK_SECRET = "whsec_sample_0123456789abcdefghij"  # the secret of events/api/create_integration.json

# ---------------------------------------------------------------- folders

APPOINTMENTS = {
    "name": "Appointments",
    "rules": {
        "any": [
            {"field": "subject", "op": "contains", "value": "RDV"},
            {"field": "body", "op": "contains", "value": "rendez-vous"},
        ]
    },
}
SUPPORT = {
    "name": "Support",
    "rules": {
        "all": [
            {"field": "from_email", "op": "equals", "value": "support@client.com"},
            {"field": "body", "op": "contains", "value": "problème"},
        ]
    },
}
DELIVERY = {"name": "Delivery", "ai_filter": "Parcels that are late, lost or damaged in transit."}

# ---------------------------------------------------------------- the Vonage account of the `fake` fixture

VONAGE_SIGNATURE_SECRET = "sig-secret-0123456789abcdef0123456789"
VONAGE_API_KEY, VONAGE_API_SECRET = "a1b2c3d4", "api-secret-0123456789"
SMS_NUMBER, WHATSAPP_NUMBER = "33757000000", "33757000001"  # as Vonage writes them: no +
CUSTOMER = "33612345678"
