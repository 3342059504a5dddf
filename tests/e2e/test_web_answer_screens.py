"""Issue 16's answer screens as a French small business uses them, on a phone (web/e2e/answer-screens.mjs):
Settings → IA → Recherches with the demo's lookup listed, Settings → IA → the try panel with its email
headers field, the saved replies' screen, the composer's saved-reply menu and the WhatsApp template picker
of a conversation whose window is closed, in the demo tenant, French from the browser's language at 390 px.
On each: nothing scrolls sideways, every control is inside the window and on top where a finger lands, the
main ones are 44 px tap targets, the words are French (no English left from the catalogs, no raw message
key), axe finds nothing serious. Screenshots go to the test's tmp dir."""

from __future__ import annotations

import json
import re
import secrets

import pytest
import requests

from helpers.local_stack import REPO, id_token
from helpers.web import closed_window_conversation, list_demo_templates, run_browser
from local.seed_lookups import ORDER_LOOKUP

pytestmark = pytest.mark.e2e

SCREENS = ("lookups", "aiTry", "savedReplies", "savedReplyMenu", "templatePicker")
ENTRY = re.compile(r'^  "([^"]+)":\s*("(?:[^"\\]|\\.)*"),?$', re.MULTILINE)


def catalog(language: str) -> dict[str, str]:
    """web/src/i18n/messages.ts's `language` catalog: key -> words (`{name}` where a value goes)."""
    source = (REPO / "web" / "src" / "i18n" / "messages.ts").read_text()
    start = source.index(f"export const {language}")
    block = source[start : source.index("\n}", start)]
    return {key: json.loads(literal.replace("\\'", "'")) for key, literal in ENTRY.findall(block)}


def english_left(words: list[str], en: dict[str, str], fr: dict[str, str]) -> list[str]:
    """The words shown that are English only: a catalog's English words (values put in) French says otherwise;
    words of its own needed ("{status}: {reason}" would match any French sentence with a colon)."""
    french = set(fr.values())
    patterns = [
        re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+", re.escape(text)) + "$", re.DOTALL)
        for key, text in en.items()
        if text != fr[key] and text not in french and re.search(r"[A-Za-z]{3}", re.sub(r"\{\w+\}", "", text))
    ]
    return [word for word in words if any(pattern.match(word) for pattern in patterns)]


def test_the_answer_screens_in_french_on_a_phone(web_stack, tmp_path):
    token = id_token(web_stack)
    # The demo's WhatsApp templates listed, and a customer of this test's own whose window is closed.
    list_demo_templates(web_stack, token)
    closed_window_conversation(web_stack, token, "33655443322", "Marie Lefèvre")
    title = f"Horaires d'ouverture {secrets.token_hex(2)}"
    text = "Bonjour {{contact.first_name}}, nous sommes ouverts du mardi au samedi, de 9 h à 19 h."
    created = requests.post(
        f"{web_stack['api_url']}/saved-replies",
        json={"title": title, "text": text, "scope": "team"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert created.status_code == 201, created.text

    seen = run_browser(
        "answer-screens.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "SHOTS_DIR": str(tmp_path),
            "WHATSAPP_CONTACT": "Marie Lefèvre",
            "SAVED_REPLY_TITLE": title,
            "DEMO_LOOKUP": ORDER_LOOKUP["name"],
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert sorted(seen["screens"]) == sorted(SCREENS)
    en, fr = catalog("en"), catalog("fr")
    for name, screen in seen["screens"].items():
        assert screen["scrollWidth"] <= screen["innerWidth"], f"{name} scrolls sideways"
        assert screen["unreachable"] == [], name
        assert screen["small"] == [], name
        assert screen["axe"] == [], name
        assert english_left(screen["words"], en, fr) == [], name
        assert [word for word in screen["words"] if word in en] == [], f"{name} shows message keys"
        assert (tmp_path / f"{name}-1.png").is_file()
    assert seen["menuFieldShown"] is True
    # French words a person reads on each, as the catalog has them.
    assert fr["settings.lookups.add"] in seen["screens"]["lookups"]["words"]
    # The demo's lookup in the list measured, not only in the add form's placeholder ("find_order" as well).
    assert ORDER_LOOKUP["name"] in seen["lookupsListed"], "the demo's lookup is not listed"
    assert ORDER_LOOKUP["name"] in seen["screens"]["lookups"]["words"]
    assert fr["settings.aiTry.headers"] in seen["screens"]["aiTry"]["words"]
    assert fr["savedReplies.team"] in seen["screens"]["savedReplies"]["words"]
    assert title in seen["screens"]["savedReplyMenu"]["words"]
    assert fr["compose.template.send"] in seen["screens"]["templatePicker"]["words"]
