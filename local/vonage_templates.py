"""The fake Vonage's WhatsApp templates (issue 16, item 5): the WhatsApp Template Management API's list
(GET /v2/whatsapp-manager/wabas/{waba}/templates, application JWT, Meta's template objects, pages on
`paging.cursors.after` while `paging.next` is given), and the check of a template message against it:
only an APPROVED template goes out, with as many parameters as its BODY has placeholders.

Written from Vonage's and Meta's documentation, independently of `inbox`. Differences from Vonage:
one WhatsApp Business Account; the list's filters (category, name, status...) are not implemented;
a template message is refused at once (422), where Vonage may accept it and report the failure in a
status webhook.
"""

from __future__ import annotations

import re
from typing import Any

DEMO_WABA_ID = "104996385712345"


def _template(template_id: str, name: str, language: str, status: str, category: str, body: str) -> dict[str, Any]:
    return {
        "id": template_id,
        "name": name,
        "language": language,
        "status": status,
        "category": category,
        "components": [{"type": "BODY", "text": body}],
    }


# The demo account's templates, as Meta spells languages (fr, en_GB): approved, waiting and refused ones.
DEMO_TEMPLATES: list[dict[str, Any]] = [
    _template("9001", "order_ready", "fr", "APPROVED", "UTILITY", "Bonjour {{1}}, votre commande {{2}} est prête."),
    _template(
        "9002",
        "suivi_demande",
        "fr",
        "APPROVED",
        "UTILITY",
        "Bonjour {{1}}, nous revenons vers vous au sujet de votre demande {{2}}. Pouvons-nous encore vous aider ?",
    ),
    _template("9003", "welcome_back", "en_GB", "APPROVED", "UTILITY", "Hello again! How can we help?"),
    _template("9004", "avis_client", "fr", "PENDING", "MARKETING", "Bonjour {{1}}, que pensez-vous de votre achat ?"),
    _template("9005", "promo_noel", "fr", "REJECTED", "MARKETING", "Profitez de -20 % avec le code {{1}} !"),
]

LIST_PATH = re.compile(r"/v2/whatsapp-manager/wabas/([^/]+)/templates")


def template_page(templates: list[dict[str, Any]], waba: str, known: str | None, query: dict[str, str]) -> tuple:
    """(status, body) of a list request: the templates after the cursor `after`, `limit` of them."""
    if waba != known:
        return 404, "No WhatsApp Business Account with this id for this application."
    try:
        limit = int(query.get("limit", "25"))
    except ValueError:
        return 400, "limit must be a number."
    if not 1 <= limit <= 500:
        return 400, "limit must be between 1 and 500."
    start = 0
    if query.get("after"):
        ids = [t["id"] for t in templates]
        if query["after"] not in ids:
            return 400, "Unknown cursor."
        start = ids.index(query["after"]) + 1
    page = templates[start : start + limit]
    body: dict[str, Any] = {"templates": page}
    if page:
        body["paging"] = {"cursors": {"before": page[0]["id"], "after": page[-1]["id"]}}
        if start + limit < len(templates):
            body["paging"]["next"] = f"/v2/whatsapp-manager/wabas/{waba}/templates?limit={limit}&after={page[-1]['id']}"
    return 200, body


def _language(tag: str) -> str:
    return tag.lower().replace("_", "-")


def approval_problems(templates: list[dict[str, Any]], body: dict[str, Any]) -> list[dict[str, str]]:
    """A template message whose template is not approved in its language, or whose parameters do not
    match its body's placeholders."""
    template, whatsapp = body.get("template") or {}, body.get("whatsapp") or {}
    name, locale = template.get("name"), _language(str(whatsapp.get("locale", "")))
    named = [t for t in templates if t["name"] == name]
    # A locale of the template's language (fr-FR for a template approved in fr) is that language.
    same = [t for t in named if _language(t["language"]) in (locale, locale.split("-")[0])]
    if not same:
        return [{"name": "template.name", "reason": f"no template {name!r} in {locale or 'that language'}"}]
    found = same[0]
    if found["status"] != "APPROVED":
        return [{"name": "template.name", "reason": f"{name!r} is {found['status']}, not APPROVED"}]
    body_text = next((c.get("text", "") for c in found["components"] if c.get("type") == "BODY"), "")
    expected = len(set(re.findall(r"\{\{(\d+)\}\}", body_text)))
    given = len(template.get("parameters") or [])
    if given != expected:
        return [{"name": "template.parameters", "reason": f"{name!r} takes {expected} parameter(s), {given} given"}]
    return []
