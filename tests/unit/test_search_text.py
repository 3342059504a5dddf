"""What a person types into search, and what is found (issue 14, item 1): pure."""

from __future__ import annotations

import sqlite3

import pytest

from inbox.domain.search_text import fold, match_expression, numbers_in, phone_forms, tokens
from inbox.errors import InvalidInputError


def matches(query: str, *texts: str) -> list[str]:
    """The texts an FTS5 table with the index's tokenizer finds for the query."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE d USING fts5(t, tokenize='unicode61 remove_diacritics 2', prefix='2 3')")
    db.executemany("INSERT INTO d VALUES (?)", [(t,) for t in texts])
    return [row[0] for row in db.execute("SELECT t FROM d WHERE d MATCH ? ORDER BY rowid", (match_expression(query),))]


def test_words_are_found_whatever_their_accents_and_case():
    assert matches("probleme", "Un Problème de livraison", "Rien") == ["Un Problème de livraison"]
    assert matches("ÉLODIE", "elodie martin") == ["elodie martin"]
    assert fold("Œuvre Éçà") == "œuvre eca"
    assert tokens("L'équipe, jean.dupont@exemple.fr") == ["l", "equipe", "jean", "dupont", "exemple", "fr"]


def test_each_word_is_a_prefix_as_the_person_types():
    assert matches("commande", "Mes commandes", "Une comm") == ["Mes commandes"]
    assert matches("comm livr", "commande livrée", "commande perdue") == ["commande livrée"]


def test_a_quoted_phrase_matches_only_as_written_and_an_unclosed_one_as_typed_so_far():
    texts = ("la commande est arrivée", "arrivée, commande la")
    assert matches('"commande est arrivée"', *texts) == ["la commande est arrivée"]
    assert matches('"la comm', *texts) == ["la commande est arrivée"]


def test_an_address_is_found_by_its_start():
    assert matches("jean.dupont@ex", "de jean.dupont@exemple.fr", "jean@exemple.fr") == ["de jean.dupont@exemple.fr"]


def test_a_phone_number_is_found_with_or_without_spaces():
    stored = " ".join(phone_forms("+33612345678"))
    in_text = "Mon numéro: 06 12 34 56 78 " + " ".join(numbers_in("Mon numéro: 06 12 34 56 78"))
    for query in ("0612345678", "06 12 34 56 78", "+33 6 12 34 56 78", "06.12.34.56.78", "+33612345678"):
        assert matches(query, stored, in_text, "rien") == [stored, in_text], query


@pytest.mark.parametrize(
    "query",
    ['a" OR "b', "NEAR(a b)", "t:secret", "-x", "a* OR b*", "^start", "(a OR b) AND NOT c", "x'; DROP"],
)
def test_fts5_syntax_is_literal_text_never_an_operator(query):
    expression = match_expression(query)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE d USING fts5(t, u, tokenize='unicode61 remove_diacritics 2')")
    db.execute("SELECT * FROM d WHERE d MATCH ?", (expression,)).fetchall()  # never a syntax error
    inside = expression.replace(" AND ", " ").replace(" OR ", " ")
    for syntax in (":", "^", "NEAR"):
        assert syntax not in inside


def test_nothing_searchable_or_too_long_is_refused_on_q():
    for query in ("", "   ", '"" ()*', "-- !!"):
        with pytest.raises(InvalidInputError) as refused:
            match_expression(query)
        assert refused.value.field == "q"
    with pytest.raises(InvalidInputError):
        match_expression("a" * 201)
    assert match_expression("a" * 200)
