"""An inbound email read from its raw bytes: whatever arrives, a message comes out, with what went wrong.

`parse_email` never raises. Mail is written by thousands of programs and some of it is broken,
hostile or not mail at all; the sync must store it (raw, flagged) and go on. So every step here
falls back instead of failing, and says so in `defects`.

Costs are bounded too: the standard library's structured header parser is quadratic on some
inputs (100 KB of quotes in a To: takes minutes), so structured headers are parsed capped, address
lists with our own linear reader first, and the `headers` map keeps short values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from inbox.domain.contacts import normalize_email
from inbox.domain.email.addresses import read_address_list
from inbox.domain.email.attachments import ParsedAttachment, attachments_of
from inbox.domain.email.automated import AutomatedKind, classify_automated
from inbox.domain.email.bounded_parser import email_package
from inbox.domain.email.charsets import (
    CharsetHints,
    clean_text,
    decode_header_text,
    decode_text,
    note,
    raw_bytes,
    unescape,
)
from inbox.domain.email.fast_mime import FastPathDeclined, read_parts_fast
from inbox.domain.email.headers import mend_header_block
from inbox.domain.email.identifiers import parse_message_ids, synthetic_message_id, usable_id
from inbox.domain.email.parts import MessageParts
from inbox.domain.email.stdlib_mime import read_parts_stdlib
from inbox.errors import InvalidInputError
from inbox.models import Party

MAX_HEADER_CHARS = 2_000  # per value in `headers`, and for the subject
MAX_HEADERS = 200  # distinct header names kept in `headers`
MAX_ADDRESSES = 500  # per address header
_REGISTRY_ADDRESS_CHARS = 1_000  # what it sees of an address header the linear readers could not read
_DECODED_HEADERS = ("subject", "from", "sender", "reply-to", "to", "cc")

# Defects about the whole message start with "message:"; with one of them, the bytes were not readable as email.
NOT_EMAIL = "message: not an email (no header could be read)"


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
    attachments: list[ParsedAttachment]
    automated: AutomatedKind | None
    headers: dict[str, str]  # first value of each header, decoded, names lower-cased, values capped
    defects: list[str]

    @property
    def malformed(self) -> bool:
        """Could not be read as email at all: store it raw and flag it."""
        return any(defect.startswith("message:") for defect in self.defects)


def parse_email(raw: bytes, *, fast: bool = True) -> ParsedEmail:
    """Read raw RFC 5322 bytes. Never raises: what cannot be read is left empty and named in `defects`.

    `fast=False` reads with the standard library only (the reference the fast path is compared with).
    """
    return parse_email_traced(raw, fast=fast)[0]


def parse_email_traced(raw: bytes, *, fast: bool = True) -> tuple[ParsedEmail, str | None]:
    """parse_email, and why the fast MIME reader was not used (None when it was)."""
    try:
        raw = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw or b"")
    except Exception:
        raw = b""
    reader = _Reader(raw, fast)
    try:
        return reader.read(), reader.fallback
    except Exception as error:  # the last net (RecursionError included): one mail must not stop a sync
        return _unreadable(raw, f"message: could not be read ({type(error).__name__})"), reader.fallback


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


class _Reader:
    def __init__(self, raw: bytes, fast: bool = True):
        self.raw = raw
        self.fast = fast
        self.fallback: str | None = "asked for the standard library" if not fast else None
        self.defects: list[str] = []
        self.hints = CharsetHints(raw)
        self.headers: dict[str, list[str]] = {}
        self._header_charset: str | None = None

    def read(self) -> ParsedEmail:
        parts = self._read_parts()
        if parts is None:
            parts = MessageParts()
            self.defects.insert(0, NOT_EMAIL)
            if self.raw.strip():  # keep what it says, for search and for the person who opens it
                parts.texts.append(clean_text(decode_text(self.raw, None, self.defects, hints=self.hints)))
        self.headers = parts.headers

        html = "\n".join(parts.htmls) or None
        text = "\n".join(piece for piece in parts.texts if piece.strip()).strip()
        if not text and html:
            from inbox.domain.html import html_to_text

            text = html_to_text(html)
        self._header_charset = self._guess_header_charset()
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
            attachments=attachments_of(parts.files, html, self.defects),
            automated=classify_automated(self.headers, sender.email, subject, parts.delivery_report),
            headers=self._header_map(),
            defects=self.defects,
        )

    def _read_parts(self) -> MessageParts | None:
        """The fast reader where it reads as well as the standard library (fast_mime.py says where), else the
        standard library's."""
        if not self.raw.strip():
            return None
        raw = mend_header_block(self.raw, self.defects)
        if self.fast:
            defects = list(self.defects)
            try:
                parts = read_parts_fast(raw, defects, self.hints)
            except FastPathDeclined as declined:
                self.fallback = declined.reason
            except Exception as error:  # a bug of the fast path (RecursionError included) costs it, not the mail
                self.fallback = f"the fast path failed ({type(error).__name__})"
            else:
                self.defects = defects
                return parts
        return read_parts_stdlib(raw, self.defects, self.hints)

    # headers

    def _guess_header_charset(self) -> str | None:
        """Raw 8-bit bytes in headers that are not UTF-8 have no label: one guess for all of them."""
        values = [self.headers[name][0][: MAX_HEADER_CHARS * 4] for name in _DECODED_HEADERS if name in self.headers]
        sample = b" ".join(raw_bytes(value) for value in values if not value.isascii())
        if not sample:
            return None
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError:
            return self.hints.guess(sample)
        return None

    def _first(self, name: str, limit: int = 65_536) -> str | None:
        values = self.headers.get(name)
        return values[0][:limit] if values else None

    def _decoded(self, raw: str, where: str) -> str:
        return decode_header_text(raw, self.defects, where, self._header_charset)

    def _header_map(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for name, values in self.headers.items():
            if len(result) >= MAX_HEADERS:
                note(self.defects, f"headers: more than {MAX_HEADERS} names, the rest left out")
                break
            if name and name.isprintable():
                value = values[0][: MAX_HEADER_CHARS * 4]
                result[name] = decode_header_text(value, charset=self._header_charset)[:MAX_HEADER_CHARS]
        return result

    def _message_id(self) -> tuple[str, bool]:
        raw = self._first("message-id")
        if raw is None:
            self.defects.append("message-id: missing, synthetic id used")
            return synthetic_message_id(self.raw), True
        ids = parse_message_ids(raw)
        if ids:
            return ids[0], False
        bare = "".join(unescape(raw).split())
        if usable_id(bare) and not any(char in bare for char in "<>,;"):
            return bare, False  # an id without @ and without brackets, as some mailers send it
        self.defects.append("message-id: unusable, synthetic id used")
        return synthetic_message_id(self.raw), True

    def _ids(self, name: str) -> list[str]:
        values = self.headers.get(name, [])
        found = [item for value in values for item in parse_message_ids(unescape(value[:65_536]))]
        return list(dict.fromkeys(found))

    def _subject(self) -> str | None:
        raw = self._first("subject", MAX_HEADER_CHARS * 4)
        subject = self._decoded(raw, "subject")[:MAX_HEADER_CHARS] if raw else ""
        return subject or None

    def _date(self) -> datetime | None:
        raw = self._first("date", 300)
        value = " ".join(unescape(raw).split()) if raw else ""
        if not value:
            self.defects.append("date: missing")
            return None
        try:
            moment = email_package().parsedate(value)
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
            note(self.defects, "from: no usable address")
        with_email = [party for party in candidates if party.email]
        return (with_email or candidates or [Party()])[0]

    def _parties(self, name: str, keep_nameless: bool = False) -> list[Party]:
        """Every address in the header; unusable ones are left out and named in `defects`.

        For the sender (`keep_nameless`), a name without a usable address is still somebody.
        """
        parties: list[Party] = []
        seen: set[tuple[str, str | None]] = set()
        for display_name, address in self._addresses(name):
            label = self._decoded(display_name, name)[:200] if display_name else ""
            address = unescape(address).strip("<>\"' ") if address else ""
            try:
                email = normalize_email(address, name)
            except InvalidInputError:
                email = None
                note(self.defects, f"{name}: not an email address")
            if email is None and not (keep_nameless and label):
                continue
            if label and email and label.strip("<>\"' ").casefold() == email:
                label = ""  # "a@b.c" <a@b.c>: the address is not a name
            if (label, email) in seen:
                continue
            seen.add((label, email))
            parties.append(Party(name=label or None, email=email))
            if len(parties) >= MAX_ADDRESSES:
                note(self.defects, f"{name}: more than {MAX_ADDRESSES} addresses, the rest left out")
                break
        return parties

    def _addresses(self, name: str) -> list[tuple[str, str]]:
        """(display name, address) pairs: our linear reader first; the stdlib's header registry (slow,
        quadratic, so given a capped value) only salvages a header in which it found no address."""
        pairs: list[tuple[str, str]] = []
        for raw in self.headers.get(name, []):
            value = _unfold(raw[:65_536])
            if not value.strip():
                continue
            found = read_address_list(value)
            if not any(_is_address(unescape(address)) for _, address in found):
                try:
                    header = email_package().policy.header_factory(name, value[:_REGISTRY_ADDRESS_CHARS])
                    registry = [(item.display_name, item.addr_spec) for item in header.addresses]
                except Exception:  # what our reader found stands
                    registry = []
                if any(_is_address(unescape(address)) for _, address in registry):
                    found = registry
            pairs += found
        return pairs


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", value).replace("\r", " ").replace("\n", " ")


def _is_address(address: str | None) -> bool:
    try:
        return normalize_email(address) is not None
    except InvalidInputError:
        return False
