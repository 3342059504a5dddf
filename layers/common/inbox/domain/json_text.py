"""JSON from strangers, read within bounds: nesting is measured on the raw text before it is parsed.

Python's parser recurses once per `[` or `{`, so a body of a few kilobytes of brackets would end
in a RecursionError before any of our checks ran. Here the brackets outside strings are counted
first, with bytes operations that take linear time and never recurse, and only a document that
fits is handed to the parser. The text must be UTF-8 and its strings Unicode (no half of a
surrogate pair), its numbers finite: what we store, log and send on has to be encodable.
"""

from __future__ import annotations

import json
from typing import Any

from inbox.errors import InvalidInputError

MAX_DEPTH = 32  # no webhook or API body we read comes close; a person's rules nest a few levels

_OPENERS, _CLOSERS = b"[{", b"]}"
# Every bracket becomes ( or ); every other byte goes.
_BRACKETS = bytes.maketrans(_OPENERS + _CLOSERS, b"((" + b"))")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _OPENERS + _CLOSERS)


def read_json(raw: bytes | str, field: str = "body", max_depth: int = MAX_DEPTH) -> Any:
    """The document in `raw`, or an InvalidInputError naming `field` and saying what is wrong."""
    try:
        data = raw.encode() if isinstance(raw, str) else raw
        text = raw if isinstance(raw, str) else data.decode()
    except UnicodeError as error:
        raise InvalidInputError(field, "is not UTF-8 text") from error
    if not _within_depth(data, max_depth):
        raise InvalidInputError(field, f"is nested more than {max_depth} levels deep")
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InvalidInputError(field, "is not valid JSON") from error
    except _ConstantError as error:
        raise InvalidInputError(field, f"has {error}, which is not a JSON number") from error
    except ValueError as error:  # an integer past Python's 4,300 digits
        raise InvalidInputError(field, "has a number too long to read") from error
    if b"\\u" in data:  # the only way a lone surrogate gets into valid UTF-8 text
        try:
            json.dumps(document, ensure_ascii=False).encode()
        except UnicodeEncodeError as error:
            raise InvalidInputError(field, "has a \\u escape that is half of a character") from error
    return document


def _within_depth(data: bytes, max_depth: int) -> bool:
    """Whether the brackets outside strings nest at most about `max_depth` deep (never more than
    twice that, whatever the text: the parser's recursion stays small)."""
    # Escaped backslashes first, then escaped quotes: what remains of `"` opens or closes a string.
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.split(b'"')[::2])
    brackets = outside.translate(_BRACKETS, _NOT_BRACKETS)
    # Each pass takes away the innermost level of every group: after n passes, only groups deeper
    # than n are left, and whatever does not pair up (which the parser will refuse anyway).
    for _ in range(max_depth):
        if not brackets:
            return True
        shorter = brackets.replace(b"()", b"")
        if len(shorter) == len(brackets):
            break
        brackets = shorter
    return b"()" not in brackets and len(brackets) <= max_depth


class _ConstantError(ValueError):
    """NaN, Infinity or -Infinity: Python's parser takes them, JSON does not."""


def _no_constant(name: str) -> Any:
    raise _ConstantError(name)
