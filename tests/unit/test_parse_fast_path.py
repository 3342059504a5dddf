"""The fast MIME reader (issue 15, item 1): taken where it reads as the standard library does, declined
(and the message read by the standard library) where it would not, and imported only by a parse."""

import base64
import subprocess
import sys
import time
import types

import pytest

from inbox.domain.email import fast_mime
from inbox.domain.email import parse as email_parse
from inbox.domain.email.parse import parse_email, parse_email_traced

HEAD = (
    b"From: =?utf-8?q?=C3=89lodie?= <elodie@example.fr>\r\nTo: support@shop.test\r\n"
    b"Subject: Commande 1234\r\nDate: Mon, 2 Mar 2026 08:00:00 +0100\r\nMessage-ID: <a1@example.fr>\r\n"
    b"MIME-Version: 1.0\r\n"
)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8


def multipart(*parts: bytes, kind: bytes = b"mixed") -> bytes:
    body = b"".join(b"--b1\r\n" + part + b"\r\n" for part in parts)
    return HEAD + b"Content-Type: multipart/" + kind + b'; boundary="b1"\r\n\r\n' + body + b"--b1--\r\n"


TEXT = b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nJ'ai re=C3=A7u."
HTML = b"Content-Type: text/html; charset=utf-8\r\n\r\n<p>J'ai re\xc3\xa7u.</p>"
FILE = (
    b'Content-Type: application/pdf; name="facture.pdf"\r\nContent-Disposition: attachment; filename="facture.pdf"\r\n'
    b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(PDF).replace(b"\n", b"\r\n")
)


def test_a_usual_message_takes_the_fast_path_and_reads_as_the_standard_library_reads_it():
    alternative = b'Content-Type: multipart/alternative; boundary="b2"\r\n\r\n--b2\r\n' + TEXT + b"\r\n--b2\r\n"
    raw = multipart(alternative + HTML + b"\r\n--b2--", FILE)

    parsed, fallback = parse_email_traced(raw)

    assert fallback is None
    assert parsed == parse_email(raw, fast=False)
    assert parsed.sender.name == "Élodie"
    assert parsed.text == "J'ai reçu."
    assert [(file.filename, file.size, file.data) for file in parsed.attachments] == [("facture.pdf", len(PDF), PDF)]


@pytest.mark.parametrize(
    "raw",
    [
        multipart(TEXT + b"=\r\n", HTML),
        multipart(TEXT.replace(b"re=C3=A7u.", b"re=C3=A7u.  \r\nMerci\t\r\n"), HTML),
        multipart(
            TEXT, b"Content-Type: text/csv\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\na,b\r\nc,d=\r\n"
        ),
    ],
    ids=["soft line break at the end", "blanks at line ends", "a quoted-printable file"],
)
def test_quoted_printable_is_decoded_from_the_bytes_as_the_standard_library_decodes_it(raw):
    # mailparse reads a final soft line break as a line break, deletes blanks at line ends and writes CRLF:
    # the fast path decodes quoted-printable parts itself, where the boundaries put them, with binascii.
    parsed, fallback = parse_email_traced(raw)

    assert fallback is None
    assert parsed == parse_email(raw, fast=False)


def test_a_hostile_header_block_is_declined_in_linear_time():
    blanks = b"".join(b"X-%d:" % number + b" " * 50 + b"v\r\n" for number in range(2000))
    raw = HEAD + blanks + b"Not a header\r\n\r\nbody"

    started = time.perf_counter()
    parsed, fallback = parse_email_traced(raw)

    assert time.perf_counter() - started < 5  # backtracking would take longer than the universe's age
    assert fallback is not None
    assert parsed == parse_email(raw, fast=False)


def test_a_utf8_rfc2231_file_name_takes_the_fast_path():
    raw = multipart(TEXT, FILE.replace(b'filename="facture.pdf"', b"filename*=utf-8''photo%20ab%C3%AEm%C3%A9.pdf"))

    parsed, fallback = parse_email_traced(raw)

    assert fallback is None
    assert parsed == parse_email(raw, fast=False)
    assert parsed.attachments[0].filename == "photo abîmé.pdf"


def test_a_failure_of_the_fast_path_falls_back_to_the_standard_library(monkeypatch):
    def broken(*_):
        raise ValueError("a bug")

    monkeypatch.setattr(email_parse, "read_parts_fast", broken)
    raw = multipart(TEXT)

    parsed, fallback = parse_email_traced(raw)

    assert fallback == "the fast path failed (ValueError)"
    assert not parsed.malformed
    assert parsed == parse_email(raw, fast=False)


def test_the_standard_library_can_be_asked_for():
    raw = multipart(TEXT)

    assert parse_email_traced(raw, fast=False)[1] == "asked for the standard library"
    assert parse_email(raw, fast=False) == parse_email(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            multipart(
                TEXT,
                FILE.replace(
                    b"Content-Transfer-Encoding: base64\r\n\r\n", b"Content-Transfer-Encoding: base64\r\n\r\n!!"
                ),
            ),
            "refused by the parser",
        ),
        (
            multipart(TEXT, b"Content-Type: message/rfc822\r\n\r\nFrom: a@b.c\r\nSubject: inner\r\n\r\nhi"),
            "attached message",
        ),
        (multipart(TEXT, FILE.replace(b'filename="facture.pdf"', b'filename="a;b.pdf"')), "file name"),
        (multipart(TEXT, FILE.replace(b'filename="facture.pdf"', b"filename*=iso-8859-1''%E9.pdf")), "RFC 2231"),
        (multipart(TEXT, b"Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a\r\nend"), "transfer encoding"),
        (multipart(TEXT)[:-9], "closing boundary"),
        (multipart(TEXT, kind=b"report"), "multipart/report"),
        (HEAD.replace(b"Subject: Commande", b"Subject : Commande") + b"\r\nhello", "headers"),
        (multipart(TEXT, b"Hello, no headers\r\n\r\nthen a blank line"), "headers"),
    ],
    ids=[
        "broken base64",
        "message/rfc822",
        "name with ;",
        "RFC 2231 Latin-1 name",
        "uuencode",
        "no closing boundary",
        "report",
        "odd header line",
        "a part without headers",
    ],
)
def test_a_shape_the_fast_reader_may_read_worse_goes_to_the_standard_library(raw, reason):
    parsed, fallback = parse_email_traced(raw)

    assert fallback is not None
    assert reason in fallback
    assert parsed == parse_email(raw, fast=False)


def test_importing_the_email_domain_does_not_import_the_fast_parser():
    # The webhooks import the domain and never parse mail: they must not pay for the Rust extension.
    code = "import sys, inbox.domain.email; assert 'fast_mail_parser' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": "layers/common"})


DEEP_MAIL = """
import sys, threading
from inbox.domain.email.parse import parse_email_traced

def read(raw):
    parsed, fallback = parse_email_traced(raw)
    print(fallback, parsed.sender.email, parsed.defects[0], sep="|")

levels, content_type = int(sys.argv[1]), sys.argv[2].encode()
head = b"".join(b"Content-Type: " + content_type % n + b"\\r\\n\\r\\n--b%d\\r\\n" % n for n in range(levels))
tail = b"".join(b"\\r\\n--b%d--" % n for n in reversed(range(levels)))
raw = b"From: a@b.c\\r\\nMessage-ID: <1@x>\\r\\n" + head + b"Content-Type: text/plain\\r\\n\\r\\nx" + tail + b"\\r\\n"
threading.stack_size(256 * 1024)
threading.Thread(target=read, args=(raw,)).start()
"""


@pytest.mark.parametrize(
    "content_type",
    ["multipart/mixed; boundary=b%d", "=?us-ascii?q?multipart=2Fmixed=3B_boundary=3Db%d?="],
    ids=["plain", "an encoded word the Rust parser decodes"],
)
def test_a_deeply_nested_mail_is_declined_before_the_rust_parser_can_overflow_its_stack(content_type):
    # The Rust parser recurses per nested part and dies with SIGSEGV, no exception, past its stack: 50,000 levels
    # (3.5 MB) on an 8 MB stack; 1,000 on a 256 KiB thread stack, the cheaper proof run here in a subprocess.
    run = subprocess.run(
        [sys.executable, "-c", DEEP_MAIL, "1000", content_type],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": "layers/common"},
        check=False,
    )

    assert run.returncode == 0, run.stderr[-500:]
    fallback, sender, defect = run.stdout.strip().split("|")
    assert "Content-Types" in fallback
    assert (sender, defect) == ("a@b.c", "mime: nested too deeply, the rest ignored")  # the stdlib read it


BARE_CR_HEAD = HEAD + b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n'


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            BARE_CR_HEAD + b"line one\r--b1\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b1--\r\n",
            "a boundary after a bare CR",
        ),
        (
            HEAD + b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
            b'Content-Type: multipart/alternative; boundary="b2"\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
            b"--b2--\r\n\r--b1\r\nContent-Type: image/png; name=p.png\r\nContent-Disposition: inline; filename=p.png"
            b"\r\n\r\nPNG\r\n--b1\r\n" + FILE + b"\r\n--b1--\r\n",
            "a boundary after a bare CR",
        ),
        (
            BARE_CR_HEAD + b"one\r\n--b1\rContent-Type: text/plain\r\n\r\ntwo\r\n--b1--\r\n",
            "a boundary line ending in a bare CR",
        ),
        (b"From a@b.c\r;\n" + HEAD + b"\r\nbody\r\n", "an mbox From line with a bare CR"),
    ],
    ids=["MIME headers read as text", "an inline image dropped", "delimiter line ending in CR", "mbox From line"],
)
def test_a_bare_cr_that_ends_a_line_for_the_standard_library_is_declined(raw, reason):
    # The email package ends a line at a bare CR; the Rust parser and the boundary search only at LF.
    parsed, fallback = parse_email_traced(raw)

    assert fallback == reason
    assert parsed == parse_email(raw, fast=False)


UTF8_TEXT = "héllo été".encode()


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b'Content-Type: text/plain; x-a="q; charset=koi8-r;"; charset=utf-8', "charset parameter inside another's"),
        (b'Content-Type: text/plain; charset=isx"; charset=koi8-r; "o', "charset parameter inside another's"),
        (b"Content-Type: text/plain; charset=koi8-r x; charset=utf-8", "charset parameter the two parsers may read"),
        (b'Content-Disposition: inline; x-a="q; filename=a.txt;"', "filename parameter inside another's"),
        (b"Content-Type: text/plain; charset==utf-8", "an unquoted charset that is not a token"),
        (b'Content-Type: text/plain; name="a.txt"\r\nContent-Disposition: inline; filename=', "unquoted filename"),
        (
            b"Content-Type: multipart/mixed; boundary=--=_P\r\n\r\n----=_P\r\n\r\nhi\r\n----=_P--",
            "an unquoted boundary that is not a token",
        ),
    ],
    ids=[
        "charset in a quoted value",
        "charset's own value quoted",
        "a first charset not plain",
        "filename",
        "charset==",
        "empty filename",
        "boundary with =",
    ],
)
def test_a_parameter_the_standard_library_splits_otherwise_is_declined(header, reason):
    # The standard library splits parameters at a ';' outside quotes, reads the first of a name, and cuts an
    # unquoted value at a tspecial ('=', '/', ...) or drops it (empty, '=' first).
    raw = HEAD + header + b"\r\n\r\n" + UTF8_TEXT + b"\r\n"

    parsed, fallback = parse_email_traced(raw)

    assert reason in (fallback or "")
    assert parsed == parse_email(raw, fast=False)


def test_quoted_values_holding_semicolons_and_equals_signs_still_take_the_fast_path():
    raw = HEAD + b'Content-Type: text/plain; x-a="a=b; c"; charset=utf-8\r\n\r\n' + UTF8_TEXT + b"\r\n"

    parsed, fallback = parse_email_traced(raw)

    assert fallback is None
    assert parsed.text == "héllo été"
    assert parsed == parse_email(raw, fast=False)


@pytest.mark.parametrize(
    "raw",
    [
        HEAD + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naGVs bG8=\r\nIHdvcmxk\r\n",
        multipart(TEXT, FILE.replace(base64.encodebytes(PDF).replace(b"\n", b"\r\n"), b"aGVsbG8=d29ybGQ=\r\n")),
    ],
    ids=["text", "file"],
)
def test_base64_with_data_after_a_padding_is_declined(raw):
    # The standard library stops at the first padding (hello), the Rust parser reads on (hello world).
    parsed, fallback = parse_email_traced(raw)

    assert fallback == "base64 data after its padding"
    assert parsed == parse_email(raw, fast=False)


def test_a_rust_panic_falls_back_to_the_standard_library_and_an_interrupt_still_stops(monkeypatch):
    class PanicException(BaseException):  # pyo3's, a BaseException, raised for a panic in Rust
        pass

    def raising(error: BaseException):
        def parse_email_tree(_):
            raise error

        return lambda: types.SimpleNamespace(ParseError=ValueError, parse_email_tree=parse_email_tree)

    raw = multipart(TEXT)
    monkeypatch.setattr(fast_mime, "_parser", raising(PanicException("index out of bounds")))

    parsed, fallback = parse_email_traced(raw)

    assert fallback == "parser panicked"
    assert parsed == parse_email(raw, fast=False)
    monkeypatch.setattr(fast_mime, "_parser", raising(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        parse_email_traced(raw)
