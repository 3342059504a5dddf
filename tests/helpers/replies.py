"""Conversations, messages and knowledge for the AI reply tests (issue 12): built, not stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inbox.models import Channel, Conversation, Direction, Message, Party
from inbox.models.knowledge import KnowledgeSelection, Passage

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CUSTOMER = Party(name="Claire Martin", email="claire@example.com")
SHOP = Party(name="Fleurs de Lyon", email="contact@fleurs-lyon.fr")
COMPANY_PROMPT = (
    "Nous sommes Fleurs de Lyon, fleuriste à Lyon. Ton chaleureux, vouvoiement. "
    "Signez « L'équipe Fleurs de Lyon ». Site : https://fleurs-lyon.fr. Téléphone : 04 78 00 00 00. "
    "Aucun remboursement ni geste commercial sans l'accord d'une personne de l'équipe."
)
PASSAGES = [
    Passage(
        document_id="livraison",
        passage_id="livraison:0",
        title="Livraison",
        text="Les livraisons à Lyon se font du mardi au samedi, entre 9 h et 18 h. "
        "Une commande passée avant 14 h est livrée le jour même. Suivi : https://fleurs-lyon.fr/suivi",
    ),
    Passage(
        document_id="horaires",
        passage_id="horaires:0",
        title="Horaires",
        text="La boutique du 12 rue Mercière est ouverte du mardi au dimanche, de 9 h à 19 h.",
    ),
    Passage(
        document_id="retours",
        passage_id="retours:0",
        title="Bouquets abîmés",
        text="Un bouquet arrivé abîmé est remplacé sur photo envoyée dans les 24 heures à contact@fleurs-lyon.fr.",
    ),
]
KNOWLEDGE = KnowledgeSelection(passages=PASSAGES, whole=True)


def conversation(channel: Channel = Channel.EMAIL, id: str = "c1", tenant_id: str = "t1", **fields) -> Conversation:
    contact = Party(phone="+33612345678") if channel in (Channel.SMS, Channel.WHATSAPP) else CUSTOMER
    return Conversation(
        id=id,
        tenant_id=tenant_id,
        channel=channel,
        integration_id="i1",
        contact_id="k1",
        contact=contact,
        subject="Ma commande" if channel is Channel.EMAIL else None,
        created_at=NOW - timedelta(hours=1),
        last_activity_at=NOW,
        **fields,
    )


def message(
    text: str,
    direction: Direction = Direction.INBOUND,
    minutes_ago: float = 0,
    channel: Channel = Channel.EMAIL,
    id: str | None = None,
    conversation_id: str = "c1",
    **fields,
) -> Message:
    at = NOW - timedelta(minutes=minutes_ago)
    sender = CUSTOMER if direction is Direction.INBOUND else SHOP
    return Message(
        id=id or f"m-{at.timestamp():.0f}-{direction.value}",
        tenant_id="t1",
        conversation_id=conversation_id,
        integration_id="i1",
        channel=channel,
        direction=direction,
        sender=sender,
        text=text,
        received_at=at,
        **fields,
    )
