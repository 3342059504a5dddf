"""A knowledge-base document's text: typed in, or read out of an uploaded PDF, DOCX, TXT or HTML file.

What a file is comes from its bytes (domain.filetypes.sniff), never from its name: an executable
named faq.pdf is refused. The name only tells HTML or Markdown from plain text, which the bytes
cannot always say. The readers (pypdf, python-docx) are imported here, on the upload's path alone:
no other request pays for them. Every bound is checked before the work it bounds: the file's size,
a DOCX's unpacked size (a zip bomb is a few kilobytes), a PDF's pages, the text's size.
"""

from __future__ import annotations

import io
import re
import unicodedata

from inbox.domain.filetypes import DOCX, by_extension, sniff
from inbox.errors import InvalidInputError, PayloadTooLargeError
from inbox.models.knowledge import DocumentKind

MAX_UPLOAD_BYTES = 4 * 1024 * 1024  # base64 in a JSON body: 5.6 MB, within Lambda's 6 MB request (README)
MAX_TEXT_BYTES = 300_000  # a document's text, UTF-8: its passages fit one table item (400 KB)
MAX_PDF_PAGES = 1_000
MAX_DOCX_UNPACKED_BYTES = 64 * 1024 * 1024
ACCEPTED = "a PDF, DOCX, TXT or HTML file"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_MARKDOWN_NAMES = (".md", ".markdown")


def clean_text(text: str, field: str = "text") -> str:
    """Text as stored: NFC, Unix newlines, no control characters, no trailing spaces, at most one
    blank line in a row; empty or too long is refused, naming `field`."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text:
        raise InvalidInputError(field, "holds no text")
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise PayloadTooLargeError(f"{field}: the text is over {MAX_TEXT_BYTES:,} bytes; split the document")
    return text


def kind_of(data: bytes, filename: str | None) -> DocumentKind:
    """What an upload is, from its bytes; anything but the four accepted kinds is refused (422, `file`)."""
    if not data:
        raise InvalidInputError("file", "is empty")
    # UTF-16 text: its NUL bytes look binary to a sniff.
    sniffed = "text/plain" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else sniff(data)
    named = by_extension(filename)
    if sniffed == "application/pdf":
        return DocumentKind.PDF
    if sniffed == DOCX:
        return DocumentKind.DOCX
    if sniffed == "text/html" or (sniffed == "text/plain" and named == "text/html"):
        return DocumentKind.HTML
    if sniffed == "text/plain":
        markdown = (filename or "").lower().endswith(_MARKDOWN_NAMES)
        return DocumentKind.MARKDOWN if markdown else DocumentKind.TXT
    raise InvalidInputError("file", f"is {sniffed or 'binary data'}, not {ACCEPTED}")


def extract_text(data: bytes, kind: DocumentKind) -> str:
    """The text of an upload of `kind` (from kind_of), cleaned; 422 naming `file` when it holds none."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise PayloadTooLargeError(f"file: over {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    if kind is DocumentKind.PDF:
        text = _pdf_text(data)
    elif kind is DocumentKind.DOCX:
        text = _docx_text(data)
    else:
        text = _decode(data)
        if kind is DocumentKind.HTML:
            from inbox.domain.html import html_to_text

            text = html_to_text(text)
    return clean_text(text, "file")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without its BOM), UTF-16 with its BOM, else Windows-1252, the usual older French
    and English encoding, which reads any byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InvalidInputError("file", "is not readable UTF-16 text") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidInputError("file", "is a password-protected PDF")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise PayloadTooLargeError(f"file: over {MAX_PDF_PAGES:,} pages")
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if size > MAX_TEXT_BYTES:  # characters: no fewer than the bytes they encode to
                break
    except (InvalidInputError, PayloadTooLargeError):
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged file; all mean "cannot read it"
        raise InvalidInputError("file", "is not a PDF that can be read") from error
    text = "\n\n".join(pages)
    if not text.strip():
        raise InvalidInputError("file", "is a PDF without text (a scan needs text recognition first)")
    return text


def _docx_text(data: bytes) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile as error:
        raise InvalidInputError("file", "is not a DOCX file that can be read") from error
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise PayloadTooLargeError(f"file: over {MAX_DOCX_UNPACKED_BYTES // (1024 * 1024)} MB once unpacked")

    from docx import Document
    from docx.table import Table

    try:
        document = Document(io.BytesIO(data))
        blocks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                blocks += [" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows]
            else:
                blocks.append(_heading_mark(block.style.name if block.style else "") + block.text)
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml's errors on a damaged file
        raise InvalidInputError("file", "is not a DOCX file that can be read") from error
    return "\n\n".join(block for block in blocks if block.strip("# \t\n"))


def _heading_mark(style: str) -> str:
    """Word's "Heading 2" as Markdown's "## ", so the passages start at the document's headings."""
    match = re.fullmatch(r"(?:Heading|Titre)\s*([1-6])", style.strip(), flags=re.IGNORECASE)
    if match:
        return "#" * int(match.group(1)) + " "
    return "# " if style.strip().lower() in ("title", "titre") else ""
