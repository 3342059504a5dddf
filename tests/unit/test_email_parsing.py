"""parse_email on hand-made mail: the odd, broken and hostile cases the corpus does not have."""

import re
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from inbox.domain.email import parse as email_parse
from inbox.domain.email_message import (
    MAX_ATTACHMENTS,
    MAX_HEADER_CHARS,
    MAX_HEADERS,
    NOT_EMAIL,
    AutomatedKind,
    parse_email,
    parse_message_ids,
    synthetic_message_id,
)
from inbox.models import Party

SYNTHETIC = re.compile(r"^[0-9a-f]{64}@synthetic\.inbox\.invalid$")


def mail(*headers: str, body: str | bytes = "Hello", crlf: bool = True) -> bytes:
    newline = "\r\n" if crlf else "\n"
    head = newline.join(headers).encode("utf-8") + (newline * 2).encode()
    return head + (body.encode("utf-8") if isinstance(body, str) else body)


def multipart(*parts: bytes, headers: tuple[str, ...] = ("From: Élodie <elodie@example.fr>",)) -> bytes:
    body = b"".join(b"--XYZ\r\n" + part + b"\r\n" for part in parts) + b"--XYZ--\r\n"
    return mail(*headers, 'Content-Type: multipart/mixed; boundary="XYZ"', body=body)


TEXT_PART = b"Content-Type: text/plain; charset=utf-8\r\n\r\nSee the file."


# --- identity ---------------------------------------------------------------------------------------


def test_email_without_message_id_gets_the_same_synthetic_id_every_time():
    raw = mail("From: a@example.com", "Subject: Order 42", "Date: Mon, 2 Mar 2026 10:00:00 +0100")

    first, again = parse_email(raw), parse_email(raw)

    assert first.synthetic_id
    assert SYNTHETIC.match(first.message_id)
    assert again.message_id == first.message_id
    assert "message-id: missing, synthetic id used" in first.defects


def test_email_synthetic_ids_differ_when_the_bodies_differ():
    headers = ("From: a@example.com", "Subject: Order 42", "Date: Mon, 2 Mar 2026 10:00:00 +0100")

    assert parse_email(mail(*headers, body="Yes")).message_id != parse_email(mail(*headers, body="No")).message_id


def test_email_synthetic_id_is_the_same_for_a_copy_from_another_folder_or_server():
    # The copy came back with LF line endings and a Received header added on delivery.
    headers = ["From: a@example.com", "To: b@example.com", "Subject: Order 42", "Date: Mon, 2 Mar 2026 10:00 +0100"]
    original = mail(*headers, body="Where is my order?\r\n")
    copy = mail("Received: from mx.example.com by imap.example.com", *headers, body="Where is my order?\n", crlf=False)

    assert parse_email(copy).message_id == parse_email(original).message_id == synthetic_message_id(original)


@pytest.mark.parametrize("value", ["<>", "  ", "< >", "<\x01@x>"])
def test_email_unusable_message_id_is_replaced_by_a_synthetic_one(value):
    parsed = parse_email(mail("From: a@example.com", f"Message-ID: {value}"))

    assert parsed.synthetic_id
    assert SYNTHETIC.match(parsed.message_id)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<Abc.123@Mail.Example.COM>", "Abc.123@Mail.Example.COM"),
        ("  <abc@x.y>  ", "abc@x.y"),
        ("abc@x.y", "abc@x.y"),
        ("<abc@x.y> (comment)", "abc@x.y"),
    ],
)
def test_email_message_id_loses_only_its_brackets_and_spaces(value, expected):
    parsed = parse_email(mail("From: a@example.com", f"Message-ID: {value}"))

    assert (parsed.message_id, parsed.synthetic_id) == (expected, False)


def test_email_message_ids_are_read_from_any_junk_mailers_send():
    assert parse_message_ids("<a@x> <b@x>,<c@x>\r\n <d@x>;e@x junk <a@x> <test-id> <f@\r\n x> <g@x") == [
        "a@x",
        "b@x",
        "c@x",
        "d@x",
        "e@x",
        "test-id",
        "f@x",
        "g@x",
    ]
    assert parse_message_ids(None) == parse_message_ids("") == parse_message_ids("no ids here") == []


def test_email_in_reply_to_from_several_headers_is_merged():
    parsed = parse_email(mail("From: a@example.com", "In-Reply-To: <one@x>", "In-Reply-To: one@x, <two@x>"))

    assert parsed.in_reply_to == ["one@x", "two@x"]


# --- automated mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["From: news@shop.example", "List-Unsubscribe: <https://shop.example/u?id=1>"], AutomatedKind.NEWSLETTER),
        (["From: news@shop.example", "List-Id: Shop news <news.shop.example>"], AutomatedKind.NEWSLETTER),
        (["From: news@shop.example", "Precedence: bulk"], AutomatedKind.NEWSLETTER),
        (["From: news@shop.example", "Precedence: junk"], AutomatedKind.NEWSLETTER),
        (["From: Shop <no-reply@shop.example>"], AutomatedKind.NEWSLETTER),
        (["From: NoReply@Shop.example"], AutomatedKind.NEWSLETTER),
        (["From: donotreply@shop.example"], AutomatedKind.NEWSLETTER),
        (["From: a@example.com", "Auto-Submitted: auto-replied"], AutomatedKind.AUTO_REPLY),
        (["From: a@example.com", "X-Autorespond: vacation"], AutomatedKind.AUTO_REPLY),
        (["From: a@example.com", "X-Auto-Response-Suppress: OOF, DR"], AutomatedKind.AUTO_REPLY),
        (["From: a@example.com", "Precedence: auto_reply"], AutomatedKind.AUTO_REPLY),
        # Bulk senders set Auto-Submitted: auto-generated too; the list headers say what it is.
        (["From: a@example.com", "Auto-Submitted: auto-generated", "List-Id: <x.y>"], AutomatedKind.NEWSLETTER),
        (["From: postmaster@example.com", "Subject: Hi"], AutomatedKind.BOUNCE),
        (["From: a@example.com", "Subject: Undeliverable: Re: your order"], AutomatedKind.BOUNCE),
        (["From: a@example.com", "Auto-Submitted: no"], None),
        (["From: replyhere@example.com", "Precedence: first-class"], None),
    ],
)
def test_email_automated_mail_is_marked_with_its_kind(headers, kind):
    assert parse_email(mail(*headers)).automated is kind


def test_email_delivery_status_report_is_a_bounce_whoever_sends_it():
    report = mail(
        "From: relay@example.com",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="R"',
        body="--R\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n--R\r\n"
        "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; relay.example.com\r\n\r\n"
        "Final-Recipient: rfc822; x@y.z\r\nAction: failed\r\n--R--\r\n",
    )

    parsed = parse_email(report)

    assert parsed.automated is AutomatedKind.BOUNCE
    assert parsed.text == "Not delivered."
    assert b"Action: failed" in parsed.attachments[0].data


# --- headers, names, dates --------------------------------------------------------------------------


def test_email_headers_are_decoded_for_rule_filters():
    parsed = parse_email(mail("From: a@b.co", "X-Priority: 1 (Highest)", "X-Tag: =?utf-8?q?caf=C3=A9?=", "X-Tag: 2"))

    assert parsed.headers["x-priority"] == "1 (Highest)"
    assert parsed.headers["x-tag"] == "café"
    assert parsed.headers["from"] == "a@b.co"


def test_email_a_100_kb_header_is_read_cut_short_and_quickly():
    parsed = parse_email(mail("From: a@example.com", "Subject: " + "Lorem ipsum " * 9000, "X-Junk: " + "x" * 100_000))

    assert len(parsed.subject) == MAX_HEADER_CHARS
    assert len(parsed.headers["x-junk"]) == MAX_HEADER_CHARS
    assert parsed.text == "Hello"


@pytest.mark.parametrize("header", ["To", "From", "Content-Type", "Content-Disposition"])
def test_email_a_hostile_100_kb_structured_header_does_not_stall_the_sync(header):
    # The standard library needs minutes for these when it parses them whole.
    started = time.monotonic()
    parsed = parse_email(mail("From: a@example.com", f'{header}: "' + '"' * 100_000))

    assert time.monotonic() - started < 5
    assert parsed.message_id


def test_email_rfc_2047_words_are_decoded_even_when_a_character_is_split_between_them():
    parsed = parse_email(mail("From: a@example.com", "Subject: =?utf-8?q?R=C3=A9union_d'=C3?= =?utf-8?q?=A9t=C3=A9?="))

    assert parsed.subject == "Réunion d'été"


def test_email_raw_utf8_and_latin1_headers_are_read():
    utf8 = parse_email("From: Zoë Faure <zoe@example.fr>\r\nSubject: Déjà vu\r\n\r\nx".encode())
    latin1 = parse_email("From: Zoë Faure <zoe@example.fr>\r\nSubject: Déjà vu\r\n\r\nx".encode("latin-1"))

    for parsed in (utf8, latin1):
        assert parsed.subject == "Déjà vu"
        assert parsed.sender == Party(name="Zoë Faure", email="zoe@example.fr")


def test_email_recipients_are_lower_cased_and_invalid_ones_flagged():
    parsed = parse_email(mail("From: a@example.com", 'To: "Doe, Jane" <Jane@Example.COM>, nobody, undisclosed:;'))

    assert parsed.to == [Party(name="Doe, Jane", email="jane@example.com")]
    assert "to: not an email address" in parsed.defects


def test_email_without_from_has_an_empty_sender_and_says_so():
    parsed = parse_email(mail("Subject: anonymous"))

    assert parsed.sender == Party()
    assert "from: missing" in parsed.defects


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 3 Mar 2026 09:15:00 +0100", datetime(2026, 3, 3, 9, 15, tzinfo=timezone(timedelta(hours=1)))),
        ("Tue, 3 Mar 2026 09:15:00 -0000", datetime(2026, 3, 3, 9, 15, tzinfo=UTC)),
        ("3 Mar 26 09:15 GMT", datetime(2026, 3, 3, 9, 15, tzinfo=UTC)),
        ("2026-03-03T09:15:00", datetime(2026, 3, 3, 9, 15, tzinfo=UTC)),
    ],
)
def test_email_dates_are_timezone_aware(value, expected):
    assert parse_email(mail("From: a@example.com", f"Date: {value}")).date == expected


def test_email_unreadable_date_is_none_and_flagged():
    parsed = parse_email(mail("From: a@example.com", "Date: the day after tomorrow"))

    assert parsed.date is None
    assert "date: unreadable" in parsed.defects


# --- not email at all -------------------------------------------------------------------------------


def test_email_garbage_bytes_are_flagged_not_raised():
    parsed = parse_email(b"\x00\xff not an email")

    assert parsed.malformed
    assert parsed.defects[0] == NOT_EMAIL
    assert SYNTHETIC.match(parsed.message_id)
    assert parsed.text == "ÿ not an email"  # kept (without the NUL) for the person who opens it
    assert parse_email(b"\x00\xff not an email").message_id == parsed.message_id


def test_email_empty_bytes_are_flagged_not_raised():
    parsed = parse_email(b"")

    assert parsed.malformed
    assert (parsed.text, parsed.html, parsed.attachments, parsed.subject) == ("", None, [], None)
    assert SYNTHETIC.match(parsed.message_id)


def test_email_deep_nesting_is_cut_not_raised():
    nested = b"".join(b"--B%d\r\nContent-Type: multipart/mixed; boundary=B%d\r\n\r\n" % (i, i + 1) for i in range(2000))

    parsed = parse_email(mail("From: a@example.com", "Content-Type: multipart/mixed; boundary=B0", body=nested))

    assert not parsed.malformed
    assert "mime: nested too deeply, the rest ignored" in parsed.defects


def test_email_multipart_without_boundary_is_read_as_text():
    parsed = parse_email(mail("From: a@example.com", "Content-Type: multipart/mixed", body="Just text."))

    assert parsed.text == "Just text."
    assert "mime: NoBoundaryInMultipartDefect" in parsed.defects


# --- bodies -----------------------------------------------------------------------------------------


def test_email_unknown_charset_still_yields_text():
    parsed = parse_email(
        mail("From: a@example.com", "Content-Type: text/plain; charset=x-unknown", body="café crème".encode("latin-1"))
    )

    assert parsed.text == "café crème"
    assert "body: unknown charset" in parsed.defects


def test_email_utf8_mislabelled_as_latin1_is_read_as_utf8():
    text = "No\u00ebl \u2013 20 \u20ac"

    parsed = parse_email(mail("From: a@b.co", "Content-Type: text/plain; charset=iso-8859-1", body=text))

    assert parsed.text == text


def test_email_windows_1252_quotes_declared_as_latin1_are_kept():
    text = "\u201cBonjour\u201d \u2013 \u00e7a va ?"
    body = text.encode("cp1252")

    parsed = parse_email(mail("From: a@b.co", "Content-Type: text/plain; charset=ISO-8859-1", body=body))

    assert parsed.text == text


def test_email_alternative_parts_give_text_from_plain_and_html_from_html():
    alternative = (
        b'Content-Type: multipart/alternative; boundary="ALT"\r\n\r\n'
        b"--ALT\r\nContent-Type: text/plain\r\n\r\nPlain version\r\n"
        b"--ALT\r\nContent-Type: text/html\r\n\r\n<p>HTML <b>version</b></p>\r\n--ALT--"
    )

    parsed = parse_email(multipart(alternative))

    assert parsed.text == "Plain version"
    assert parsed.html == "<p>HTML <b>version</b></p>"


def test_email_html_declaring_its_charset_in_a_meta_tag_is_read_with_it():
    html = '<meta charset="koi8-r"><p>Привет</p>'.encode("koi8-r")

    parsed = parse_email(mail("From: a@example.com", "Content-Type: text/html", body=html))

    assert parsed.html.endswith("<p>Привет</p>")
    assert parsed.text == "Привет"


# --- attachments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ('attachment; filename="../../etc/passwd"', "passwd"),
        ('attachment; filename="..\\\\..\\\\Windows\\\\win.ini"', "win.ini"),
        ('attachment; filename="C:evil.txt"', "C_evil.txt"),
        ('attachment; filename=".."', "attachment.txt"),
        ('attachment; filename="invoice\u202egpj.exe"', "invoicegpj.exe"),
        ('attachment; filename="a\tb\x01c.txt"', "a bc.txt"),
    ],
)
def test_email_attachment_names_are_never_paths(disposition, expected):
    part = f"Content-Type: text/plain\r\nContent-Disposition: {disposition}\r\n\r\nroot:x:0:0".encode()

    parsed = parse_email(multipart(TEXT_PART, part))

    [attachment] = parsed.attachments
    assert attachment.filename == expected
    assert parsed.text == "See the file."


def test_email_rfc_2231_encoded_attachment_name_is_decoded():
    part = (
        b"Content-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*0*=UTF-8''Devis%20%C3%A9t%C3%A9%20; filename*1*=2026.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK"
    )

    [attachment] = parse_email(multipart(TEXT_PART, part)).attachments

    assert attachment.filename == "Devis été 2026.pdf"


def test_email_pdf_declared_as_png_is_stored_as_pdf():
    part = b"Content-Type: image/png; name=scan.png\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7w="

    [attachment] = parse_email(multipart(TEXT_PART, part)).attachments

    assert (attachment.filename, attachment.declared_type, attachment.content_type) == (
        "scan.png",
        "image/png",
        "application/pdf",
    )
    assert attachment.data.startswith(b"%PDF-1.4")
    assert attachment.size == len(attachment.data)


def test_email_attachment_without_name_gets_one_from_its_type():
    part = b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw="

    [attachment] = parse_email(multipart(TEXT_PART, part)).attachments

    assert (attachment.filename, attachment.content_type) == ("attachment.gif", "image/gif")


def test_email_forwarded_message_is_an_eml_attachment():
    forwarded = b"Content-Type: message/rfc822\r\n\r\nFrom: b@example.com\r\nSubject: Original\r\n\r\nFirst words."

    parsed = parse_email(multipart(TEXT_PART, forwarded))

    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.content_type) == ("message.eml", "message/rfc822")
    assert b"Subject: Original" in attachment.data
    assert parsed.text == "See the file."


def test_email_only_images_the_html_shows_are_inline():
    related = (
        b'Content-Type: multipart/related; boundary="REL"\r\n\r\n'
        b'--REL\r\nContent-Type: text/html\r\n\r\n<p>Logo: <img src="cid:logo@shop"></p>\r\n'
        b"--REL\r\nContent-Type: image/gif\r\nContent-ID: <logo@shop>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"R0lGODlhAQABAAAAACw=\r\n"
        b"--REL\r\nContent-Type: image/gif\r\nContent-ID: <unused@shop>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"R0lGODlhAQABAAAAACw=\r\n--REL--"
    )

    parsed = parse_email(multipart(related))

    assert [(a.content_id, a.inline) for a in parsed.attachments] == [("logo@shop", True), ("unused@shop", False)]
    assert parsed.text == "Logo:"


def test_email_attachments_beyond_the_cap_are_left_out_and_flagged():
    part = b"Content-Type: text/csv\r\nContent-Disposition: attachment; filename=f%d.csv\r\n\r\na,b"
    parts = [part % number for number in range(600)]

    parsed = parse_email(multipart(TEXT_PART, *parts))

    assert len(parsed.attachments) == MAX_ATTACHMENTS
    assert f"attachments: more than {MAX_ATTACHMENTS}, the rest ignored" in parsed.defects


def test_email_headers_beyond_the_cap_are_left_out_and_flagged():
    parsed = parse_email(mail("From: a@example.com", *(f"X-Header-{number}: {number}" for number in range(300))))

    assert len(parsed.headers) == MAX_HEADERS
    assert f"headers: more than {MAX_HEADERS} names, the rest left out" in parsed.defects


def test_email_a_parser_failure_is_flagged_not_raised(monkeypatch):
    def broken(self):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(email_parse._Reader, "read", broken)
    raw = mail("From: a@example.com", body="Hello")

    parsed = parse_email(raw)

    assert parsed.malformed
    assert "message: could not be read (RecursionError)" in parsed.defects
    assert parsed.message_id == synthetic_message_id(raw)
