"""The hold checks of automatic mode (issue 12, item 4): each reason, and what does not trip it."""

from __future__ import annotations

import pytest

from helpers.replies import COMPANY_PROMPT, PASSAGES
from inbox.domain.reply_checks import first_hold, links_in, phones_in, reply_holds, unknown_links, unknown_phones
from inbox.models import Channel
from inbox.models.ai_reply import HoldReason

KNOWN = [COMPANY_PROMPT, *(p.text for p in PASSAGES)]


def holds(text="Votre bouquet part aujourd'hui.", channel=Channel.EMAIL, **overrides):
    given = {"confidence": 0.9, "needs_person": False, "reason": "", "min_confidence": 0.7} | overrides
    return [h.reason for h in reply_holds(text, channel=channel, known_texts=KNOWN, **given)]


def test_a_grounded_sure_reply_is_not_held():
    assert holds("Livraison le jour même avant 14 h. Suivi : https://fleurs-lyon.fr/suivi") == []


def test_confidence_under_the_folder_threshold_holds():
    assert holds(confidence=0.69) == [HoldReason.LOW_CONFIDENCE]
    assert holds(confidence=0.7) == []  # at the threshold: sent
    assert holds(confidence=0.5, min_confidence=0.4) == []


def test_needs_a_person_holds_with_the_reason():
    [hold] = reply_holds(
        "Une personne va vous répondre.",
        confidence=0.9,
        needs_person=True,
        reason="refund dispute",
        min_confidence=0.7,
        channel=Channel.EMAIL,
        known_texts=KNOWN,
    )
    assert hold.reason is HoldReason.NEEDS_PERSON
    assert "refund dispute" in hold.detail


@pytest.mark.parametrize(
    "link",
    [
        "https://fleurs-lyon.fr.evil.com/suivi",
        "http://evil.example/reset",
        "www.evil.com",
        "evil.com",
        "bit.ly/3xYz",
        "https://fleurs-lyon.fr/suivi?next=https://evil.com",
        "https://fleurs-lyon.fr@evil.com/suivi",
        "support@evil-fleurs.fr",
        "remboursement@fleurs-lyon.fr",
    ],
)
def test_a_link_or_address_from_neither_source_holds(link):
    assert holds(f"Rendez-vous sur {link} pour la suite.") == [HoldReason.UNKNOWN_LINK]


@pytest.mark.parametrize(
    "link",
    [
        "https://fleurs-lyon.fr/suivi",
        "http://www.fleurs-lyon.fr/suivi/",  # scheme, www. and a trailing slash make no difference
        "fleurs-lyon.fr/suivi.",
        "https://FLEURS-LYON.fr/commander",  # the company prompt names the whole site
        "contact@fleurs-lyon.fr",
        "https://fleurs-lyon.fr/suivi#colis",
    ],
)
def test_a_link_the_knowledge_base_or_prompt_gives_is_known(link):
    assert holds(f"Voir {link}") == []


def test_words_with_dots_are_not_links():
    assert links_in("Voir le fichier tarifs.pdf, M.Dupont, v1.2, 10.30 €, e.g. ceci, etc.") == []


def test_a_phone_number_from_neither_source_holds():
    assert holds("Appelez le 06 98 76 54 32.") == [HoldReason.UNKNOWN_PHONE]
    assert holds("Call +44 20 7946 0958") == [HoldReason.UNKNOWN_PHONE]


def test_a_known_number_written_another_way_is_known():
    assert unknown_phones("Appelez le +33 4 78 00 00 00 ou le 04.78.00.00.00", KNOWN) == []
    assert phones_in("04 78 00 00 00") == {"+33478000000": "04 78 00 00 00"}


def test_order_numbers_and_dates_are_not_phone_numbers():
    assert holds("Votre commande 123456789 du 12/03/2026 à 10h30, réf. 2024001234.") == []


@pytest.mark.parametrize(("channel", "limit"), [(Channel.SMS, 320), (Channel.WHATSAPP, 4096)])
def test_over_the_channel_limit_is_held_not_cut(channel, limit):
    assert holds("a" * limit, channel) == []
    [hold] = reply_holds(
        "a" * (limit + 1),
        confidence=0.9,
        needs_person=False,
        reason="",
        min_confidence=0.7,
        channel=channel,
        known_texts=KNOWN,
    )
    assert hold.reason is HoldReason.TOO_LONG
    assert f"{limit + 1} characters, over the {limit} of {channel.value}" in hold.detail


def test_the_weightiest_reason_first_and_the_others_named():
    found = reply_holds(
        "Remboursement via evil.com ou au 06 98 76 54 32",
        confidence=0.2,
        needs_person=True,
        reason="dispute",
        min_confidence=0.7,
        channel=Channel.EMAIL,
        known_texts=KNOWN,
    )
    assert [h.reason for h in found] == [
        HoldReason.NEEDS_PERSON,
        HoldReason.LOW_CONFIDENCE,
        HoldReason.UNKNOWN_LINK,
        HoldReason.UNKNOWN_PHONE,
    ]
    reason, detail = first_hold(found)
    assert reason is HoldReason.NEEDS_PERSON
    for named in ("low_confidence", "evil.com", "06 98 76 54 32"):
        assert named in detail
    assert first_hold([]) == (None, None)


def test_an_unknown_link_is_named_once():
    assert unknown_links("evil.com, evil.com et encore evil.com", []) == ["evil.com"]
