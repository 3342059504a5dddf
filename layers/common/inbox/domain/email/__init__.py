"""Inbound email: raw bytes in, a `ParsedEmail` out, whatever the mail program that wrote them.

parse.py reads a message's structure with a Rust parser where it reads as the standard library
does (fast_mime.py), else with the standard library's (stdlib_mime.py, bounded_parser.py), and
builds the same ParsedEmail from either (parts.py); headers.py mends its header block first;
charsets.py turns its bytes into text; addresses.py reads its address lists; attachments.py its
files; identifiers.py, subjects.py and automated.py hold what threading and filing need of it.
"""

from inbox.domain.email.attachments import MAX_ATTACHMENTS, MAX_FILENAME_CHARS, ParsedAttachment
from inbox.domain.email.automated import AutomatedKind, classify_automated
from inbox.domain.email.charsets import decode_header_text, decode_text
from inbox.domain.email.identifiers import (
    MAX_MESSAGE_ID_CHARS,
    SYNTHETIC_DOMAIN,
    parse_message_ids,
    synthetic_message_id,
)
from inbox.domain.email.parse import (
    MAX_ADDRESSES,
    MAX_HEADER_CHARS,
    MAX_HEADERS,
    NOT_EMAIL,
    ParsedEmail,
    parse_email,
)
from inbox.domain.email.subjects import normalize_subject

__all__ = [
    "MAX_ADDRESSES",
    "MAX_ATTACHMENTS",
    "MAX_FILENAME_CHARS",
    "MAX_HEADERS",
    "MAX_HEADER_CHARS",
    "MAX_MESSAGE_ID_CHARS",
    "NOT_EMAIL",
    "SYNTHETIC_DOMAIN",
    "AutomatedKind",
    "ParsedAttachment",
    "ParsedEmail",
    "classify_automated",
    "decode_header_text",
    "decode_text",
    "normalize_subject",
    "parse_email",
    "parse_message_ids",
    "synthetic_message_id",
]
