"""The demo's AI replies (issue 12, item 8): a company prompt, a small knowledge base, and a folder in
automatic mode next to the seed's Appointments folder in validation mode, so that `make run` shows
both with the fake OpenAI: the demo SMS asking for the opening hours (HOURS_SMS) is answered at once
(through the fake Vonage), Hugo's appointment request waits as a draft for a person."""

from __future__ import annotations

import logging
from typing import Any

import requests

log = logging.getLogger("local")

COMPANY_PROMPT = (
    "Nous sommes Maison Lumière, une boutique de mobilier et de luminaires à Lyon (12 rue Mercière). "
    "Réponds au nom de l'équipe, en vouvoyant, brièvement et chaleureusement, dans la langue du client. "
    "Ne promets jamais de remboursement ni de geste commercial : une personne de l'équipe s'en charge."
)
KNOWLEDGE = [
    {
        "title": "Horaires et retrait en boutique",
        "format": "markdown",
        "text": "# Horaires\n\nLa boutique ouvre du mardi au samedi, de 10 h à 19 h, et le samedi matin dès 9 h 30 "
        "pour le retrait des commandes.\n\n# Retrait\n\nUne commande se retire en boutique avec son numéro de "
        "commande et une pièce d'identité, dès que l'e-mail « prête à retirer » est arrivé.",
    },
    {
        "title": "Rendez-vous en boutique",
        "format": "markdown",
        "text": "# Rendez-vous\n\nPour essayer un canapé ou un fauteuil, un conseiller vous reçoit sur rendez-vous "
        "du mardi au samedi ; le samedi matin, les rendez-vous commencent à 10 h.",
    },
    {
        "title": "Livraison et retours",
        "format": "markdown",
        "text": "# Livraison\n\nLes commandes passées avant 14 h partent le jour même ; la livraison prend 2 à 3 "
        "jours ouvrés en France.\n\n# Retours\n\nVous avez 30 jours pour retourner un article non utilisé, "
        "dans son emballage d'origine.",
    },
]
# Questions about opening hours by SMS: HOURS_SMS, and not the SMS other tests send, nor the demo's other
# SMS, which stays in the inbox for a person (they would be answered before a person sees them).
AUTOMATIC_FOLDER = {
    "name": "Horaires (SMS)",
    "color": "#9b51e0",
    "rules": {
        "all": [
            {"field": "channel", "op": "equals", "value": "sms"},
            {
                "any": [
                    {"field": "body", "op": "contains", "value": "horaires d'ouverture"},
                    {"field": "body", "op": "contains", "value": "opening hours"},
                ]
            },
        ]
    },
    "auto_reply": {"enabled": True, "mode": "automatic"},
}
HOURS_SMS = ("33655443322", "Bonjour, quels sont vos horaires d'ouverture samedi ?")


def seed_ai_replies(api_url: str, token: str) -> dict[str, Any]:
    """The company prompt, the knowledge base and the automatic folder; what was made (kept in the state)."""
    headers = {"Authorization": f"Bearer {token}"}
    response = requests.put(
        f"{api_url}/settings/ai", json={"company_prompt": COMPANY_PROMPT}, headers=headers, timeout=30
    )
    _check(response, "PUT /settings/ai", 200)
    documents = []
    for document in KNOWLEDGE:
        response = requests.post(f"{api_url}/knowledge", json=document, headers=headers, timeout=30)
        _check(response, "POST /knowledge", 201)
        documents.append(response.json()["id"])
    response = requests.post(f"{api_url}/folders", json=AUTOMATIC_FOLDER, headers=headers, timeout=30)
    _check(response, "POST /folders", 201)
    log.info("wrote the demo's company prompt and knowledge base, and a folder that answers SMS by itself")
    return {"knowledge": documents, "automatic_folder": response.json()["id"]}


def _check(response: requests.Response, call: str, expected: int) -> None:
    if response.status_code != expected:
        from .seed import SeedError

        raise SeedError(f"{call} answered {response.status_code}: {response.text[:300]}")
