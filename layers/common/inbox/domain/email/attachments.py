"""The parts of a message that are not its body: files, inline images, attached messages."""

from __future__ import annotations

import binascii
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from inbox.domain import filetypes
from inbox.domain.email.charsets import decode_header_text, note, unescape
from inbox.domain.email.identifiers import parse_message_ids

if TYPE_CHECKING:
    from email.message import EmailMessage

MAX_ATTACHMENTS = 500
MAX_FILENAME_CHARS = 200
_UUENCODINGS = frozenset({"x-uuencode", "uuencode", "x-uue", "uue"})


@dataclass(frozen=True)
class ParsedAttachment:
    """A MIME part that is not the body, as parsed: a file, an inline image, a forwarded or bounced message
    (ingest keeps it as a models.InboundAttachment, the conversation as a models.Attachment)."""

    filename: str  # a bare, safe file name: never a path
    declared_type: str | None  # what the sender said, lower-cased
    content_type: str  # what the bytes are (sniffed), else the declared type
    size: int
    content_id: str | None  # without <>
    inline: bool  # shown by the HTML body through a cid: URL, so not listed as a file
    data: bytes = field(repr=False)


class PartFile(NamedTuple):
    """A leaf part that is not the body, as either MIME reader (stdlib_mime.py, fast_mime.py) found it."""

    declared_type: str  # the part's content type, lower-cased
    content_id: str | None  # its Content-ID header as sent
    filename: str | None  # as the part names it (RFC 2231 decoded), not yet made safe
    data: bytes  # transfer-decoded


def attachments_of(files: list[PartFile], html: str | None, defects: list[str]) -> list[ParsedAttachment]:
    """The files of a message, each named safely and typed by its bytes; those its HTML shows are inline."""
    shown: set[str] = set()
    if html:
        from inbox.domain.html import referenced_content_ids

        shown = referenced_content_ids(html)
    attachments = []
    for file in files:
        declared = filetypes.normalize_content_type(file.declared_type)
        content_id = _content_id(file.content_id)
        filename = _safe_filename(file.filename, defects)
        data = file.data
        sniffed = filetypes.content_type_of(data, declared, filename)
        attachments.append(
            ParsedAttachment(
                filename=filename or _fallback_filename(sniffed),
                declared_type=declared,
                content_type=sniffed,
                size=len(data),
                content_id=content_id,
                inline=bool(content_id and content_id.lower() in shown),
                data=data,
            )
        )
    return attachments


def safe(call: Any, default: Any) -> Any:
    try:
        value = call()
    except Exception:
        return default
    return default if value is None else value


def content_type(part: EmailMessage) -> str:
    return str(safe(part.get_content_type, "text/plain")).lower()


def filename_of(part: EmailMessage) -> str | None:
    return safe(part.get_filename, None) or None


def raw_header(part: EmailMessage, name: str) -> str | None:
    return next((value for key, value in part.raw_items() if key.strip().lower() == name), None)


def part_bytes(part: EmailMessage, serializer: Any, defects: list[str]) -> bytes:
    """The decoded bytes of a leaf part; an attached message (message/rfc822, delivery-status) re-emitted."""
    if part.is_multipart():
        try:
            payload = part.get_payload()
            if isinstance(payload, list):
                return b"\n".join(inner.as_bytes(policy=serializer) for inner in payload)
        except Exception:
            note(defects, "attachments: an attached message could not be re-emitted")
        return b""
    encoding = str(safe(lambda: raw_header(part, "content-transfer-encoding"), "")).strip().lower()
    if encoding in _UUENCODINGS:
        payload = safe(lambda: part.get_payload(decode=False), "")
        return decode_uuencoded(payload if isinstance(payload, str) else "")
    data = safe(lambda: part.get_payload(decode=True), b"")
    return data if isinstance(data, bytes) else b""


def decode_uuencoded(text: str) -> bytes:
    """uuencoded data, with its `begin <mode> <name>` line or without it (some mailers leave it out)."""
    lines = text.splitlines()
    start = next((index + 1 for index, line in enumerate(lines[:50]) if line.startswith("begin ")), 0)
    data = bytearray()
    for line in (line.rstrip("\r\n") for line in lines[start:]):
        if line.strip() == "end":
            break
        if not line.strip() or not line.isascii():
            continue
        length = (ord(line[0]) - 32) & 63  # the line's byte count, which some encoders pad past
        try:
            data += binascii.a2b_uu(line)
        except binascii.Error:
            try:
                data += binascii.a2b_uu(line[: 1 + (length * 4 + 2) // 3])
            except binascii.Error:
                continue
    return bytes(data)


def _content_id(value: str | None) -> str | None:
    if value is None:
        return None
    ids = parse_message_ids(unescape(value))
    cleaned = ids[0] if ids else "".join(unescape(value).split()).strip("<>")
    return cleaned[:250] if cleaned and cleaned.isprintable() else None


_UNSAFE_FILENAME_CHARS = re.compile(r'[<>:"|?*]')


def _safe_filename(name: str | None, defects: list[str]) -> str | None:
    """A bare file name that is safe on any disk and in any header: no directories, no `..`, no controls."""
    if not name:
        return None
    text = unescape(str(name))
    if "=?" in text:
        text = decode_header_text(text, defects, "attachments")
    text = " ".join(unicodedata.normalize("NFC", text).split())
    sent = text
    # Controls and bidi overrides (an "exe.pdf" that displays as "fdp.exe") first, then every directory.
    text = "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf"))
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE_FILENAME_CHARS.sub("_", text).strip(" .")
    if len(text) > MAX_FILENAME_CHARS:
        stem, dot, extension = text.rpartition(".")
        suffix = "." + extension if dot and 0 < len(extension) <= 16 else ""
        text = (stem if suffix else text)[: MAX_FILENAME_CHARS - len(suffix)].rstrip(" .") + suffix
    if text != sent:
        note(defects, "attachments: unsafe file name cleaned")
    return text or None


def _fallback_filename(content_type: str) -> str:
    if content_type == "message/rfc822":
        return "message.eml"
    if content_type == "message/delivery-status":
        return "delivery-status.txt"
    return f"attachment.{filetypes.extension_for(content_type)}"
