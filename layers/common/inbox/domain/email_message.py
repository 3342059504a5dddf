"""An inbound email read from its raw bytes: whatever arrives, a message comes out, with what went wrong.

`parse_email` never raises. Mail is written by thousands of programs and some of it is broken,
hostile or not mail at all; the sync must store it (raw, flagged) and go on. So every step here
falls back instead of failing, and says so in `defects`.

Costs are bounded too: the standard library's structured header parser is quadratic on some
inputs (100 KB of quotes in a To: takes minutes), so structured headers are parsed capped, address
lists with the linear parser first, and the `headers` map keeps short values.
"""

from __future__ import annotations

import binascii
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from inbox.domain import filetypes
from inbox.domain.contacts import normalize_email
from inbox.errors import InvalidInputError
from inbox.models import Party

if TYPE_CHECKING:
    from email.message import EmailMessage

SYNTHETIC_DOMAIN = "synthetic.inbox.invalid"
MAX_HEADER_CHARS = 2_000  # per value in `headers`, and for the subject
MAX_HEADERS = 200  # distinct header names kept in `headers`
MAX_ADDRESSES = 500  # per address header
MAX_ATTACHMENTS = 500
MAX_MESSAGE_ID_CHARS = 500
MAX_FILENAME_CHARS = 200
_STRUCTURED_HEADER_CHARS = 2_000  # what the stdlib's structured parser sees of Content-* headers
_REGISTRY_ADDRESS_CHARS = 1_000  # what it sees of an address header the linear parser could not read
_MAX_DEPTH = 30  # nested multiparts

# Defects about the whole message start with "message:"; with one of them, the bytes were not readable as email.
NOT_EMAIL = "message: not an email (no header could be read)"


class AutomatedKind(StrEnum):
    """Mail that no person wrote to us: kept, marked, and kept out of the main folders."""

    NEWSLETTER = "newsletter"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"


@dataclass(frozen=True)
class Attachment:
    """A part that is not the body: a file, an inline image, a forwarded or bounced message."""

    filename: str  # a bare, safe file name: never a path
    declared_type: str | None  # what the sender said, lower-cased
    content_type: str  # what the bytes are (sniffed), else the declared type
    size: int
    content_id: str | None  # without <>
    inline: bool  # shown by the HTML body through a cid: URL, so not listed as a file
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str  # without <>; `<sha256>@synthetic.inbox.invalid` when missing or unusable
    synthetic_id: bool
    in_reply_to: list[str]
    references: list[str]
    subject: str | None
    sender: Party
    reply_to: list[Party]
    to: list[Party]
    cc: list[Party]
    date: datetime | None
    text: str
    html: str | None  # as sent (decoded, not sanitised): sanitise for display
    attachments: list[Attachment]
    automated: AutomatedKind | None
    headers: dict[str, str]  # first value of each header, decoded, names lower-cased, values capped
    defects: list[str]

    @property
    def malformed(self) -> bool:
        """Could not be read as email at all: store it raw and flag it."""
        return any(defect.startswith("message:") for defect in self.defects)


def parse_email(raw: bytes) -> ParsedEmail:
    """Read raw RFC 5322 bytes. Never raises: what cannot be read is left empty and named in `defects`."""
    try:
        raw = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw or b"")
    except Exception:
        raw = b""
    try:
        return _Reader(raw).read()
    except Exception as error:  # the last net (RecursionError included): one mail must not stop a sync
        return _unreadable(raw, f"message: could not be read ({type(error).__name__})")


def _unreadable(raw: bytes, defect: str) -> ParsedEmail:
    return ParsedEmail(
        message_id=synthetic_message_id(raw),
        synthetic_id=True,
        in_reply_to=[],
        references=[],
        subject=None,
        sender=Party(),
        reply_to=[],
        to=[],
        cc=[],
        date=None,
        text="",
        html=None,
        attachments=[],
        automated=None,
        headers={},
        defects=[defect, "message-id: missing, synthetic id used"],
    )


# --- identifiers ------------------------------------------------------------------------------------

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
        if _usable_id(candidate):
            ids.append(candidate)
    return list(dict.fromkeys(ids))


def _usable_id(candidate: str) -> bool:
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


# --- subjects ---------------------------------------------------------------------------------------

# Reply and forward markers that mail programs put in front of a subject, casefolded, in one place.
_SUBJECT_PREFIXES = (
    *("re", "fw", "fwd"),  # English, and most programs whatever their language
    *("aw", "wg"),  # German: Antwort, Weitergeleitet
    *("tr", "réf", "ref"),  # French: transféré, référence
    *("sv", "vs", "vb", "vl"),  # Nordic: svar, vastaus, videresendt, vidarebefordrat, välitetty
    *("rv", "res", "enc"),  # Spanish and Portuguese: reenviado, resposta, encaminhado
    *("rif",),  # Italian: riferimento
    *("antw", "doorst"),  # Dutch: antwoord, doorgestuurd
    *("odp", "pd"),  # Polish and Czech: odpowiedź, przekazanie dalej
    *("ynt", "ilt", "i\u0307lt"),  # Turkish: YNT, İLT (casefolded with its dot)
    *("vá", "továbbítás"),  # Hungarian
    *("απ", "σχετ", "πρθ"),  # Greek
    *("השב", "הועבר"),  # Hebrew
    *("回复", "答复", "回覆", "转发", "轉寄", "轉發"),  # Chinese
    *("返信", "転送"),  # Japanese
    *("회신", "전달"),  # Korean
)
# Labels that mail gateways, not people, put in front of a subject.
_GATEWAY_TAGS = ("external", "ext", "externe", "extern", "externo", "esterno", "spam", "suspected spam", "caution")
_PREFIX = re.compile(
    r"^\s*(?:"
    r"(?:" + "|".join(sorted(map(re.escape, _SUBJECT_PREFIXES), key=len, reverse=True)) + r")"
    r"\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*:"  # Re: RE : Re[2]: Re(3): Re^2:
    r"|\[(?:" + "|".join(map(re.escape, _GATEWAY_TAGS)) + r")\]"  # [EXTERNAL]
    r"|\*+(?:" + "|".join(map(re.escape, _GATEWAY_TAGS)) + r")\*+"  # *EXTERNAL* ***SPAM***
    r")\s*"
)


def normalize_subject(subject: str | None) -> str:
    """The subject a thread keeps whatever replies and forwards did to it; the threading key of last resort.

    Compatibility-normalised (full-width colons and letters become plain ones), casefolded, reply and
    forward markers and gateway labels stripped however many and however nested, whitespace folded.
    """
    if not subject:
        return ""
    text = " ".join(unicodedata.normalize("NFKC", subject).casefold().split())
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            return text.strip()
        text = stripped


# --- automated mail ---------------------------------------------------------------------------------

_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"})
_NOREPLY_SENDER = re.compile(r"^(?:no|do[-_.]?not|dont)[-_.]?reply(?:$|[-_.+0-9])")
_BOUNCE_SUBJECTS = (
    "undelivered mail returned to sender",
    "undeliverable:",
    "undeliverable mail",
    "undelivered mail",
    "delivery status notification",
    "mail delivery failed",
    "mail delivery failure",
    "delivery failure",
    "failure notice",
    "returned mail:",
    "message not delivered",
    "delivery has failed",
    "non remis",
    "non distribuable",
    "unzustellbar",
    "nicht zustellbar",
    "no se puede entregar",
)
_AUTO_REPLY_SUPPRESS = frozenset({"all", "oof", "autoreply"})


def classify_automated(
    headers: dict[str, list[str]], sender_email: str | None, subject: str | None, delivery_report: bool
) -> AutomatedKind | None:
    """Which kind of machine sent this, if any. `headers` holds every value by lower-cased name.

    In order, first match wins:
    1. bounce: a delivery-status report, a mailer-daemon or postmaster sender, X-Failed-Recipients,
       or a bounce subject (bounces also carry Auto-Submitted, so they are checked first);
    2. auto-reply, explicit: Auto-Submitted: auto-replied, X-Autoreply, X-Autorespond, Precedence:
       auto_reply (vacation responders often add Precedence: bulk too, so this beats newsletter);
    3. newsletter: List-Unsubscribe, List-Id, Precedence: bulk, list or junk;
    4. auto-reply, generic: any other Auto-Submitted but "no", X-Auto-Response-Suppress
       (All/OOF/AutoReply) — after the list headers, because bulk senders set these to silence
       responders, and a newsletter is not a reply;
    5. newsletter: a noreply / no-reply / donotreply sender.
    """

    def first(name: str) -> str:
        values = headers.get(name)
        return " ".join(values[0].split()).casefold() if values else ""

    local_part = sender_email.rsplit("@", 1)[0] if sender_email else ""
    folded_subject = " ".join((subject or "").split()).casefold()
    precedence = first("precedence")
    auto_submitted = first("auto-submitted").split(";")[0].strip()
    if (
        delivery_report
        or local_part in _BOUNCE_SENDERS
        or "x-failed-recipients" in headers
        or folded_subject.startswith(_BOUNCE_SUBJECTS)
    ):
        return AutomatedKind.BOUNCE
    if (
        auto_submitted == "auto-replied"
        or first("x-autoreply") not in ("", "no")
        or "x-autorespond" in headers
        or precedence in ("auto_reply", "auto-reply")
    ):
        return AutomatedKind.AUTO_REPLY
    if "list-unsubscribe" in headers or "list-id" in headers or precedence in ("bulk", "list", "junk"):
        return AutomatedKind.NEWSLETTER
    suppress = {token.strip() for token in re.split(r"[,;\s]+", first("x-auto-response-suppress"))}
    if (auto_submitted and auto_submitted != "no") or suppress & _AUTO_REPLY_SUPPRESS:
        return AutomatedKind.AUTO_REPLY
    if _NOREPLY_SENDER.match(local_part):
        return AutomatedKind.NEWSLETTER
    return None


# --- text decoding ----------------------------------------------------------------------------------

# Labels real mail uses that Python does not know, or knows as a smaller charset than senders mean.
_CHARSET_ALIASES = {
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-8-e": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_2",  # a superset, for the extra characters Japanese mailers put in
    "tis-620": "cp874",
    "windows-874": "cp874",
    "x-mac-roman": "mac_roman",
    "macintosh": "mac_roman",
    "iso-8859-1": "cp1252",  # as browsers do: mail labelled Latin-1 is usually Windows-1252
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
}
# Labels under which UTF-8 is often sent by mistake; valid UTF-8 under them is read as UTF-8.
_MISLABELLED_UTF8 = frozenset({"us-ascii", "ascii", "ansi_x3.4-1968", "iso-8859-1", "latin1", "latin-1", "l1"})
_FALLBACK = "cp1252"
# Codecs that are not charsets: slow (punycode is quadratic), or meaning something else entirely.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode_escape", "raw_unicode_escape", "mbcs", "oem"})
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_ENDINGS = re.compile(r"\r\n?")


def decode_text(data: bytes, charset: str | None, defects: list[str] | None = None, where: str = "body") -> str:
    """Bytes to text with the declared charset, falling back to UTF-8, then Windows-1252. Never raises."""
    import codecs

    label = (charset or "").strip().strip("\"'").lower() or None
    codec: str | None = None
    if label and label != "unknown-8bit":  # the email package's own word for "no idea"
        try:
            codec = codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
        except (LookupError, ValueError, TypeError):
            _note(defects, f"{where}: unknown charset")
        if codec in _NOT_CHARSETS:
            codec = None
            _note(defects, f"{where}: unknown charset")
    if codec is None:
        attempts = ["utf-8"]
    elif label in _MISLABELLED_UTF8:
        attempts = ["utf-8", codec]
    else:
        attempts = [codec, "utf-8"]
    for attempt in attempts:
        try:
            return data.decode(attempt)
        except (UnicodeError, LookupError, TypeError):
            continue
    _note(defects, f"{where}: not valid {label or 'utf-8'}")
    if codec and codec not in ("ascii", "utf-8"):
        try:
            return data.decode(codec, "replace")
        except (UnicodeError, LookupError, TypeError):
            pass
    return data.decode(_FALLBACK, "replace")


def _note(defects: list[str] | None, defect: str) -> None:
    if defects is not None and defect not in defects:
        defects.append(defect)


def _clean_text(text: str) -> str:
    return _CONTROLS.sub("", _LINE_ENDINGS.sub("\n", text))


def _unescape(text: str) -> str:
    """Text from the email package, whose undecodable bytes come back as lone surrogates: decode them.

    Each run of escaped bytes is read as UTF-8 (raw UTF-8 headers, RFC 6532) or else Windows-1252.
    """
    if text.isascii():
        return text

    def bytes_back(run: re.Match[str]) -> str:
        data = bytes(ord(char) - 0xDC00 for char in run.group())
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode(_FALLBACK, "replace")

    return _SURROGATE.sub("\ufffd", _ESCAPED_BYTES.sub(bytes_back, text))


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")


def decode_header_text(raw: str, defects: list[str] | None = None, where: str = "header") -> str:
    """A raw header value as a reader sees it: unfolded, RFC 2047 words decoded, whitespace folded.

    Adjacent encoded words in one charset are joined before decoding, so a character that a mailer
    split across two words survives; an unknown charset falls back like a body does.
    """
    text = _unescape(raw)
    pieces: list[str | tuple[str, bytes]] = []
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        if gap and not (gap.isspace() and pieces and isinstance(pieces[-1], tuple)):
            pieces.append(gap)
        charset, encoding, payload = match.groups()
        charset = charset.split("*", 1)[0].lower()  # RFC 2231 language suffix
        try:
            if encoding in "bB":
                data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
            else:
                data = binascii.a2b_qp(payload, header=True)
        except (binascii.Error, ValueError):
            _note(defects, f"{where}: broken encoded word")
            pieces.append(match.group(0))
        else:
            if pieces and isinstance(pieces[-1], tuple) and pieces[-1][0] == charset:
                pieces[-1] = (charset, pieces[-1][1] + data)
            else:
                pieces.append((charset, data))
        position = match.end()
    pieces.append(text[position:])
    decoded = "".join(
        piece if isinstance(piece, str) else decode_text(piece[1], piece[0], defects, where) for piece in pieces
    )
    return " ".join(_CONTROLS.sub(" ", decoded).split())


# --- the reader -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stdlib:
    parser: Any
    policy: Any
    serializer: Any  # re-emits attached messages without refolding their headers
    getaddresses: Any
    parsedate: Any


@cache
def _stdlib() -> _Stdlib:
    """The email package, imported on first parse: 35 ms that the webhooks never pay."""
    from email.parser import BytesParser
    from email.policy import EmailPolicy, default
    from email.utils import getaddresses, parsedate_to_datetime

    class BoundedPolicy(EmailPolicy):
        """policy.default, except that a structured header parse sees at most a few KB, never raises,
        and is remembered: the parser asks for a part's Content-Type half a dozen times."""

        def header_fetch_parse(self, name: str, value: Any) -> Any:
            if hasattr(value, "name"):
                return value
            return parse_header(name, value[:_STRUCTURED_HEADER_CHARS])

    @lru_cache(maxsize=256)
    def parse_header(name: str, value: str) -> Any:
        try:
            return EmailPolicy.header_fetch_parse(policy, name, value)
        except Exception:  # a header the registry cannot parse reads as empty
            return EmailPolicy.header_fetch_parse(policy, name, "")

    policy = BoundedPolicy()
    return _Stdlib(
        parser=BytesParser(policy=policy),
        policy=policy,
        serializer=default.clone(max_line_length=0),
        getaddresses=getaddresses,
        parsedate=parsedate_to_datetime,
    )


class _Reader:
    def __init__(self, raw: bytes):
        self.raw = raw
        self.defects: list[str] = []
        self.headers: dict[str, list[str]] = {}
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.files: list[tuple[EmailMessage, bytes]] = []
        self.delivery_report = False

    def read(self) -> ParsedEmail:
        message = self._parse()
        if message is not None:
            for name, value in message.raw_items():
                self.headers.setdefault(name.strip().lower(), []).append(value)
        if message is not None and self.headers:
            self._visit(message, 0)
            report_type = str(_safe(lambda: message.get_param("report-type"), "")).lower()
            if _content_type(message) == "multipart/report" and report_type == "delivery-status":
                self.delivery_report = True
        else:
            self.defects.insert(0, NOT_EMAIL)
            if self.raw.strip():  # keep what it says, for search and for the person who opens it
                self.texts.append(_clean_text(decode_text(self.raw, None, self.defects)))

        html = "\n".join(self.htmls) or None
        text = "\n".join(piece for piece in self.texts if piece.strip()).strip()
        if not text and html:
            from inbox.domain.html import html_to_text

            text = html_to_text(html)
        message_id, synthetic = self._message_id()
        sender = self._sender()
        subject = self._subject()
        return ParsedEmail(
            message_id=message_id,
            synthetic_id=synthetic,
            in_reply_to=self._ids("in-reply-to"),
            references=self._ids("references"),
            subject=subject,
            sender=sender,
            reply_to=self._parties("reply-to"),
            to=self._parties("to"),
            cc=self._parties("cc"),
            date=self._date(),
            text=text,
            html=html,
            attachments=self._attachments(html),
            automated=classify_automated(self.headers, sender.email, subject, self.delivery_report),
            headers=self._header_map(),
            defects=self.defects,
        )

    # structure

    def _parse(self) -> EmailMessage | None:
        if not self.raw.strip():
            return None
        parser = _stdlib().parser
        try:
            return parser.parsebytes(self.raw)
        except Exception as error:  # nesting past the recursion limit, parser bugs: keep the headers
            self.defects.append(f"mime: structure could not be read ({type(error).__name__})")
        try:
            return parser.parsebytes(self.raw, headersonly=True)
        except Exception:
            return None

    def _visit(self, part: EmailMessage, depth: int) -> None:
        if depth > _MAX_DEPTH:
            _note(self.defects, "mime: nested too deeply, the rest ignored")
            return
        for defect in part.defects:
            _note(self.defects, f"mime: {type(defect).__name__}")
        content_type = _content_type(part)
        if content_type == "message/delivery-status":
            self.delivery_report = True
        if content_type.startswith("multipart/"):
            if not part.is_multipart():  # no usable boundary: what there is, is text
                self.texts.append(_body_text(part, "text/plain", self.defects))
                return
            children = [child for child in _safe(part.get_payload, []) if hasattr(child, "get_content_type")]
            if content_type == "multipart/alternative":
                self._visit_alternatives(children, depth)
            else:
                for child in children:
                    self._visit(child, depth + 1)
            return
        disposition = _safe(part.get_content_disposition, None)
        if content_type in ("text/plain", "text/html") and disposition != "attachment" and not _filename(part):
            body = _body_text(part, content_type, self.defects)
            (self.texts if content_type == "text/plain" else self.htmls).append(body)
            return
        if len(self.files) >= MAX_ATTACHMENTS:
            _note(self.defects, f"attachments: more than {MAX_ATTACHMENTS}, the rest ignored")
            return
        self.files.append((part, _part_bytes(part, self.defects)))

    def _visit_alternatives(self, children: list[EmailMessage], depth: int) -> None:
        # Equivalent versions of one body: the first plain text, the last (richest) HTML, and every file.
        outer_texts, outer_htmls = self.texts, self.htmls
        versions: list[tuple[list[str], list[str]]] = []
        for child in children:
            self.texts, self.htmls = [], []
            self._visit(child, depth + 1)
            versions.append((self.texts, self.htmls))
        self.texts, self.htmls = outer_texts, outer_htmls
        self.texts += next((texts for texts, _ in versions if any(text.strip() for text in texts)), [])
        self.htmls += next((htmls for _, htmls in reversed(versions) if htmls), [])

    # headers

    def _first(self, name: str, limit: int = 65_536) -> str | None:
        values = self.headers.get(name)
        return values[0][:limit] if values else None

    def _header_map(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for name, values in self.headers.items():
            if len(result) >= MAX_HEADERS:
                _note(self.defects, f"headers: more than {MAX_HEADERS} names, the rest left out")
                break
            if name and name.isprintable():
                result[name] = decode_header_text(values[0][: MAX_HEADER_CHARS * 4])[:MAX_HEADER_CHARS]
        return result

    def _message_id(self) -> tuple[str, bool]:
        raw = self._first("message-id")
        if raw is None:
            self.defects.append("message-id: missing, synthetic id used")
            return synthetic_message_id(self.raw), True
        ids = parse_message_ids(raw)
        if ids:
            return ids[0], False
        bare = "".join(_unescape(raw).split())
        if _usable_id(bare) and not any(char in bare for char in "<>,;"):
            return bare, False  # an id without @ and without brackets, as some mailers send it
        self.defects.append("message-id: unusable, synthetic id used")
        return synthetic_message_id(self.raw), True

    def _ids(self, name: str) -> list[str]:
        values = self.headers.get(name, [])
        found = [item for value in values for item in parse_message_ids(_unescape(value[:65_536]))]
        return list(dict.fromkeys(found))

    def _subject(self) -> str | None:
        raw = self._first("subject", MAX_HEADER_CHARS * 4)
        subject = decode_header_text(raw, self.defects, "subject")[:MAX_HEADER_CHARS] if raw else ""
        return subject or None

    def _date(self) -> datetime | None:
        raw = self._first("date", 300)
        value = " ".join(_unescape(raw).split()) if raw else ""
        if not value:
            self.defects.append("date: missing")
            return None
        try:
            moment = _stdlib().parsedate(value)
        except Exception:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                self.defects.append("date: unreadable")
                return None
        # RFC 5322: -0000 is UTC with the sender's own zone unknown; parsedate returns it naive.
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def _sender(self) -> Party:
        candidates = self._parties("from", keep_nameless=True)
        if not any(party.email for party in candidates):
            candidates = [*self._parties("sender"), *candidates]
        if "from" not in self.headers:
            self.defects.append("from: missing")
        elif not any(party.email for party in candidates):
            _note(self.defects, "from: no usable address")
        with_email = [party for party in candidates if party.email]
        return (with_email or candidates or [Party()])[0]

    def _parties(self, name: str, keep_nameless: bool = False) -> list[Party]:
        """Every address in the header; unusable ones are left out and named in `defects`.

        For the sender (`keep_nameless`), a name without a usable address is still somebody.
        """
        parties: list[Party] = []
        seen: set[tuple[str, str | None]] = set()
        for display_name, address in self._addresses(name):
            label = decode_header_text(display_name, self.defects, name)[:200] if display_name else ""
            address = _unescape(address).strip("<>\"' ") if address else ""
            try:
                email = normalize_email(address, name)
            except InvalidInputError:
                email = None
                _note(self.defects, f"{name}: not an email address")
            if email is None and not (keep_nameless and label):
                continue
            if label and email and label.strip("<>\"' ").casefold() == email:
                label = ""  # "a@b.c" <a@b.c>: the address is not a name
            if (label, email) in seen:
                continue
            seen.add((label, email))
            parties.append(Party(name=label or None, email=email))
            if len(parties) >= MAX_ADDRESSES:
                _note(self.defects, f"{name}: more than {MAX_ADDRESSES} addresses, the rest left out")
                break
        return parties

    def _addresses(self, name: str) -> list[tuple[str, str]]:
        """(display name, address) pairs. The linear parser reads well-formed headers fast; its reading
        is trusted only when every address it found stands in the header as written (it glues junk
        together otherwise), and the slow, quadratic header registry salvages the rest."""
        stdlib = _stdlib()

        def registry(value: str) -> list[tuple[str, str]]:
            header = stdlib.policy.header_factory(name, value[:_REGISTRY_ADDRESS_CHARS])
            return [(item.display_name, item.addr_spec) for item in header.addresses]

        def linear(value: str) -> list[tuple[str, str]]:
            found = [(label, address) for label, address in stdlib.getaddresses([value]) if label or address]
            if any(address and address not in value for _, address in found):
                raise ValueError("the linear parser rewrote an address")
            return found

        pairs: list[tuple[str, str]] = []
        for raw in self.headers.get(name, []):
            value = _unfold(_unescape(raw[:65_536]))
            if not value.strip():
                continue
            readings = []
            for reader in (linear, registry):
                try:
                    readings.append(reader(value))
                except Exception:  # noqa: S112 - the other reader gets its chance
                    continue
                if any(_is_address(address) for _, address in readings[-1]):
                    break
            pairs += next(
                (found for found in reversed(readings) if any(_is_address(address) for _, address in found)),
                next((found for found in readings if any(label for label, _ in found)), []),
            )
        return pairs

    # files

    def _attachments(self, html: str | None) -> list[Attachment]:
        shown: set[str] = set()
        if html:
            from inbox.domain.html import referenced_content_ids

            shown = referenced_content_ids(html)
        attachments = []
        for part, data in self.files:
            declared = filetypes.normalize_content_type(_content_type(part))
            content_id = _content_id(part)
            filename = _safe_filename(_filename(part), self.defects)
            content_type = filetypes.content_type_of(data, declared, filename)
            attachments.append(
                Attachment(
                    filename=filename or _fallback_filename(content_type),
                    declared_type=declared,
                    content_type=content_type,
                    size=len(data),
                    content_id=content_id,
                    inline=bool(content_id and content_id.lower() in shown),
                    data=data,
                )
            )
        return attachments


def _safe(call: Any, default: Any) -> Any:
    try:
        value = call()
    except Exception:
        return default
    return default if value is None else value


def _content_type(part: EmailMessage) -> str:
    return str(_safe(part.get_content_type, "text/plain")).lower()


def _filename(part: EmailMessage) -> str | None:
    return _safe(part.get_filename, None) or None


def _raw_header(part: EmailMessage, name: str) -> str | None:
    return next((value for key, value in part.raw_items() if key.strip().lower() == name), None)


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value).replace("\r", " ").replace("\n", " ")


def _is_address(address: str | None) -> bool:
    try:
        return normalize_email(address) is not None
    except InvalidInputError:
        return False


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


def _part_bytes(part: EmailMessage, defects: list[str]) -> bytes:
    if part.is_multipart():  # message/rfc822, message/delivery-status: the attached message, re-emitted
        serializer = _stdlib().serializer
        try:
            payload = part.get_payload()
            if isinstance(payload, list):
                return b"\n".join(inner.as_bytes(policy=serializer) for inner in payload)
        except Exception:
            _note(defects, "attachments: an attached message could not be re-emitted")
        return b""
    data = _safe(lambda: part.get_payload(decode=True), b"")
    return data if isinstance(data, bytes) else b""


def _body_text(part: EmailMessage, content_type: str, defects: list[str]) -> str:
    data = _part_bytes(part, defects)
    charset = _safe(part.get_content_charset, None)
    if charset is None and content_type == "text/html":
        declared = _META_CHARSET.search(data[:4096])
        charset = declared.group(1).decode("ascii") if declared else None
    text = decode_text(data, charset, defects, "body")
    if "\x00" in text:
        _note(defects, "body: NUL bytes removed")
    return _clean_text(text)


def _content_id(part: EmailMessage) -> str | None:
    value = _safe(lambda: _raw_header(part, "content-id"), None)
    if value is None:
        return None
    ids = parse_message_ids(_unescape(value))
    cleaned = ids[0] if ids else "".join(_unescape(value).split()).strip("<>")
    return cleaned[:250] if cleaned and cleaned.isprintable() else None


_UNSAFE_FILENAME_CHARS = re.compile(r'[<>:"|?*]')


def _safe_filename(name: str | None, defects: list[str]) -> str | None:
    """A bare file name that is safe on any disk and in any header: no directories, no `..`, no controls."""
    if not name:
        return None
    text = _unescape(str(name))
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
        _note(defects, "attachments: unsafe file name cleaned")
    return text or None


def _fallback_filename(content_type: str) -> str:
    if content_type == "message/rfc822":
        return "message.eml"
    if content_type == "message/delivery-status":
        return "delivery-status.txt"
    return f"attachment.{filetypes.extension_for(content_type)}"
