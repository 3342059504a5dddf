"""The fast MIME reader (issue 15, item 1): taken where it reads as the standard library does, declined
(and the message read by the standard library) where it would not, and imported only by a parse."""

import base64
import subprocess
import sys
import time

import pytest

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
