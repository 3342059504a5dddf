"""A message's structure read by a Rust parser (fast-mail-parser: the `mailparse` crate), several times
faster than the standard library's, for the shapes where it reads exactly as the standard library.

The headers are read here, from the bytes, the way the standard library reads them (the Rust parser
decodes them, and parse.py wants them raw); the parser gives the MIME tree and each leaf's decoded
bytes, checked against the bytes (each part is found by its boundaries) and quoted-printable parts
decoded here as the standard library decodes them. Every shape where the two readers were seen, or may
be expected, to differ raises FastPathDeclined with the reason, and parse.py reads the message with the
standard library instead: a message the parser refuses (broken base64, say), attached messages and
delivery reports (the standard library re-emits them), uuencoded or unknown transfer encodings, part
headers with 8-bit text, encoded words or RFC 2231 parameters other than a UTF-8 filename*, file names
the two read differently, a multipart/digest, a missing closing boundary, a boundary or mbox line a
bare CR ends (the standard library ends lines there), a parameter inside another's quoted value, base64
data after its padding, a mail that could nest past the parser's stack (checked before it runs), and
header blocks the standard library reads its own way. benchmarks/parse_compare.py measures what falls
back and checks the two readers agree on the benchmark's mail and the shared corpora.
"""

from __future__ import annotations

import binascii
import itertools
import re
import urllib.parse
from functools import cache
from typing import Any

from inbox.domain.email.attachments import MAX_ATTACHMENTS, PartFile
from inbox.domain.email.charsets import CharsetHints, body_text, note
from inbox.domain.email.parts import MAX_DEPTH, MessageParts

_MAX_FAST_BYTES = 8 * 1_048_576  # bigger mail is rare and the stdlib's time is then the S3 upload's order
# A header field as the email package reads it (feedparser.headerRE, policy.header_source_parse): a
# name of printable ASCII up to the first colon, the value without its leading blanks, its continuation
# lines, each line ending in LF or CRLF (a bare CR ends a line for the package: such blocks are declined).
# Possessive quantifiers: a block that does not match fails in linear time, without backtracking.
_FIELD = r"([\041-\071\073-\176]++):[ \t]*+([^\n]*+\n(?:[ \t][^\n]*+\n)*+)"
_HEADER_FIELD = re.compile(_FIELD)
_HEADER_BLOCK = re.compile(f"(?:{_FIELD})++")
_BLANK_LINE = re.compile(rb"\n\r?\n")
_FOLDS = re.compile(r"\r?\n")
# filename*=utf-8''<percent-encoded>, as mail programs write a non-ASCII name (no continuations).
_UTF8_FILENAME = re.compile(r";\s*filename\*\s*=\s*utf-8'[A-Za-z-]*'([A-Za-z0-9!#$&+.^_`|~%-]*)\s*(?:;|$)", re.I)
_DELIMITER_END = re.compile(rb"(--)?[ \t]*+\r?(?=\n|\Z)")  # what may follow --boundary on its line
_DELIMITER_BARE_CR = re.compile(rb"(?:--)?[ \t]*+\r(?!\n)")  # a delimiter line the email package ends at a CR
_BARE_CR = re.compile(r"\r(?!\n)")
_BARE_CR_BYTES = re.compile(rb"\r(?!\n)")
# The Rust parser recurses once per nested part and overflows its stack (SIGSEGV, no exception) on deep
# nesting, before MAX_DEPTH is checked on its tree: a mail that could nest deeper than this is declined
# unparsed. Every level needs its own Content-Type header; "multipart/" alone is not counted, since an
# encoded word (=?us-ascii?q?multipart=2Fmixed...?=) hides it and the parser still nests on it.
_MAX_CONTENT_TYPES = 300
_CONTENT_TYPE_NAME = re.compile(rb"content-type", re.IGNORECASE)
_BASE64_DATA = re.compile(rb"[A-Za-z0-9+/]")
_PLAIN_ENCODINGS = frozenset({"", "7bit", "8bit", "binary", "quoted-printable", "base64"})
_CONTENT_TYPE = re.compile(r"\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:;|$)")
# What the stdlib's header registry reads whole as an unquoted parameter value (not empty either).
_TOKEN = re.compile(r"[!#$%&+\-.0-9A-Z^_`a-z{|}~]+")
_DISPOSITION = re.compile(r"\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*(?:;|$)")


class FastPathDeclined(Exception):  # not an error: the stdlib reads the message instead
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@cache
def _parser() -> Any:
    """Imported on first parse, like the email package: nothing else pays for it."""
    import fast_mail_parser

    return fast_mail_parser


def read_parts_fast(raw: bytes, defects: list[str], hints: CharsetHints) -> MessageParts:
    """The headers, bodies and files of `raw` (headers already mended), or FastPathDeclined."""
    if len(raw) > _MAX_FAST_BYTES:
        raise FastPathDeclined("larger than 8 MB")
    if next(itertools.islice(_CONTENT_TYPE_NAME.finditer(raw), _MAX_CONTENT_TYPES, None), None) is not None:
        raise FastPathDeclined(f"more than {_MAX_CONTENT_TYPES} Content-Types: nesting the parser may not survive")
    start = raw.find(b"\n") + 1 if raw.startswith(b"From ") else 0  # mbox separator, skipped by both
    if start and _BARE_CR_BYTES.search(raw, 0, start):  # the package's line ends there: it reads no headers after
        raise FastPathDeclined("an mbox From line with a bare CR")
    headers, _ = read_header_block(raw, start, len(raw))
    if not headers:
        raise FastPathDeclined("no headers")
    parser = _parser()
    try:
        tree = parser.parse_email_tree(raw)
    except parser.ParseError as error:
        raise FastPathDeclined(f"refused by the parser ({type(error).__name__})") from None
    except Exception as error:  # a parser bug must not lose the mail: the stdlib reads it
        raise FastPathDeclined(f"parser failed ({type(error).__name__})") from None
    except BaseException as error:  # pyo3 raises a Rust panic as PanicException, outside Exception
        if type(error).__name__ != "PanicException":
            raise
        raise FastPathDeclined("parser panicked") from None
    parts = MessageParts(headers=headers)
    _TreeWalk(raw, parts, defects, hints).visit(tree, 0, start, len(raw))
    return parts


def read_header_block(raw: bytes, start: int, end: int) -> tuple[dict[str, list[str]], int]:
    """The headers of the part in raw[start:end] as the email package reads them (raw values, folds kept,
    8-bit bytes as surrogates, by lower-cased name), and where its body starts. Declines every header
    block the package reads with a defect or its own way."""
    if raw.startswith((b"\n", b"\r\n"), start):
        return {}, raw.index(b"\n", start) + 1
    blank = _BLANK_LINE.search(raw, start, end)
    if blank is None:
        raise FastPathDeclined("headers: no blank line before the body")
    block = raw[start : blank.start() + 1].decode("ascii", "surrogateescape")
    if not _HEADER_BLOCK.fullmatch(block) or _BARE_CR.search(block):
        raise FastPathDeclined("headers: a line the email package reads its own way")
    headers: dict[str, list[str]] = {}
    for name, value in _HEADER_FIELD.findall(block):
        headers.setdefault(name.strip().lower(), []).append(value.rstrip("\r\n"))
    return headers, blank.end()


class _TreeWalk:
    """The parser's tree, checked against the bytes: each part's place in the message is found by its
    boundaries (the count of parts must agree) and a quoted-printable part is decoded from there as the
    standard library decodes it (mailparse deletes blanks at line ends and reads a soft line break at the
    very end as a line break; binascii does neither)."""

    def __init__(self, raw: bytes, parts: MessageParts, defects: list[str], hints: CharsetHints):
        self.raw = raw
        self.parts = parts
        self.defects = defects
        self.hints = hints

    def visit(self, node: Any, depth: int, start: int, end: int) -> None:
        if depth > MAX_DEPTH:
            raise FastPathDeclined("nested too deeply")
        # A part's own header block must be one the standard library reads without a defect; where its body
        # starts is where a quoted-printable part is decoded from.
        # Its MIME headers are read raw, as the standard library reads them (the parser's are decoded).
        if depth:
            own, body_start = read_header_block(self.raw, start, end)
        else:
            own, body_start = self.parts.headers, None
        headers = _mime_headers(own)
        kind = _content_type(node, headers)
        if kind.startswith("message/") or node.is_message:
            raise FastPathDeclined("an attached message or delivery report")
        if kind.startswith("multipart/"):
            self._visit_multipart(node, kind, headers, depth, start, end)
            return
        encoding = headers.get("content-transfer-encoding", "").strip().lower()
        if encoding not in _PLAIN_ENCODINGS:
            raise FastPathDeclined("a transfer encoding other than 7bit, 8bit, binary, QP or base64")
        filename = _filename(node, headers)
        disposition = _disposition(headers)
        is_body = kind in ("text/plain", "text/html") and disposition != "attachment" and not filename
        if not is_body and len(self.parts.files) >= MAX_ATTACHMENTS:
            note(self.defects, f"attachments: more than {MAX_ATTACHMENTS}, the rest ignored")
            return
        if encoding in ("quoted-printable", "base64") and body_start is None:
            # the message itself: its header block was read already, not its end
            body_start = read_header_block(self.raw, start, end)[1]
        if encoding == "quoted-printable":
            data = binascii.a2b_qp(self.raw[body_start:end])
        else:
            if encoding == "base64":
                self._decline_data_after_padding(body_start, end)
            data = node.content or b""
        if is_body:
            bodies = self.parts.texts if kind == "text/plain" else self.parts.htmls
            bodies.append(body_text(data, _charset(headers), kind, self.defects, self.hints))
        else:
            self.parts.files.append(PartFile(kind, headers.get("content-id"), filename, data))

    def _decline_data_after_padding(self, body_start: int, end: int) -> None:
        """The standard library's base64 stops at the first padding ("aGVsbG8=IHdvcmxk" is "hello"), the
        parser reads on ("hello world"): data after a "=" is declined (two linear scans)."""
        padding = self.raw.find(b"=", body_start, end)
        if padding >= 0 and _BASE64_DATA.search(self.raw, padding, end):
            raise FastPathDeclined("base64 data after its padding")

    def _visit_multipart(self, node: Any, kind: str, headers: dict[str, str], depth: int, start: int, end: int) -> None:
        if kind in ("multipart/digest", "multipart/report"):
            raise FastPathDeclined(f"a {kind}")
        boundary = _boundary(headers)
        if boundary is None or not node.children:
            raise FastPathDeclined("a multipart without a usable boundary")
        if headers.get("content-transfer-encoding", "").strip().lower() not in ("", "7bit", "8bit", "binary"):
            raise FastPathDeclined("an encoded multipart")
        regions = self._regions(boundary, start, end)
        if len(regions) != len(node.children):
            raise FastPathDeclined("a multipart the two parsers split differently")
        if kind != "multipart/alternative":
            for child, (child_start, child_end) in zip(node.children, regions, strict=True):
                self.visit(child, depth + 1, child_start, child_end)
            return
        outer_texts, outer_htmls = self.parts.texts, self.parts.htmls
        versions: list[tuple[list[str], list[str]]] = []
        for child, (child_start, child_end) in zip(node.children, regions, strict=True):
            self.parts.texts, self.parts.htmls = [], []
            self.visit(child, depth + 1, child_start, child_end)
            versions.append((self.parts.texts, self.parts.htmls))
        self.parts.texts, self.parts.htmls = outer_texts, outer_htmls
        self.parts.keep_alternatives(versions)

    def _regions(self, boundary: str, start: int, end: int) -> list[tuple[int, int]]:
        """Where each part between the boundaries lies: after its delimiter line, up to the line break
        before the next (which belongs to the delimiter, as feedparser has it)."""
        marker = b"--" + boundary.encode("ascii")
        lines: list[tuple[int, int]] = []  # (start, end) of each delimiter line, without its LF
        position = start
        while True:
            found = self.raw.find(marker, position, end)
            if found < 0:
                raise FastPathDeclined("a multipart without its closing boundary")
            position = found + len(marker)
            before = self.raw[found - 1] if found > start else 0x0A
            if before == 0x0D:  # a line's start for the email package (a bare CR ends a line), not the parser's
                raise FastPathDeclined("a boundary after a bare CR")
            if before != 0x0A:  # not at a line's start: text
                continue
            rest = _DELIMITER_END.match(self.raw, position, end)  # "--"? blanks, the line's end
            if rest is None:
                if _DELIMITER_BARE_CR.match(self.raw, position, end):
                    raise FastPathDeclined("a boundary line ending in a bare CR")
                continue
            lines.append((found, rest.end()))
            if rest.group(1):
                break
        regions = []
        for (_, before_end), (after_start, _) in itertools.pairwise(lines):
            part_start = before_end + 1  # past the delimiter line's LF
            part_end = after_start - (2 if self.raw[after_start - 2 : after_start] == b"\r\n" else 1)
            if part_end < part_start:
                raise FastPathDeclined("an empty part")
            regions.append((part_start, part_end))
        return regions


_MIME_HEADERS = ("content-type", "content-disposition", "content-transfer-encoding", "content-id")


def _mime_headers(raw_headers: dict[str, list[str]]) -> dict[str, str]:
    """A part's MIME headers, unfolded: each sent once, in printable ASCII, without encoded words or RFC 2231
    parameters (but a UTF-8 filename*), a transfer encoding without blanks around it (the standard library
    would not decode it)."""
    found: dict[str, str] = {}
    for key, values in raw_headers.items():
        if key not in _MIME_HEADERS:
            continue
        if len(values) != 1:
            raise FastPathDeclined(f"a part with two {key} headers")
        raw = values[0]
        value = _collapse_blanks(raw)
        extended = value.count("*=") == 1 and key == "content-disposition" and _UTF8_FILENAME.search(value)
        if not value.isascii() or "=?" in value or ("*=" in value and not extended) or "\\" in value:
            raise FastPathDeclined(f"a part's {key} with 8-bit text, encoded words or RFC 2231 parameters")
        if not _FOLDS.sub("", raw).replace("\t", " ").isprintable():
            raise FastPathDeclined(f"a part's {key} with control characters")
        if key == "content-transfer-encoding" and raw != value:
            raise FastPathDeclined("a transfer encoding with blanks or folds around it")
        found[key] = value
    return found


def _collapse_blanks(value: str) -> str:
    """Folds, runs of blanks and blanks at either end, each made one space or none."""
    return " ".join(value.split())


def _content_type(node: Any, headers: dict[str, str]) -> str:
    declared = headers.get("content-type")
    if declared is None:
        return "text/plain"  # RFC 2045's default, the stdlib's too outside a multipart/digest
    match = _CONTENT_TYPE.match(declared)
    kind = match.group(1).lower() if match else None
    if kind is None or kind != node.content_type.lower():
        raise FastPathDeclined("a Content-Type the two parsers may read differently")
    return kind


def _disposition(headers: dict[str, str]) -> str | None:
    declared = headers.get("content-disposition")
    if declared is None:
        return None
    match = _DISPOSITION.match(declared)
    if match is None:
        raise FastPathDeclined("an unreadable Content-Disposition")
    return match.group(1).lower()


@cache
def _parameter(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The parameter written plainly, and the parameter's name written anyhow."""
    plain = re.compile(rf';\s*{name}\s*=\s*(?:"([^"\\]*)"|([^;\s"]*))\s*(?:;|$)', re.IGNORECASE)
    return plain, re.compile(rf"(?<![\w*-]){name}(?![\w*-])", re.IGNORECASE)  # "filename" without "=" too


def _param(value: str | None, name: str) -> str | None:
    """A parameter of a Content-* header the plain way (RFC 2231 and escapes were declined before); one
    written otherwise (junk after its value, say) is read the standard library's own way: declined."""
    plain, mentioned = _parameter(name)
    match = plain.search(value or "")
    if match is None:
        if mentioned.search(value or ""):
            raise FastPathDeclined(f"a {name} parameter the two parsers may read differently")
        return None
    if match.string.count('"', 0, match.start()) % 2:  # the stdlib splits parameters at a ';' outside quotes only
        raise FastPathDeclined(f"a {name} parameter inside another's quoted value")
    if mentioned.search(match.string, 0, match.start()):  # the stdlib reads the first, here not written plainly
        raise FastPathDeclined(f"a {name} parameter the two parsers may read differently")
    if match.group(1) is None and not _TOKEN.fullmatch(match.group(2)):  # the stdlib cuts it ("----=_Part" is "----")
        raise FastPathDeclined(f"an unquoted {name} that is not a token")
    return match.group(1) if match.group(1) is not None else match.group(2)


def _charset(headers: dict[str, str]) -> str | None:
    return (_param(headers.get("content-type"), "charset") or "").lower() or None


def _boundary(headers: dict[str, str]) -> str | None:
    return _param(headers.get("content-type"), "boundary") or None


def _filename(node: Any, headers: dict[str, str]) -> str | None:
    """The stdlib's name for the part (Content-Disposition's filename, else Content-Type's name), when
    the parser read the same; it cuts some quoted names at a ';'."""
    disposition = headers.get("content-disposition")
    name = _param(disposition, "filename")
    extended = _UTF8_FILENAME.search(disposition or "")
    if extended is not None:  # RFC 2231 in its usual form, and without a plain filename beside it
        if name is not None:
            raise FastPathDeclined("a part named both ways (filename and filename*)")
        try:
            name = urllib.parse.unquote_to_bytes(extended.group(1)).decode("utf-8")
        except UnicodeDecodeError:
            raise FastPathDeclined("an RFC 2231 file name that is not UTF-8") from None
    if name is None:
        name = _param(headers.get("content-type"), "name")
    name = name.strip() if name is not None else ""
    if name != (node.filename or "").strip():
        raise FastPathDeclined("a file name the two parsers read differently")
    return name or None
