"""The demo tenant, created once, through the same doors a real user and a real sender use.

The admin user is made with Cognito's admin API (the pool only lets admins create users); then,
with that user's ID token, the integration is created through the HTTP API, and the demo
messages arrive through the signed custom webhook, so they go through the real ingest path.
Progress is recorded in stack.json so a restart neither repeats a finished step nor skips a failed one.
"""

from __future__ import annotations

import json
import logging
import secrets
import string
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from .aws import Aws

log = logging.getLogger("local")

ADMIN_EMAIL = "admin@demo.example.com"
ADMIN_GROUP = "admin"


class SeedError(Exception):
    """A seed step failed; the stack still runs and the step is retried on the next start."""


def generate_password(length: int = 20) -> str:
    """A password that satisfies any Cognito password policy (upper, lower, digit, symbol)."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(length - 4))
    return (
        core
        + secrets.choice(string.ascii_uppercase)
        + secrets.choice(string.ascii_lowercase)
        + secrets.choice(string.digits)
        + "!"
    )


def user_exists(aws: Aws, pool_id: str, username: str) -> bool:
    idp = aws.client("cognito-idp")
    try:
        idp.admin_get_user(UserPoolId=pool_id, Username=username)
    except (idp.exceptions.UserNotFoundException, idp.exceptions.ResourceNotFoundException):
        return False
    return True


def create_admin(aws: Aws, pool_id: str) -> dict[str, str]:
    """The demo admin of a new demo tenant, with a permanent password."""
    idp = aws.client("cognito-idp")
    tenant_id = f"demo-{secrets.token_hex(4)}"
    password = generate_password()
    idp.admin_create_user(
        UserPoolId=pool_id,
        Username=ADMIN_EMAIL,
        UserAttributes=[
            {"Name": "email", "Value": ADMIN_EMAIL},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:tenant_id", "Value": tenant_id},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=ADMIN_EMAIL, Password=password, Permanent=True)
    try:
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=ADMIN_EMAIL, GroupName=ADMIN_GROUP)
    except idp.exceptions.ResourceNotFoundException:
        log.warning("the user pool has no %r group: the demo user is not an admin", ADMIN_GROUP)
    log.info("created the demo tenant %s", tenant_id)
    return {"tenant_id": tenant_id, "username": ADMIN_EMAIL, "password": password}


def id_token(aws: Aws, client_id: str, username: str, password: str) -> str:
    result = aws.client("cognito-idp").initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return result["AuthenticationResult"]["IdToken"]


def create_integration(api_url: str, token: str) -> dict[str, str]:
    secret = secrets.token_urlsafe(32)
    response = requests.post(
        f"{api_url}/integrations",
        json={"kind": "custom", "name": "Website contact form", "secret": secret},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    if response.status_code != 201 or "id" not in _json(response):
        raise SeedError(f"POST /integrations answered {response.status_code}: {response.text[:300]}")
    return {"integration_id": str(_json(response)["id"]), "secret": secret}


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def demo_messages(now: datetime) -> list[dict[str, Any]]:
    """A French customer with a follow-up in the same thread, an English customer, a phone-only one."""

    def ago(hours: float) -> str:
        return (now - timedelta(hours=hours)).astimezone(UTC).isoformat(timespec="seconds")

    camille = {"name": "Camille Martin", "email": "camille.martin@example.fr", "phone": "+33 6 12 34 56 78"}
    return [
        {
            "external_id": "demo-contact-0001",
            "from": camille,
            "subject": "Commande 48213 toujours pas livrée",
            "text": "Bonjour,\n\nJ'ai commandé une lampe de bureau le 2 du mois (commande 48213) et le suivi "
            "n'a pas bougé depuis cinq jours. Pouvez-vous me dire où en est la livraison ?"
            "\n\nMerci,\nCamille",
            "html": "<p>Bonjour,</p><p>J'ai commandé une lampe de bureau le 2 du mois (commande "
            "<b>48213</b>) et le suivi n'a pas bougé depuis cinq jours. Pouvez-vous me dire où en est la "
            "livraison ?</p><p>Merci,<br>Camille</p>",
            "thread_key": "order-48213",
            "sent_at": ago(26),
        },
        {
            "external_id": "demo-contact-0002",
            "from": {"name": "James Walker", "email": "james.walker@example.com"},
            "subject": "Invoice INV-2291 charged twice",
            "text": "Hi there,\n\nMy card was charged twice for invoice INV-2291 (49.00 EUR each time). "
            "Could you refund the duplicate payment and send me a corrected receipt?\n\nThanks,\nJames",
            "sent_at": ago(5),
        },
        {
            "external_id": "demo-contact-0003",
            "from": {"name": "Sofia Rossi", "phone": "+33 7 81 22 45 90"},
            "subject": "Demande de devis pour 40 chaises",
            "text": "Bonjour, nous ouvrons un café à Lyon en mars et cherchons 40 chaises empilables. "
            "Pourriez-vous nous envoyer un devis avec les délais ? Vous pouvez m'appeler en journée.",
            "sent_at": ago(3),
        },
        {
            "external_id": "demo-contact-0005",
            "from": {"name": "Hugo Lefèvre", "email": "hugo.lefevre@example.fr"},
            "subject": "RDV pour essayer le canapé Oslo",
            "text": "Bonjour, je voudrais venir essayer le canapé Oslo en magasin samedi matin. "
            "Est-ce possible vers 10 h ? Hugo",
            "sent_at": ago(2),
        },
        {
            "external_id": "demo-contact-0006",
            "from": {"name": "Service client Client SA", "email": "support@client.com"},
            "subject": "Ticket 5521 : facture introuvable",
            "text": "Bonjour, nous avons un problème : la facture de novembre n'apparaît pas dans notre "
            "espace client. Pouvez-vous la renvoyer ?",
            "sent_at": ago(1.5),
        },
        {
            "external_id": "demo-contact-0004",
            "from": camille,
            "subject": "Re: Commande 48213 toujours pas livrée",
            "text": "Re-bonjour, toujours rien aujourd'hui. Si le colis est perdu, je préfère un "
            "remboursement plutôt qu'un nouvel envoi. Camille",
            "thread_key": "order-48213",
            "sent_at": ago(1),
        },
    ]


def send_webhook(
    api_url: str, integration_id: str, secret: str, message: dict[str, Any], sign: Callable[..., str]
) -> dict[str, Any]:
    """POST one message to the custom webhook, signed like a real sender would."""
    body = json.dumps(message, ensure_ascii=False).encode()
    response = requests.post(
        f"{api_url}/webhooks/custom/{integration_id}",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Inbox-Signature": sign(secret, body, int(time.time())),
        },
        timeout=30,
    )
    if response.status_code != 202:
        raise SeedError(f"the custom webhook answered {response.status_code}: {response.text[:300]}")
    return _json(response)


def seed(
    aws: Aws,
    state: dict[str, Any],
    *,
    pool_id: str,
    client_id: str,
    api_url: str,
    sign: Callable[..., str] | None,
    vonage: Any = None,
    openai: Any = None,
    shop: Any = None,
) -> None:
    """Bring the demo tenant to completion, recording progress in `state` (even when a step fails)."""
    if not (state.get("admin") and user_exists(aws, pool_id, state["admin"]["username"])):
        created = create_admin(aws, pool_id)
        # A new user means a new tenant: nothing recorded before belongs to it, but the fakes'
        # accounts, whose keys the running fakes already use.
        vonage_keys = {k: v for k, v in state.get("vonage", {}).items() if k not in ("integration_id", "api_base_url")}
        openai_keys = {k: v for k, v in state.get("openai", {}).items() if k != "base_url"}
        state.clear()
        if vonage_keys:
            state["vonage"] = vonage_keys
        if openai_keys:
            state["openai"] = openai_keys
        state.update(
            tenant_id=created["tenant_id"],
            admin={"username": created["username"], "password": created["password"]},
        )
    if not state.get("people"):  # also for a demo tenant seeded before it had people
        from .people import add_people

        add_people(aws, pool_id, state)
    steps = ("custom_webhook", "folders", "ai_replies", "demo_messages_sent", "vonage_demo_sent")
    steps += ("lookups",) if shop is not None else ()
    steps += ("vonage_templates",) if vonage is not None else ()
    moved = openai is not None and state.get("openai", {}).get("base_url") != openai.base_url
    moved |= shop is not None and state.get("shop", {}).get("endpoint") != shop.url
    if all(state.get(step) for step in steps) and not moved:
        return
    if sign is None:
        raise SeedError("the webhook signing helper (inbox.domain.signatures) could not be imported")
    token = id_token(aws, client_id, state["admin"]["username"], state["admin"]["password"])
    if not state.get("custom_webhook"):
        state["custom_webhook"] = create_integration(api_url, token)
        log.info("created the demo custom webhook integration")
    if not state.get("folders"):  # before the messages, so that they are filed as they arrive
        state["folders"] = create_folders(api_url, token)
        log.info("created the demo folders")
        if openai is not None:  # before the messages too: the classifier may ask at once
            teach_fake_openai(openai, state["folders"])
    if openai is not None and state.get("openai", {}).get("base_url") != openai.base_url:
        use_fake_openai(api_url, token, openai)
        state.setdefault("openai", {})["base_url"] = openai.base_url
    if not state.get("ai_replies"):  # before the messages too: they are answered as they are filed
        from .seed_ai_replies import seed_ai_replies

        state["ai_replies"] = seed_ai_replies(api_url, token)
    hook = state["custom_webhook"]
    if not state.get("demo_messages_sent"):
        for message in demo_messages(datetime.now(UTC)):
            send_webhook(api_url, hook["integration_id"], hook["secret"], message, sign)
        state["demo_messages_sent"] = True
        log.info("sent the demo messages through the custom webhook")
    if vonage is not None:
        seed_vonage(state, api_url, token, vonage)
    if shop is not None:  # last: the rest of the demo does not wait for it
        from .seed_lookups import seed_lookups

        seed_lookups(state, api_url, token, shop)


# The folders of the examples, and one the AI filter fills (the fake OpenAI answers for it).
DEMO_FOLDERS = [
    {
        "name": "Appointments",
        "color": "#2f80ed",
        "rules": {
            "any": [
                {"field": "subject", "op": "contains", "value": "RDV"},
                {"field": "body", "op": "contains", "value": "rendez-vous"},
            ]
        },
        "auto_reply": {"enabled": True, "mode": "validation"},
    },
    {
        "name": "Support",
        "color": "#eb5757",
        "rules": {
            "all": [
                {"field": "from_email", "op": "equals", "value": "support@client.com"},
                {"field": "body", "op": "contains", "value": "problème"},
            ]
        },
    },
    {
        "name": "Delivery",
        "color": "#27ae60",
        "ai_filter": "Orders whose parcel is late, lost or damaged, and questions about delivery.",
        "ai_examples": ["Mon colis n'est toujours pas arrivé, la commande date de dix jours."],
    },
]
DEMO_AI_MODEL = "gpt-4o-mini"
DELIVERY_WORDS = ("colis", "livraison", "livrée", "livré", "parcel", "delivery")


def create_folders(api_url: str, token: str) -> dict[str, str]:
    ids = {}
    for folder in DEMO_FOLDERS:
        response = requests.post(
            f"{api_url}/folders", json=folder, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        if response.status_code != 201:
            raise SeedError(f"POST /folders answered {response.status_code}: {response.text[:300]}")
        ids[folder["name"]] = _json(response)["id"]
    return ids


def use_fake_openai(api_url: str, token: str, openai: Any) -> None:
    """The tenant's AI settings point at the fake OpenAI of this stack."""
    response = requests.put(
        f"{api_url}/settings/ai",
        json={"api_key": openai.api_key, "base_url": openai.base_url, "model": DEMO_AI_MODEL},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    if response.status_code != 200:
        raise SeedError(f"PUT /settings/ai answered {response.status_code}: {response.text[:300]}")


def teach_fake_openai(openai: Any, folders: dict[str, str]) -> None:
    """What the fake model answers in the demo: delivery trouble goes to Delivery, the rest nowhere."""
    openai.rules.clear()  # the folders of this tenant only: a start after a reset has new ids
    if "Delivery" in folders:
        answer = {"folder": folders["Delivery"], "intent": "complaint", "urgency": "normal", "spam": False}
        openai.when(list(DELIVERY_WORDS), answer | {"confidence": "high", "reason": "A delivery problem."})


# The demo's Vonage numbers (reserved for fiction in France: +33 7 57 00 xx xx is not allotted).
DEMO_SMS_NUMBER, DEMO_WHATSAPP_NUMBER = "+33757000000", "+33757000001"


def vonage_account(state: dict[str, Any]) -> dict[str, Any]:
    """The fake Vonage account of the demo, made once and kept, so its integration stays valid."""
    from .vonage import new_private_key_pem

    account = state.setdefault("vonage", {})
    if "private_key_pem" not in account:
        account.update(
            application_id=f"demo-app-{secrets.token_hex(4)}",
            private_key_pem=new_private_key_pem(),
            api_key="demo1234",
            api_secret=secrets.token_urlsafe(16),
            signature_secret=secrets.token_urlsafe(32),
        )
    return account


def seed_vonage(state: dict[str, Any], api_url: str, token: str, vonage: Any) -> None:
    """A Vonage integration (the stack's Vonage is the fake) with the WhatsApp Business Account whose templates
    the fake serves (listed in the demo without typing its id), and an SMS and a WhatsApp message delivered by
    it, signed, through the stack's own webhook URLs."""
    from .vonage_templates import DEMO_WABA_ID

    account = state["vonage"]
    headers = {"Authorization": f"Bearer {token}"}
    if not account.get("integration_id"):
        response = requests.post(
            f"{api_url}/integrations",
            json={
                "kind": "vonage",
                "name": "Boutique SMS & WhatsApp",
                "sms_numbers": [DEMO_SMS_NUMBER],
                "whatsapp_numbers": [DEMO_WHATSAPP_NUMBER],
                "api_key": account["api_key"],
                "api_secret": account["api_secret"],
                "application_id": account["application_id"],
                "private_key": account["private_key_pem"],
                "signature_secret": account["signature_secret"],
                "whatsapp_business_account_id": DEMO_WABA_ID,
            },
            headers=headers,
            timeout=30,
        )
        if response.status_code != 201:
            raise SeedError(f"POST /integrations (vonage) answered {response.status_code}: {response.text[:300]}")
        account["integration_id"] = _json(response)["id"]
        state["vonage_templates"] = True
    account.pop("api_base_url", None)  # Vonage's host is the stack's (VonageApiBaseUrl), never the tenant's
    if not state.get("vonage_templates"):  # a demo seeded before: its integration had no WABA id
        response = requests.put(
            f"{api_url}/integrations/{account['integration_id']}",
            json={"vonage": {"whatsapp_business_account_id": DEMO_WABA_ID}},
            headers=headers,
            timeout=30,
        )
        if response.status_code != 200:
            raise SeedError(f"PUT /integrations (vonage) answered {response.status_code}: {response.text[:300]}")
        state["vonage_templates"] = True
    if state.get("vonage_demo_sent"):
        return
    from .seed_ai_replies import HOURS_SMS

    hours = vonage.deliver_sms(f"{api_url}/webhooks/sms", HOURS_SMS[0], DEMO_SMS_NUMBER.lstrip("+"), HOURS_SMS[1])
    sms = vonage.deliver_sms(
        f"{api_url}/webhooks/sms",
        "33644556677",
        DEMO_SMS_NUMBER.lstrip("+"),
        "Bonjour, je passe récupérer ma commande 48250 samedi matin, vous ouvrez à quelle heure ?",
    )
    whatsapp = vonage.deliver(
        f"{api_url}/webhooks/whatsapp",
        vonage.whatsapp_inbound(
            DEMO_WHATSAPP_NUMBER.lstrip("+"),
            "33698765432",
            name="Karim Benali",
            text="Salut ! Le colis est arrivé mais le carton est abîmé et le pied de la lampe est cassé. "
            "Je fais comment ?",
        ),
    )
    for name, delivery in (("SMS", hours), ("SMS", sms), ("WhatsApp", whatsapp)):
        if not delivery.ok:
            raise SeedError(f"the demo {name} webhook answered {delivery.statuses}: {delivery.attempts[-1].body[:300]}")
    state["vonage_demo_sent"] = True
    log.info("delivered two demo SMS and a demo WhatsApp message through the fake Vonage")
