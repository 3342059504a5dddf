"""JSON from strangers: read within bounds, refused with the field named, never a crash."""

from __future__ import annotations

import pytest

from inbox.domain.json_text import MAX_DEPTH, read_json
from inbox.errors import InvalidInputError


def test_json_text_reads_an_ordinary_document_with_brackets_and_quotes_in_its_strings():
    raw = b'{"text": "[[[ {{ \\" ]]] \\\\", "emoji": "\\ud83d\\ude00", "list": [1, {"a": null}]}'
    assert read_json(raw) == {"text": '[[[ {{ " ]]] \\', "emoji": "😀", "list": [1, {"a": None}]}


def test_json_text_takes_nesting_up_to_the_limit():
    assert read_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"[" * 200_000 + b"]" * 200_000, "nested more than"),
        (b"[" * 200_000, "nested more than"),  # never closed: the parser would recurse all the same
        (b'{"a": ' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1), "nested more than"),
        (b'\\"' + b"[" * 5000, "nested more than"),  # an escaped quote outside a string hides nothing
        (b"1" * 5000, "number too long"),
        (b'{"a": NaN}', "NaN"),
        (b'["\\ud800"]', "half of a character"),
        (b'{"a": "\xff"}', "not UTF-8"),
        (b"[1, 2", "not valid JSON"),
    ],
    ids=["deep", "unclosed", "deep_objects", "escaped_quote", "long_number", "nan", "surrogate", "latin1", "cut"],
)
def test_json_text_refuses_what_it_cannot_read_naming_the_field(raw, says):
    with pytest.raises(InvalidInputError, match=says) as refused:
        read_json(raw, field="payload")
    assert refused.value.field == "payload"
