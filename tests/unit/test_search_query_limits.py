"""A query's words past the limit are refused on `q`, never silently dropped (issue 14 review, search
item 14): a 17th word that would have changed the results must not be ignored."""

from __future__ import annotations

import pytest

from inbox.domain.search_text import MAX_TERMS, match_expression
from inbox.errors import InvalidInputError


def test_a_query_of_the_most_words_is_read_and_one_more_is_a_422_on_q():
    words = [f"mot{n}" for n in range(MAX_TERMS)]
    assert match_expression(" ".join(words)).count(" AND ") == MAX_TERMS - 1
    with pytest.raises(InvalidInputError) as refused:
        match_expression(" ".join([*words, "dernier"]))
    assert refused.value.field == "q"
    assert str(MAX_TERMS) in str(refused.value)


def test_a_word_said_twice_counts_once():
    assert match_expression(" ".join(["commande"] * (MAX_TERMS + 4))) == match_expression("commande")
