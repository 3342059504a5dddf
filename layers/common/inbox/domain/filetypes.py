"""What a file really is, from its first bytes: the sender's declared type is only a hint.

A small table of magic numbers covers what customers actually attach (documents, images, archives,
calendar invites, plain text); anything else keeps its declared type. No I/O and no registry lookup
(`mimetypes` reads /etc/mime.types on first use), so the answer is the same on every machine.
"""

from __future__ import annotations

import re

OCTET_STREAM = "application/octet-stream"
SNIFF_BYTES = 8192  # enough for every signature below and for telling text from binary

_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = _OOXML + "wordprocessingml.document"
XLSX = _OOXML + "spreadsheetml.sheet"
PPTX = _OOXML + "presentationml.presentation"

# (offset, signature, type): checked in order, first match wins.
_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"\x00\x00\x01\x00", "image/vnd.microsoft.icon"),
    (0, b"\x1f\x8b\x08", "application/gzip"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"Rar!\x1a\x07", "application/vnd.rar"),
    (0, b"{\\rtf", "application/rtf"),
    (0, b"OggS\x00", "audio/ogg"),
    (0, b"ID3\x02\x00", "audio/mpeg"),
    (0, b"ID3\x03\x00", "audio/mpeg"),
    (0, b"ID3\x04\x00", "audio/mpeg"),
    (0, b"\x1a\x45\xdf\xa3", "video/webm"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),  # .doc .xls .ppt .msg
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_FTYP = {  # ISO base media brands (bytes 8-12)
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"avif": "image/avif",
    b"qt  ": "video/quicktime",
    b"M4A ": "audio/mp4",
}
_TEXT_SIGNATURES: tuple[tuple[str, str], ...] = (  # after BOM and leading whitespace, case-insensitive
    ("begin:vcalendar", "text/calendar"),
    ("begin:vcard", "text/vcard"),
    ("<!doctype html", "text/html"),
    ("<html", "text/html"),
    ("<svg", "image/svg+xml"),
    ("<?xml", "application/xml"),
)

# A sniffed container keeps a declared type that is a kind of it.
_CONTAINERS = {
    "application/zip": (
        _OOXML,
        "application/vnd.oasis.opendocument.",
        "application/epub+zip",
        "application/java-archive",
        "application/vnd.android.package-archive",
        "application/x-zip",
        "application/zip",
    ),
    "application/x-ole-storage": ("application/msword", "application/vnd.ms-", "application/x-msi"),
}
_TEXTUAL = frozenset({"text/plain", "application/xml"})
# Declared types that promise bytes text cannot be.
_BINARY = (
    *("image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip"),
    *("application/x-7z", "application/vnd.rar", "application/x-rar", "application/msword", "application/vnd.ms-"),
    *("application/vnd.openxmlformats", "application/vnd.oasis.opendocument", "application/epub", "application/x-ole"),
)

EXTENSIONS: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "heic": "image/heic",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "svg": "image/svg+xml",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "msg": "application/vnd.ms-outlook",
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "rtf": "application/rtf",
    "zip": "application/zip",
    "gz": "application/gzip",
    "7z": "application/x-7z-compressed",
    "rar": "application/vnd.rar",
    "txt": "text/plain",
    "log": "text/plain",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "htm": "text/html",
    "html": "text/html",
    "json": "application/json",
    "xml": "application/xml",
    "ics": "text/calendar",
    "vcf": "text/vcard",
    "eml": "message/rfc822",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
}
# The extension a fallback file name gets, for the types where the table above is ambiguous.
_PREFERRED_EXTENSION = {
    "image/jpeg": "jpg",
    "text/plain": "txt",
    "text/html": "html",
    "image/tiff": "tif",
    "message/delivery-status": "txt",
    "text/rfc822-headers": "txt",
}
_EXTENSION_OF = {content_type: ext for ext, content_type in reversed(EXTENSIONS.items())} | _PREFERRED_EXTENSION

_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])  # all but tab, newline, form feed, return
_CONTENT_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


def sniff(data: bytes) -> str | None:
    """The type the bytes announce, or None when they announce nothing we know."""
    head = data[:SNIFF_BYTES]
    for offset, signature, content_type in _SIGNATURES:
        if head.startswith(signature, offset):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return _FTYP.get(head[8:12], "video/mp4")
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":  # reserved fields: "BM" alone is a word
        return "image/bmp"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    return _text_kind(head)


_ZIP_WINDOW = 65536


def _zip_kind(data: bytes) -> str:
    # ODF stores its type uncompressed as the first entry; OOXML names its parts in the local headers
    # near the start and in the central directory at the end.
    if data[30:38] == b"mimetype":
        declared = data[38:120].split(b"PK", 1)[0].decode("ascii", "ignore").strip()
        if _CONTENT_TYPE.match(declared):
            return declared
    names = data[:_ZIP_WINDOW] + data[-_ZIP_WINDOW:]
    for part, content_type in ((b"word/document", DOCX), (b"xl/workbook", XLSX), (b"ppt/presentation", PPTX)):
        if part in names:
            return content_type
    return "application/zip"


def _text_kind(head: bytes) -> str | None:
    sample = head.removeprefix(b"\xef\xbb\xbf")
    if not sample or len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > len(sample) // 100:
        return None  # binary: compressed data has a control byte in every ten
    start = sample[:64].decode("utf-8", "ignore").lstrip()[:32].lower()
    for prefix, content_type in _TEXT_SIGNATURES:
        if start.startswith(prefix):
            return content_type
    return "text/plain"


def normalize_content_type(value: str | None) -> str | None:
    """`Image/JPG; name=x` → `image/jpg`; None for anything that is not a type/subtype."""
    if not value:
        return None
    candidate = value.split(";", 1)[0].strip().lower()
    return candidate if _CONTENT_TYPE.match(candidate) else None


def by_extension(filename: str | None) -> str | None:
    if not filename or "." not in filename:
        return None
    return EXTENSIONS.get(filename.rsplit(".", 1)[1].lower())


def extension_for(content_type: str) -> str:
    """The file extension (without dot) for a type, or "bin"."""
    return _EXTENSION_OF.get(content_type, "bin")


def content_type_of(data: bytes, declared: str | None = None, filename: str | None = None) -> str:
    """The type to store and serve: what the bytes say, then the declared type, then the extension.

    A specific answer from the bytes wins over whatever was declared: a PDF labelled image/png is a
    PDF. A generic one (a zip, an OLE container) keeps a declared type that is a kind of it (a .docx
    is a zip), and text keeps any declared type that did not promise binary content (a CSV, JSON,
    a PGP signature), while an "image" or "PDF" that turns out to be text is text.
    """
    declared = normalize_content_type(declared)
    if declared == OCTET_STREAM:
        declared = None
    guessed = by_extension(filename)
    sniffed = sniff(data)
    candidates = [candidate for candidate in (declared, guessed) if candidate]
    if sniffed in _TEXTUAL:
        return next((candidate for candidate in candidates if not _binary(candidate)), sniffed)
    if sniffed in _CONTAINERS:
        return next((candidate for candidate in candidates if candidate.startswith(_CONTAINERS[sniffed])), sniffed)
    return sniffed or declared or guessed or OCTET_STREAM


def _binary(content_type: str) -> bool:
    return content_type.startswith(_BINARY) and content_type != "image/svg+xml"
