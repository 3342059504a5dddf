"""Folder rules as a business writes them: AND/OR, nesting, negation, no case or accent trouble."""

from __future__ import annotations

import time

import pytest
from pydantic import ValidationError

from inbox.domain.rules import FolderRules, Group, MessageFacts, first_match, fold

# The seed's two examples, as written in the issue.
APPOINTMENTS = {
    "any": [
        {"field": "subject", "op": "contains", "value": "RDV"},
        {"field": "body", "op": "contains", "value": "rendez-vous"},
    ]
}
SUPPORT = {
    "all": [
        {"field": "from_email", "op": "equals", "value": "support@client.com"},
        {"field": "body", "op": "contains", "value": "problème"},
    ]
}
FOLDERS = [
    FolderRules("appointments", Group.model_validate(APPOINTMENTS)),
    FolderRules("support", Group.model_validate(SUPPORT)),
]


@pytest.mark.parametrize(
    ("facts", "folder"),
    [
        (MessageFacts(subject="Demande de RDV jeudi", body="Bonjour"), "appointments"),
        (MessageFacts(subject="Question", body="Je voudrais prendre rendez-vous."), "appointments"),
        (MessageFacts(from_email="support@client.com", subject="Ticket", body="Un problème d'accès"), "support"),
        (MessageFacts(from_email="Support@Client.COM", body="PROBLEME de connexion"), "support"),
        (MessageFacts(from_email="someone@client.com", body="Un problème"), None),
        (MessageFacts(from_email="support@client.com", body="Merci pour tout"), None),
        (MessageFacts(subject="rdv", from_email="support@client.com", body="problème"), "appointments"),  # order wins
    ],
)
def test_the_seed_examples_file_messages_as_written(facts, folder):
    assert first_match(FOLDERS, facts) == folder


def test_accents_and_case_do_not_matter_in_either_direction():
    rule = Group.model_validate({"all": [{"field": "body", "op": "contains", "value": "probleme"}]})
    assert rule.holds(MessageFacts(body="Gros Problème ici"))
    rule = Group.model_validate({"all": [{"field": "subject", "op": "starts_with", "value": "Réclamation"}]})
    assert rule.holds(MessageFacts(subject="RECLAMATION commande 12"))
    assert fold("  Ça   Coûte\tcher ") == "ca coute cher"


def test_nested_groups_and_negation():
    rule = Group.model_validate(
        {
            "all": [
                {"field": "channel", "op": "equals", "value": "email"},
                {
                    "any": [
                        {"field": "subject", "op": "contains", "value": "facture"},
                        {"field": "subject", "op": "contains", "value": "invoice"},
                    ]
                },
                {"field": "from_domain", "op": "ends_with", "value": "example.com", "not": True},
            ]
        }
    )
    assert rule.holds(MessageFacts(channel="email", subject="Votre facture", from_email="a@shop.fr"))
    assert rule.holds(MessageFacts(channel="email", subject="Invoice 12", from_email="a@shop.fr"))
    assert not rule.holds(MessageFacts(channel="email", subject="Invoice 12", from_email="a@example.com"))
    assert not rule.holds(MessageFacts(channel="sms", subject="Invoice 12", from_email="a@shop.fr"))
    assert not rule.holds(MessageFacts(channel="email", subject="Hello", from_email="a@shop.fr"))


def test_headers_phone_and_recipient_can_be_tested():
    rule = Group.model_validate(
        {
            "any": [
                {"field": "header:X-Shop-Order", "op": "matches", "value": r"^\d{5}$"},
                {"field": "from_phone", "op": "starts_with", "value": "+336"},
                {"field": "to", "op": "contains", "value": "sav@"},
            ]
        }
    )
    assert rule.holds(MessageFacts(headers={"x-shop-order": "48213"}))
    assert not rule.holds(MessageFacts(headers={"x-shop-order": "48213a"}))
    assert rule.holds(MessageFacts(from_phone="+33612345678"))
    assert rule.holds(MessageFacts(to="sav@shop.fr, contact@shop.fr"))


def test_a_catastrophic_regular_expression_returns_at_once():
    # (a+)+$ on "aaa…b" takes a backtracking engine (Python's re) longer than the age of the universe
    # at this length; RE2 is linear, so the classifier never hangs on a person's rule.
    rule = Group.model_validate({"all": [{"field": "body", "op": "matches", "value": "(a+)+$"}]})
    started = time.perf_counter()
    assert not rule.holds(MessageFacts(body="a" * 19_999 + "!"))
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "document",
    [
        {"all": [{"field": "bodies", "op": "contains", "value": "x"}]},
        {"all": [{"field": "body", "op": "resembles", "value": "x"}]},
        {"all": [{"field": "body", "op": "contains", "value": ""}]},
        {"all": [{"field": "body", "op": "matches", "value": "(?<=a)b"}]},  # lookbehind: not RE2
        {"all": []},
        {
            "all": [{"field": "body", "op": "contains", "value": "x"}],
            "any": [{"field": "body", "op": "contains", "value": "y"}],
        },
    ],
)
def test_a_rule_that_cannot_work_is_refused_when_saved(document):
    with pytest.raises(ValidationError):
        Group.model_validate(document)


def test_rules_are_bounded_in_depth_and_size():
    deep: dict = {"all": [{"field": "body", "op": "contains", "value": "x"}]}
    for _ in range(6):
        deep = {"all": [deep]}
    with pytest.raises(ValueError, match="nest"):
        Group.model_validate(deep).check_size()
    wide = {"any": [{"field": "body", "op": "contains", "value": str(n)} for n in range(51)]}
    with pytest.raises(ValueError, match="at most 50"):
        Group.model_validate(wide).check_size()
