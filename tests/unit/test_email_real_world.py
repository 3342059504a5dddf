"""parse_email on what mail programs in the wild write, each case a hand-made message.

Every message here gives the sender, subject and text a person reading it would see, although
the bytes break the rules in a way the standard library does not forgive.
"""

import pytest

from inbox.domain.email import parse_email
from inbox.models import Party


def mail(*headers: str | bytes, body: bytes = b"Hello") -> bytes:
    lines = [line if isinstance(line, bytes) else line.encode("ascii") for line in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


# --- the header block -------------------------------------------------------------------------------


def test_email_subject_continued_on_an_unindented_line_keeps_its_end_and_the_headers_after_it():
    # GIVEN a mailer that broke a long Subject without indenting the second line
    raw = mail(
        "Subject: Your invoice for the order",
        "placed in March, with the delivery note",
        "From: Ann Smith <ann@example.com>",
        "To: shop@example.com",
        body=b"Please find it attached.",
    )

    # WHEN it is parsed
    parsed = parse_email(raw)

    # THEN the subject is whole, and the sender and text below the break are still read
    assert parsed.subject == "Your invoice for the order placed in March, with the delivery note"
    assert parsed.sender == Party(name="Ann Smith", email="ann@example.com")
    assert parsed.to == [Party(email="shop@example.com")]
    assert parsed.text == "Please find it attached."


def test_email_from_continued_on_an_unindented_line_gives_the_sender():
    raw = mail(
        'From: "Smith, Karoline, Example DE"',
        "<karoline.smith@example.com>",
        "Subject: AW: One Net Business",
        "X-Brightmail-Tracker: H4sIAAAAAAAAA+NgFlrIKsWRWlGSWpSXmKPExsWi75nTrTtrwZM",
        "Ig5drOCwmrVzP5sDoseXbDeYAxijWzLyk/IoE1owFz6ezFkxKrWjafpWpgfFOchcjF4eQwDZG",
        "Date: Wed, 05 Apr 2017 07:45:30 +0000",
        body=b"Thanks, that works.",
    )

    parsed = parse_email(raw)

    assert parsed.sender == Party(name="Smith, Karoline, Example DE", email="karoline.smith@example.com")
    assert parsed.subject == "AW: One Net Business"
    assert parsed.text == "Thanks, that works."
    assert parsed.date is not None


def test_email_with_a_junk_line_above_its_headers_is_read_as_the_mail_it_is():
    # GIVEN a forwarded file whose first line is the forwarding program's banner
    raw = mail(
        "---- Original email message ----",
        "Return-Path: xxxx@mail.example.cz",
        "To: helpdesk@example.cz",
        "Subject: Contact from Server",
        "From: peter@example.cz",
        body=b"Contact form: my order did not arrive.",
    )

    parsed = parse_email(raw)

    assert not parsed.malformed
    assert parsed.sender == Party(email="peter@example.cz")
    assert parsed.subject == "Contact from Server"
    assert parsed.text == "Contact form: my order did not arrive."


def test_email_without_the_blank_line_after_its_headers_keeps_its_first_line_as_text():
    parsed = parse_email(b"From: ann@example.com\r\nSubject: Hi\r\nHello there\r\n")

    assert parsed.subject == "Hi"
    assert parsed.text == "Hello there"


def test_email_that_is_only_text_is_still_stored_raw_and_flagged():
    parsed = parse_email(b"---- nothing here ----\r\njust some words\r\nand more words\r\n")

    assert parsed.malformed
    assert "just some words" in parsed.text


# --- charsets ---------------------------------------------------------------------------------------


def test_email_utf8_part_with_one_bad_byte_keeps_every_other_character():
    body = "Привет! Заказ 1042 ещё не пришёл. ".encode() + b"\xff" + " Всё в порядке?".encode()
    raw = mail(
        "From: ivan@example.com",
        "Subject: =?utf-8?B?0JfQsNC60LDQtw==?=",
        "Content-Type: text/plain; charset=utf-8",
        body=body,
    )

    parsed = parse_email(raw)

    assert parsed.subject == "Заказ"
    assert parsed.text == "Привет! Заказ 1042 ещё не пришёл. \ufffd Всё в порядке?"


def test_email_iso_2022_jp_with_nec_and_ibm_characters_is_read_whole():
    # ① and ㈱ are NEC row 13, 髙 is an IBM extension: Japanese mailers write all three in ISO-2022-JP
    body = "お知らせ".encode("iso2022_jp") + b"\x1b$B-!-j\x1b(B " + b"\x1b$B|b\x1b(B" + "田です".encode("iso2022_jp")
    raw = mail(
        "From: info@example.jp",
        "Subject: =?ISO-2022-JP?B?GyRCLSEbKEI=?= notice",
        "Content-Type: text/plain; charset=ISO-2022-JP",
        body=body,
    )

    parsed = parse_email(raw)

    assert parsed.subject == "① notice"
    assert parsed.text == "お知らせ①㈱ 髙田です"


def test_email_gb2312_is_read_as_gb18030_and_raw_gbk_headers_as_its_parts_declare():
    # GIVEN a Chinese mail program that wrote its subject and name as raw GBK, labelling only the body
    raw = mail(
        b'From: "' + "武兰成".encode("gbk") + b'" <wu@example.cn>',
        b"Subject: " + "转发:整体提升企业服务水平".encode("gbk"),
        b"Content-Type: text/plain; charset=gb2312",
        body="镕啰: 这是 GBK 的字".encode("gbk"),  # 镕 and 啰 are GBK, not GB2312
    )

    parsed = parse_email(raw)

    assert parsed.subject == "转发:整体提升企业服务水平"
    assert parsed.sender == Party(name="武兰成", email="wu@example.cn")
    assert parsed.text == "镕啰: 这是 GBK 的字"


def test_email_shift_jis_subject_and_a_name_mislabelled_iso_2022_jp_are_read_as_japanese():
    raw = mail(
        b"From: =?ISO-2022-JP?B?g2OBW4OLIEVYQU1QTEU=?= <bar@example.org>",  # Shift_JIS bytes under that label
        b"Subject: " + "ツール".encode("cp932"),
        b"Content-Type: text/plain; charset=iso-2022-jp",
        body="今なら無料です".encode("iso2022_jp"),
    )

    parsed = parse_email(raw)

    assert parsed.subject == "ツール"
    assert parsed.sender == Party(name="ツール EXAMPLE", email="bar@example.org")
    assert parsed.text == "今なら無料です"


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Здравствуйте! Заказ 1042 до сих пор не пришёл, подскажите, когда его ждать.", "cp1251"),  # noqa: RUF001
        ("机房环境法规: 关于订单的问题，请尽快回复。", "gbk"),  # noqa: RUF001
        ("Bonjour, la commande n'est pas arrivée, merci de vérifier.", "cp1252"),
    ],
    ids=["windows-1251", "gbk", "windows-1252"],
)
def test_email_undeclared_8bit_body_is_read_in_the_charset_its_bytes_show(text, charset):
    raw = mail("From: a@example.com", "Subject: order", "Content-Type: text/plain", body=text.encode(charset))

    parsed = parse_email(raw)

    assert parsed.text == text


def test_email_undeclared_8bit_headers_are_read_in_the_charset_their_bytes_show():
    chinese = parse_email(mail(b"From: a@example.com", b"Subject: " + "关于订单的问题".encode("gbk")))
    german = parse_email(mail(b"From: J\xfcrgen M\xfcller <j@example.de>", b"Subject: Gr\xfc\xdfe aus M\xfcnchen"))

    assert chinese.subject == "关于订单的问题"
    assert german.subject == "Grüße aus München"
    assert german.sender == Party(name="Jürgen Müller", email="j@example.de")


# --- addresses --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "Max Kohl | [example.com] <kohl@example.com>",
            Party(name="Max Kohl | [example.com]", email="kohl@example.com"),
        ),
        ("Ingo [IT] <ingo@example.com>", Party(name="Ingo [IT]", email="ingo@example.com")),
        (
            "MAILER-DAEMON (Mail Delivery System) <postmaster@example.com>",
            Party(name="MAILER-DAEMON", email="postmaster@example.com"),
        ),
        (
            "=?iso-8859-1?Q?B=FCrling,=20Andreas?= <smith@example.com>",
            Party(name="Bürling, Andreas", email="smith@example.com"),
        ),
        ("ann@example.com (Ann Smith)", Party(name="Ann Smith", email="ann@example.com")),
        ('"Doe, Jane (Sales)" <jane@example.com>', Party(name="Doe, Jane (Sales)", email="jane@example.com")),
    ],
)
def test_email_sender_name_is_what_stands_before_the_address_without_comments(header, expected):
    parsed = parse_email(mail(f"From: {header}", "Subject: hello"))

    assert parsed.sender == expected


def test_email_recipients_with_specials_in_their_names_are_all_found():
    parsed = parse_email(
        mail("From: a@example.com", "To: Max Kohl | [example.com] <kohl@example.com>, Ingo [IT] <ingo@example.com>")
    )

    assert [party.email for party in parsed.to] == ["kohl@example.com", "ingo@example.com"]


# --- attachments ------------------------------------------------------------------------------------


@pytest.mark.parametrize("begin", ["begin 644 notes.txt\r\n", ""], ids=["with begin", "without begin"])
def test_email_uuencoded_attachment_gives_its_file(begin):
    body = (
        "--b\r\nContent-Type: text/plain\r\n\r\nAttached are the comments.\r\n"
        '--b\r\nContent-Type: application/msword; name="notes.txt"\r\n'
        'Content-Disposition: attachment; filename="notes.txt"\r\n'
        "Content-Transfer-Encoding: x-uuencode\r\n\r\n"
        f"{begin},2&5L;&\\@6F%M;6%D\r\n`\r\nend\r\n--b--\r\n"
    ).encode()
    raw = mail("From: a@example.com", "Subject: comments", 'Content-Type: multipart/mixed; boundary="b"', body=body)

    parsed = parse_email(raw)

    (attachment,) = parsed.attachments
    assert attachment.filename == "notes.txt"
    assert attachment.data == b"Hello Zammad"
    assert parsed.text == "Attached are the comments."
