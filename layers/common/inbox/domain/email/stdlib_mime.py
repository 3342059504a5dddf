"""A message's structure read with the standard library's parser: slow, but it reads anything.

The fallback of fast_mime.py and the reference it is compared with (benchmarks/parse_compare.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inbox.domain.email.attachments import (
    MAX_ATTACHMENTS,
    PartFile,
    content_type,
    filename_of,
    part_bytes,
    raw_header,
    safe,
)
from inbox.domain.email.bounded_parser import email_package
from inbox.domain.email.charsets import CharsetHints, body_text, note
from inbox.domain.email.parts import MAX_DEPTH, MessageParts

if TYPE_CHECKING:
    from email.message import EmailMessage


def read_parts_stdlib(raw: bytes, defects: list[str], hints: CharsetHints) -> MessageParts | None:
    """The headers, bodies and files of `raw` (headers already mended); None when no header could be read."""
    message = _parse(raw, defects)
    if message is None:
        return None
    parts = MessageParts()
    for name, value in message.raw_items():
        parts.headers.setdefault(name.strip().lower(), []).append(value)
    if not parts.headers:
        return None
    _StructureWalk(parts, defects, hints).visit(message, 0)
    report_type = str(safe(lambda: message.get_param("report-type"), "")).lower()
    if content_type(message) == "multipart/report" and report_type == "delivery-status":
        parts.delivery_report = True
    return parts


def _parse(raw: bytes, defects: list[str]) -> EmailMessage | None:
    if not raw.strip():
        return None
    parser = email_package().parser
    try:
        return parser.parsebytes(raw)
    except Exception as error:  # nesting past the recursion limit, parser bugs: keep the headers
        defects.append(f"mime: structure could not be read ({type(error).__name__})")
    try:
        return parser.parsebytes(raw, headersonly=True)
    except Exception:
        return None


class _StructureWalk:
    def __init__(self, parts: MessageParts, defects: list[str], hints: CharsetHints):
        self.parts = parts
        self.defects = defects
        self.hints = hints

    def visit(self, part: EmailMessage, depth: int) -> None:
        if depth > MAX_DEPTH:
            note(self.defects, "mime: nested too deeply, the rest ignored")
            return
        for defect in part.defects:
            note(self.defects, f"mime: {type(defect).__name__}")
        kind = content_type(part)
        if kind == "message/delivery-status":
            self.parts.delivery_report = True
        if kind.startswith("multipart/"):
            if not part.is_multipart():  # no usable boundary: what there is, is text
                self.parts.texts.append(self._body_text(part, "text/plain"))
                return
            children = [child for child in safe(part.get_payload, []) if hasattr(child, "get_content_type")]
            if kind == "multipart/alternative":
                self._visit_alternatives(children, depth)
            else:
                for child in children:
                    self.visit(child, depth + 1)
            return
        disposition = safe(part.get_content_disposition, None)
        if kind in ("text/plain", "text/html") and disposition != "attachment" and not filename_of(part):
            (self.parts.texts if kind == "text/plain" else self.parts.htmls).append(self._body_text(part, kind))
            return
        if len(self.parts.files) >= MAX_ATTACHMENTS:
            note(self.defects, f"attachments: more than {MAX_ATTACHMENTS}, the rest ignored")
            return
        data = part_bytes(part, email_package().serializer, self.defects)
        content_id = safe(lambda: raw_header(part, "content-id"), None)
        self.parts.files.append(PartFile(kind, content_id, filename_of(part), data))

    def _visit_alternatives(self, children: list[EmailMessage], depth: int) -> None:
        outer_texts, outer_htmls = self.parts.texts, self.parts.htmls
        versions: list[tuple[list[str], list[str]]] = []
        for child in children:
            self.parts.texts, self.parts.htmls = [], []
            self.visit(child, depth + 1)
            versions.append((self.parts.texts, self.parts.htmls))
        self.parts.texts, self.parts.htmls = outer_texts, outer_htmls
        self.parts.keep_alternatives(versions)

    def _body_text(self, part: EmailMessage, kind: str) -> str:
        data = part_bytes(part, email_package().serializer, self.defects)
        return body_text(data, safe(part.get_content_charset, None), kind, self.defects, self.hints)
