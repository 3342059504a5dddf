"""Bytes of mail text to str: with the charset the sender declared, or the one the bytes show.

Declared charsets are trusted but read the way mail programs and browsers read them (GB2312 as
GB18030, Shift_JIS as Windows-31J, Latin-1 as Windows-1252, ISO-2022-JP with the NEC and IBM
extensions). UTF-8 with a bad byte stays UTF-8, with only that byte replaced. Only 8-bit text that
no charset was declared for is guessed, with charset-normalizer, among the charsets the rest of the
message declares when it declares any: a guess costs milliseconds, so text that decodes as ASCII,
as UTF-8 or as declared never pays it.
"""

from __future__ import annotations

import binascii
import codecs
import re

# Labels real mail uses that Python does not know, or knows as a smaller charset than senders mean.
_CHARSET_ALIASES = {
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-8-e": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6",
    "gb2312": "gb18030",  # as every browser does: mail labelled GB2312 is GBK or GB18030
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "cp936": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_2",  # a superset; the NEC and IBM rows are read by _decode_iso2022_jp
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
# 7-bit charsets whose senders put 8-bit bytes in anyway: the 8-bit charsets those bytes are in.
_EIGHT_BIT_SIBLINGS = {
    "iso2022_jp": ("cp932", "euc_jp"),
    "iso2022_jp_2": ("cp932", "euc_jp"),
    "iso2022_kr": ("cp949",),
    "hz": ("gb18030",),
}
# What undeclared 8-bit text is guessed among when the message declares nothing better.
_USUAL_CHARSETS = ("cp1252", "cp1250", "cp1251", "koi8_r", "cp1253", "gb18030", "big5", "cp932", "euc_jp", "cp949")
_GUESS_SAMPLE_BYTES = 8_192
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_ENDINGS = re.compile(r"\r\n?")
_DECLARED = re.compile(
    rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})"""  # a part's label
    rb"|=\?([A-Za-z0-9_.:-]{1,40})(?:\*[^?]*)?\?[bBqQ]\?"  # an encoded word's
)


class CharsetHints:
    """Which charset a message's undeclared 8-bit text is in, guessed once and only when needed.

    The charsets the message declares anywhere (its parts, its encoded words, an attached message)
    are the best clue: a Chinese mail client that wrote a raw GBK subject labelled its parts GB2312.
    """

    def __init__(self, raw: bytes):
        self._raw = raw
        self._declared: tuple[str, ...] | None = None

    def declared(self) -> tuple[str, ...]:
        """The 8-bit codecs the message's labels name, in order of appearance (ASCII and UTF-8 left out)."""
        if self._declared is None:
            found: list[str] = []
            for part_label, word_label in _DECLARED.findall(self._raw[:262_144]):
                codec = _codec((part_label or word_label).decode("ascii").lower())
                if codec and codec not in ("ascii", "utf-8", "utf-7"):
                    found += _EIGHT_BIT_SIBLINGS.get(codec, (codec,))
            self._declared = tuple(dict.fromkeys(found))
        return self._declared

    def guess(self, data: bytes) -> str:
        """The codec that reads `data` best: among the declared ones and Windows-1252, else the usual ones."""
        lines = data[: _GUESS_SAMPLE_BYTES * 8].split(b"\n")
        sample = b"\n".join(line for line in lines if not line.isascii())[:_GUESS_SAMPLE_BYTES]
        declared = self.declared()
        candidates = (*declared, _FALLBACK) if declared else _USUAL_CHARSETS
        from charset_normalizer import from_bytes  # 50 ms of import, paid only by mail that needs a guess

        order = list(dict.fromkeys(candidates))
        matches = list(from_bytes(sample, cp_isolation=order))
        if not matches:
            return _FALLBACK
        # Short samples read cleanly in several charsets (GBK and EUC-KR share their byte ranges):
        # between equally good readings, the earlier candidate, i.e. the declared or the more usual one.
        tied = [
            match for match in matches if (match.chaos, match.coherence) == (matches[0].chaos, matches[0].coherence)
        ]
        return min(
            tied, key=lambda match: order.index(match.encoding) if match.encoding in order else len(order)
        ).encoding


def _codec(label: str) -> str | None:
    try:
        codec = codecs.lookup(_CHARSET_ALIASES.get(label, label)).name
    except (LookupError, ValueError, TypeError):
        return None
    return None if codec in _NOT_CHARSETS else codec


def decode_text(
    data: bytes,
    charset: str | None,
    defects: list[str] | None = None,
    where: str = "body",
    hints: CharsetHints | None = None,
) -> str:
    """Bytes to text with the declared charset, else the one the bytes show. Never raises.

    UTF-8 (declared, or valid under a label that is often wrong) stays UTF-8 with only bad bytes
    replaced; a declared charset the bytes do not fit is read as UTF-8 if they are valid UTF-8;
    8-bit text without a label is guessed with `hints`, else read as Windows-1252.
    """
    label = (charset or "").strip().strip("\"'").lower() or None
    codec: str | None = None
    if label and label != "unknown-8bit":  # the email package's own word for "no idea"
        codec = _codec(label)
        if codec is None:
            note(defects, f"{where}: unknown charset")
    if codec == "utf-8" or label in _MISLABELLED_UTF8 or (codec in (None, "ascii") and data.isascii()):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            if codec == "utf-8":
                note(defects, f"{where}: not valid utf-8, bad bytes replaced")
                return data.decode("utf-8", "replace")
    if codec in (None, "ascii"):  # 8-bit text that no charset was (rightly) declared for
        if codec is None:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                pass
        note(defects, f"{where}: 8-bit text without its charset, guessed")
        return data.decode(hints.guess(data) if hints else _FALLBACK, "replace")
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError, TypeError):
        pass
    if codec.startswith("iso2022_jp") and data.isascii():
        return _decode_iso2022_jp(data)  # no defect: these are characters every Japanese mailer writes
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codec in _EIGHT_BIT_SIBLINGS:  # 8-bit bytes under a 7-bit label
        note(defects, f"{where}: 8-bit text under {label}")
        return _decode_siblings(data, codec)
    note(defects, f"{where}: not valid {label}")
    return data.decode(codec, "replace")


def _decode_siblings(data: bytes, codec: str) -> str:
    siblings = _EIGHT_BIT_SIBLINGS[codec]
    for sibling in siblings:
        try:
            return data.decode(sibling)
        except UnicodeDecodeError:
            continue
    return data.decode(siblings[0], "replace")


# --- ISO-2022-JP as Japanese mailers write it -------------------------------------------------------

_JIS_DESIGNATION = re.compile(rb"\x1b(\(B|\(J|\(I|\$@|\$B|\$\(D|&@)")


def _decode_iso2022_jp(data: bytes) -> str:
    """ISO-2022-JP with the NEC row 13 (①, ㈱, №) and IBM rows 89-92 that Python's codecs refuse.

    Those rows are Windows-31J's too: each JIS X 0208 pair is moved to its Shift_JIS code and read as
    Windows-31J. Unknown escapes and bytes out of range become U+FFFD; the rest of the text stays.
    """
    pieces = _JIS_DESIGNATION.split(data)
    text = [pieces[0].decode("ascii", "replace")]
    for designation, segment in zip(pieces[1::2], pieces[2::2], strict=True):
        if designation in (b"$@", b"$B"):
            text.append(_jis0208_to_sjis(segment).decode("cp932", "replace"))
        elif designation == b"$(D":  # JIS X 0212, which EUC-JP carries after 0x8F
            pairs = bytes(byte | 0x80 if byte > 0x20 else byte for byte in segment)
            text.append(re.sub(rb"([\xa1-\xfe][\xa1-\xfe])", rb"\x8f\1", pairs).decode("euc_jp", "replace"))
        elif designation == b"(I":  # half-width katakana
            kana = bytes(byte + 0x80 if 0x21 <= byte <= 0x5F else byte for byte in segment)
            text.append(kana.decode("cp932", "replace"))
        else:
            text.append(segment.decode("ascii", "replace"))
    return "".join(text)


def _jis0208_to_sjis(segment: bytes) -> bytes:
    out = bytearray()
    index = 0
    while index < len(segment):
        first = segment[index]
        if not 0x21 <= first <= 0x7E or index + 1 >= len(segment):  # line breaks pass through
            out.append(first if first < 0x80 else 0x3F)
            index += 1
            continue
        second = segment[index + 1]
        lead = (first - 0x21) // 2 + 0x81
        lead += 0x40 if lead > 0x9F else 0
        if first % 2:
            trail = second - 0x21 + 0x40
            trail += 1 if trail >= 0x7F else 0
        else:
            trail = second - 0x21 + 0x9F
        out += bytes((lead, trail & 0xFF))
        index += 2
    return bytes(out)


# --- header text ------------------------------------------------------------------------------------


def note(defects: list[str] | None, defect: str) -> None:
    if defects is not None and defect not in defects:
        defects.append(defect)


def clean_text(text: str) -> str:
    return _CONTROLS.sub("", _LINE_ENDINGS.sub("\n", text))


_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")


def raw_bytes(text: str) -> bytes:
    """A header value from the email package as the bytes it was sent as (its 8-bit bytes are lone surrogates)."""
    return text.encode("utf-8", "surrogateescape")


def unescape(text: str, charset: str | None = None) -> str:
    """Text from the email package, whose undecodable bytes come back as lone surrogates: decode them.

    Each run of escaped bytes is read as UTF-8 (raw UTF-8 headers, RFC 6532), else in `charset`
    (the message's guess for its undeclared 8-bit headers), else Windows-1252.
    """
    if text.isascii():
        return text
    if charset:  # the whole value at once: a multi-byte character may hold an ASCII byte ("ツ" is 0x83 0x63)
        try:
            data = raw_bytes(text)
        except UnicodeEncodeError:
            data = None
        if data is not None:
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                return _SURROGATE.sub("\ufffd", data.decode(charset, "replace"))

    def bytes_back(run: re.Match[str]) -> str:
        data = bytes(ord(char) - 0xDC00 for char in run.group())
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode(charset or _FALLBACK, "replace")

    return _SURROGATE.sub("\ufffd", _ESCAPED_BYTES.sub(bytes_back, text))


def decode_header_text(
    raw: str, defects: list[str] | None = None, where: str = "header", charset: str | None = None
) -> str:
    """A raw header value as a reader sees it: unfolded, RFC 2047 words decoded, whitespace folded.

    Adjacent encoded words in one charset are joined before decoding, so a character that a mailer
    split across two words survives; an unknown charset falls back like a body does. Raw 8-bit bytes
    outside encoded words are read in `charset`, the message's guess for them.
    """
    if raw.isascii() and "=?" not in raw:  # most headers: nothing to decode (the same result, faster)
        return " ".join(_CONTROLS.sub(" ", raw).split())
    text = unescape(raw, charset)
    pieces: list[str | tuple[str, bytes]] = []
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        if gap and not (gap.isspace() and pieces and isinstance(pieces[-1], tuple)):
            pieces.append(gap)
        label, encoding, payload = match.groups()
        label = label.split("*", 1)[0].lower()  # RFC 2231 language suffix
        try:
            if encoding in "bB":
                data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
            else:
                data = binascii.a2b_qp(payload, header=True)
        except (binascii.Error, ValueError):
            note(defects, f"{where}: broken encoded word")
            pieces.append(match.group(0))
        else:
            if pieces and isinstance(pieces[-1], tuple) and pieces[-1][0] == label:
                pieces[-1] = (label, pieces[-1][1] + data)
            else:
                pieces.append((label, data))
        position = match.end()
    pieces.append(text[position:])
    decoded = "".join(
        piece if isinstance(piece, str) else decode_text(piece[1], piece[0], defects, where) for piece in pieces
    )
    return " ".join(_CONTROLS.sub(" ", decoded).split())


# --- body text --------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


def body_text(data: bytes, charset: str | None, kind: str, defects: list[str], hints: CharsetHints) -> str:
    """A text/plain or text/html body part's decoded bytes as text; HTML without a label may name its
    charset in a <meta>."""
    if charset is None and kind == "text/html":
        declared = _META_CHARSET.search(data[:4096])
        charset = declared.group(1).decode("ascii") if declared else None
    text = decode_text(data, charset, defects, "body", hints)
    if "\x00" in text:
        note(defects, "body: NUL bytes removed")
    return clean_text(text)
