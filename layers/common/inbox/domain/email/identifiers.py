"""Message-IDs: read tolerantly from what mailers send, and made up stably when a message has none."""

from __future__ import annotations

import hashlib
import re

SYNTHETIC_DOMAIN = "synthetic.inbox.invalid"
MAX_MESSAGE_ID_CHARS = 500

_ID_TOKEN = re.compile(r"<([^<>]*)>|<([^<>\s]+)|([^\s<>,;()\"]+)")
_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:(.*)$")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_SYNTHETIC_FIELDS = (b"from", b"to", b"cc", b"date", b"subject")


def parse_message_ids(value: str | None) -> list[str]:
    """Message-IDs in a header value, without <>, in order, once each.

    Tolerant of what real mailers send: several ids separated by spaces, commas or nothing,
    missing or unclosed brackets, ids folded across lines. A bare word counts only if it has an @.
    """
    if not value:
        return []
    ids: list[str] = []
    for closed, unclosed, bare in _ID_TOKEN.findall(value):
        candidate = "".join((closed or unclosed).split()) if (closed or unclosed) else bare
        if bare and "@" not in bare:
            continue
        if usable_id(candidate):
            ids.append(candidate)
    return list(dict.fromkeys(ids))


def usable_id(candidate: str) -> bool:
    return 0 < len(candidate) <= MAX_MESSAGE_ID_CHARS and candidate.isprintable() and " " not in candidate


def synthetic_message_id(raw: bytes) -> str:
    """A stable id for mail without a usable Message-ID: the same message always gets the same one.

    SHA-256 of the parts of the raw bytes that every copy of one message shares, whatever folder or
    server it was fetched from: the From, To, Cc, Date and Subject values (whitespace runs folded,
    not decoded) and the body after the first blank line (line endings as LF, trailing whitespace
    dropped). Headers that servers add on delivery (Received, Return-Path, X-...) are left out.
    """
    split = _BLANK_LINE.search(raw)
    head, body = (raw[: split.start()], raw[split.end() :]) if split else (raw, b"")
    values: dict[bytes, bytes] = {}
    lines = re.sub(rb"\r?\n[ \t]", b" ", head).split(b"\n")
    if lines[0].startswith(b"From "):  # an mbox separator, not part of the message
        lines = lines[1:] or [b""]
    if not _HEADER_LINE.match(lines[0].rstrip(b"\r")):
        head, body = b"", raw  # not a header block: all of it is content
        lines = []
    for line in lines:
        match = _HEADER_LINE.match(line.rstrip(b"\r"))
        if match and match.group(1).lower() in _SYNTHETIC_FIELDS:
            values.setdefault(match.group(1).lower(), b" ".join(match.group(2).split()))
    digest = hashlib.sha256(b"inbox synthetic message-id v1\n")
    for name in _SYNTHETIC_FIELDS:
        digest.update(name + b":" + values.get(name, b"") + b"\n")
    digest.update(b"\n" + body.replace(b"\r\n", b"\n").rstrip())
    return f"{digest.hexdigest()}@{SYNTHETIC_DOMAIN}"
