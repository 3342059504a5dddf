"""The header block as mail programs read it, before the standard library reads it more strictly.

The email package ends the headers at the first line that is neither `Name:` nor indented. Real
mail has such lines in the middle of its headers (a long Subject or From that a broken mailer
continued without indenting, base64 spam-filter tags) and junk above them (`---- Original email
message ----` at the top of a forwarded file). Left alone, everything after such a line becomes
body and the message loses its sender and subject; so those lines are mended first, in the bytes.
"""

from __future__ import annotations

import re

# What the email package accepts as a header line (a name is any printable run up to a colon).
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
# What a person would take for a header: a plausible field name, not "tests=RULE:" from a spam report.
_FIELD = re.compile(rb"[A-Za-z][A-Za-z0-9_-]*[ \t]*:")
_WELL_KNOWN = re.compile(rb"(?i)(from|to|cc|subject|date|message-id|received|return-path|mime-version)[ \t]*:")
# Lines that are each a header or a continuation (_is_header_or_continuation), LF-separated.
_ALL_HEADER_LINES = re.compile(rb"(?:(?:[ \t]|[!-9;-~]+[ \t]*:)[^\n]*+\n)*+(?:[ \t]|[!-9;-~]+[ \t]*:)[^\n]*+")
_END_OF_HEADERS = re.compile(rb"\r?\n\r?\n")
_MAX_JUNK_LINES = 3
_MAX_HEADER_BYTES = 1_048_576  # a header block longer than this is not mended: the stdlib reads what it can


def mend_header_block(raw: bytes, defects: list[str]) -> bytes:
    """`raw` with junk lines above its headers dropped and unindented continuation lines indented.

    A line is only taken for a continuation when a header follows it before the blank line: a
    message without the blank line keeps its first line of text as its body.
    """
    end = _END_OF_HEADERS.search(raw, 0, _MAX_HEADER_BYTES)
    if end is None and len(raw) > _MAX_HEADER_BYTES:
        return raw
    head = raw[: end.start()] if end else raw
    first_line_end = head.find(b"\n")
    mbox = head.startswith(b"From ")  # an mbox separator, which the stdlib skips
    if (mbox and first_line_end < 0) or _ALL_HEADER_LINES.fullmatch(head, first_line_end + 1 if mbox else 0):
        return raw  # every line a header or a continuation (one C-level match, not a loop over lines)
    lines = head.split(b"\n")
    start = 1 if mbox else 0
    junk = 0
    while start + junk < len(lines) and junk < _MAX_JUNK_LINES and not _HEADER_LINE.match(lines[start + junk]):
        junk += 1
    if junk:
        rest = lines[start + junk :]
        if not (rest and _FIELD.match(rest[0]) and any(_WELL_KNOWN.match(line) for line in rest)):
            return raw  # not a header block after all: the bytes stay as they are
        defects.append("headers: junk above the headers skipped")
        lines = lines[:start] + rest
    last_field = max((index for index, line in enumerate(lines) if _FIELD.match(line)), default=-1)
    mended = False
    for index in range(start + 1, last_field):
        if not _is_header_or_continuation(lines[index]):
            lines[index] = b" " + lines[index]
            mended = True
    if mended:
        defects.append("headers: unindented lines read as continuations")
    return b"\n".join(lines) + (raw[end.start() :] if end else b"")


def _is_header_or_continuation(line: bytes) -> bool:
    return line[:1] in (b" ", b"\t") or bool(_HEADER_LINE.match(line))
