"""Address lists as people and mail programs write them, not only as RFC 5322 allows.

`Max Kohl | [example.com] <kohl@example.com>` has specials in an unquoted name, and
`=?iso-8859-1?Q?B=FCrling,=20Andreas?= <a@example.com>` a comma inside an encoded word: strict
parsers split both into junk. Here an address is what stands in angle brackets, or the word with
an @; its name is the text before the brackets, with quotes taken off and comments left out (a
comment is the name only when nothing else is: `a@example.com (Ann Smith)`). Without brackets,
words beside the address are not a name: `a@example.com www.example.com` is a broken header.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r'"(?:\\.|[^"\\])*"?'  # a quoted string, unclosed at the end of the value too
    r"|\((?:\\.|[^()\\]|\((?:\\.|[^()\\])*\))*\)?"  # a comment, one level of nesting
    r"|<[^<>]*>?"  # an angle address
    r"|=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?="  # an encoded word, commas and all
    r"|[,;:]"
    r"|[^\"(<=,;:]+|[=]",
)
_SEPARATORS = (",", ";")
_GROUP = ":"
_QUOTED_PAIR = re.compile(r"\\(.)")


def read_address_list(value: str) -> list[tuple[str, str]]:
    """(display name, address) pairs in an address header, in order; an address may be "" (a name alone)."""
    pairs: list[tuple[str, str]] = []
    item: list[str] = []
    has_at = False  # an @ outside quotes and comments in the item so far
    for match in _TOKEN.finditer(value):
        token = match.group()
        if token in _SEPARATORS:
            pairs += _read_item(item)
            item, has_at = [], False
        elif token == _GROUP and not has_at:
            item = []  # a group's name ("undisclosed-recipients:;"), not anybody's
        else:
            item.append(token)
            has_at = has_at or ("@" in token and not token.startswith(("(", '"')))
    pairs += _read_item(item)
    return pairs


def _read_item(tokens: list[str]) -> list[tuple[str, str]]:
    comments = [_unquote(token[1:].removesuffix(")")) for token in tokens if token.startswith("(")]
    words = [token for token in tokens if not token.startswith("(")]
    angles = [index for index, token in enumerate(words) if token.startswith("<")]
    if angles:
        address = words[angles[-1]][1:].removesuffix(">").strip()
        name = " ".join(_unquote(token) for token in words[: angles[0]]).strip()
    else:
        # No brackets: the word with an @ (or a lone word) is the address; other words are junk, not a name.
        text = " ".join(_unquote(token) for token in words).split()
        candidates = [word for word in text if "@" in word] or (text if len(text) == 1 else [])
        address = candidates[-1] if candidates else ""
        name = "" if address else " ".join(text)
    name = " ".join(name.split()) or " ".join(" ".join(comments).split())
    return [(name, "".join(address.split()))] if name or address else []


def _unquote(token: str) -> str:
    if token.startswith('"'):
        return _QUOTED_PAIR.sub(r"\1", token[1:].removesuffix('"'))
    return token
