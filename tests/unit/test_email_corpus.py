"""parse_email on real mail from two help desks' test suites (read in place, see shared/corpora/README.md)."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from inbox.domain.email_message import AutomatedKind, parse_email
from inbox.domain.html import sanitize_html
from inbox.models import Party

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "email"
EMAILS = sorted(CORPUS.rglob("*.eml"))


def parse(name: str):
    return parse_email((CORPUS / name).read_bytes())


def strings_of(parsed) -> list[str]:
    parties = [parsed.sender, *parsed.to, *parsed.cc, *parsed.reply_to]
    return [
        parsed.message_id,
        parsed.subject or "",
        parsed.text,
        parsed.html or "",
        *(value for party in parties for value in (party.name or "", party.email or "")),
        *(attachment.filename for attachment in parsed.attachments),
        *parsed.headers.values(),
    ]


def test_email_corpus_is_there_to_read():
    assert len(EMAILS) >= 48, "the shared corpus moved or lost files"


@pytest.mark.parametrize("path", EMAILS, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_email_every_real_message_parses_into_something_storable(path):
    parsed = parse_email(path.read_bytes())

    assert parsed.message_id
    assert parsed.text or parsed.attachments or parsed.defects
    assert not parsed.malformed
    for value in strings_of(parsed):  # what DynamoDB and the web app receive: clean UTF-8, no NUL
        value.encode("utf-8")
        assert "\x00" not in value
    assert parsed.date is None or parsed.date.tzinfo is not None
    for attachment in parsed.attachments:
        assert attachment.filename
        assert not {"/", "\\"} & set(attachment.filename)
        assert attachment.size == len(attachment.data)


def test_email_reply_headers_are_read_for_threading():
    parsed = parse("chatwoot/in_reply_to.eml")

    assert parsed.message_id == "0CB459E0-0336-41DA-BC88-E6E28C697DDBF@chatwoot.com"
    assert parsed.in_reply_to == ["0CB459E0-0336-41DA-BC88-E6E28C697DDB@chatwoot.com"]
    assert parsed.references == ["4e6e35f5a38b4_479f13bb90078178@small-app-01.mail"]


def test_email_references_keep_their_order_and_ids_without_an_at_sign():
    parsed = parse("chatwoot/references.eml")

    assert parsed.in_reply_to == ["4e6e35f5a38b4_479f13bb90078178@small-app-01.mail"]
    assert parsed.references == ["4e6e35f5a38b4_479f13bb90078178@small-app-01.mail", "test-in-reply-to"]


def test_email_references_that_repeat_the_in_reply_to_are_kept_as_sent():
    parsed = parse("chatwoot/references-same.eml")

    assert parsed.references == ["4e6e35f5a38b4_479f13bb90078178@small-app-01.mail", "test-reference-id"]
    assert parsed.in_reply_to == parsed.references[:1]


def test_email_folded_in_reply_to_with_two_ids_gives_both():
    parsed = parse("chatwoot/multiple_in_reply_to.eml")

    assert parsed.in_reply_to == [
        "4e6e35f5a38b4_479f13bb90078171@small-app-01.mail",
        "4e6e35f5a38b4_479f13bb90078131@small-app-01.mail",
    ]
    assert parsed.references == ["4e6e35f5a38b4_479f13bb90078178@small-app-01.mail"]


def test_email_comma_separated_duplicate_in_reply_to_counts_once():
    assert parse("chatwoot/reply.eml").in_reply_to == ["4e6e35f5a38b4_479f13bb90078178@small-app-01.mail"]


def test_email_references_with_an_unclosed_bracket_still_give_the_id():
    assert parse("chatwoot/mail_with_quote.eml").references == [
        "CAFkiBVxGoURoqdkY-O_25F-8b41kb-GWBc6hh4Djd5ynwOikXA@mail.gmail.com",
        "0100017b5d8efc70-c7f18809-aa55-48f6-91fd-b626092ed8b3-000000@email.amazonses.com",
    ]


def test_email_japanese_iso_2022_jp_mail_reads_in_japanese():
    parsed = parse("freescout/message-5-iso-2022-jp.eml")

    assert parsed.subject == "ご注文商品を本日お届けします"
    assert parsed.sender == Party(name="アマゾン", email="noreply@example.org")
    assert "アマゾン 配送部" in parsed.text
    assert parsed.automated is AutomatedKind.NEWSLETTER  # a noreply sender


def test_email_arabic_base64_mail_reads_in_arabic():
    parsed = parse("chatwoot/non_utf_encoded_mail.eml")

    assert parsed.subject == "أهلين عميلنا الكريم"
    assert parsed.sender == Party(name="متجر سوق نت", email="example@gmail.com")
    assert parsed.text == "أنظروا، أنا أحتاجها فقط لتقوم بالتدقيق في مقالتي الشخصية"


def test_email_explicit_auto_reply_wins_over_precedence_bulk():
    # non_utf_encoded_mail.eml carries Auto-Submitted: auto-replied, X-Autoreply and Precedence: bulk.
    assert parse("chatwoot/non_utf_encoded_mail.eml").automated is AutomatedKind.AUTO_REPLY


def test_email_nul_bytes_in_a_koi8_r_outlook_mail_are_dropped_and_flagged():
    parsed = parse("freescout/message-4-null-bytes.eml")

    assert parsed.subject == "активизация виндойс"
    assert parsed.text.startswith("Уважаемые системные администраторы, виндос просит активизации.")
    assert "\x00" not in parsed.text
    assert "\x00" not in parsed.html
    assert "Alexandra Volga" in parsed.html
    assert "body: NUL bytes removed" in parsed.defects
    [logo] = parsed.attachments
    assert (logo.filename, logo.content_type, logo.inline) == ("image001.png", "image/png", True)


def test_email_html_only_mail_gets_its_text_from_the_html():
    parsed = parse("chatwoot/only_html.eml")

    assert parsed.text == "This is html only mail"
    assert parsed.html.startswith("<html>")


def test_email_notification_is_not_mistaken_for_bulk_mail():
    # An HTML-only "conversation assigned to you" notice sent through SES: no list or auto headers.
    parsed = parse("chatwoot/notification.eml")

    assert parsed.automated is None
    assert parsed.sender.email == "accounts@chatwoot.com"
    assert parsed.text.startswith("Hi Sojan,\n\nTime to save the world. A new conversation has been assigned to you")
    assert "font-family" not in parsed.text
    assert "{" not in parsed.text


def test_email_thirty_attachments_are_all_listed_with_their_names():
    parsed = parse("chatwoot/multiple_attachments.eml")

    assert parsed.text.startswith("Attaching 30 files:")
    assert len(parsed.attachments) == 30
    assert all(attachment.filename.startswith("Screenshot 2023-") for attachment in parsed.attachments)
    assert {attachment.declared_type for attachment in parsed.attachments} == {"image/png"}
    assert not any(attachment.inline for attachment in parsed.attachments)


def test_email_images_shown_by_the_html_are_inline_attachments():
    parsed = parse("chatwoot/mail_with_inline_images.eml")

    assert [(a.filename, a.content_id, a.inline) for a in parsed.attachments] == [
        ("poster (8).jpg", "ii_lm7fuura0", True),
        ("poster (7).jpg", "ii_lm7fuuvm1", True),
        ("poster (1).jpg", "ii_lm7fuuwn2", True),
    ]
    assert 'src="cid:ii_lm7fuura0"' in sanitize_html(parsed.html)


def test_email_cid_image_without_disposition_or_name_is_inline_and_sniffed():
    parsed = parse("chatwoot/cid_inline_images_without_disposition.eml")

    [image] = parsed.attachments
    assert image.content_id == "image001.jpg@test"
    assert image.inline
    assert image.content_type == "image/jpeg"
    assert image.filename == "attachment.jpg"
    assert parsed.text == "This is a plain text version of the message."


def test_email_inline_pdf_without_html_is_listed_as_a_file():
    parsed = parse("chatwoot/email_with_inline_pdf.eml")

    [pdf] = parsed.attachments
    assert (pdf.filename, pdf.content_type, pdf.inline) == ("dummy.pdf", "application/pdf", False)
    assert pdf.data.startswith(b"%PDF-")
    assert parsed.text == "Here is an example mail with inline PDF"


def test_email_apple_mail_images_that_no_html_shows_are_listed_with_their_real_type():
    parsed = parse("chatwoot/in_reply_to.eml")

    assert [(a.filename, a.declared_type, a.content_type, a.inline) for a in parsed.attachments] == [
        ("avatar1.jpeg", "image/jpg", "image/jpeg", False),
        ("avatar2.jpg", "image/jpg", "image/jpeg", False),
    ]


@pytest.mark.parametrize("name", ["chatwoot/auto_reply.eml", "chatwoot/auto_reply_with_auto_submitted.eml"])
def test_email_auto_replies_are_marked(name):
    assert parse(name).automated is AutomatedKind.AUTO_REPLY


def test_email_gmail_bounce_is_marked_and_keeps_the_returned_message():
    parsed = parse("chatwoot/bounced_gmail.eml")

    assert parsed.automated is AutomatedKind.BOUNCE
    assert parsed.sender == Party(name="Mail Delivery Subsystem", email="mailer-daemon@googlemail.com")
    assert "Address not found" in parsed.text
    returned = next(a for a in parsed.attachments if a.content_type == "message/rfc822")
    assert returned.filename == "message.eml"
    assert b"Subject: Just checking in" in returned.data


def test_email_bounce_without_a_from_address_is_marked_and_named():
    parsed = parse("chatwoot/bounced_with_no_from.eml")

    assert parsed.automated is AutomatedKind.BOUNCE
    assert parsed.sender == Party(name="Mail Delivery System")
    assert "from: no usable address" in parsed.defects
    assert [a.filename for a in parsed.attachments] == ["delivery-status.txt", "message.eml"]
    assert b"Status: 5.7.1" in parsed.attachments[0].data


def test_email_without_date_or_message_id_gets_no_date_and_a_stable_id():
    raw = (CORPUS / "chatwoot/mail_with_no_date.eml").read_bytes()

    parsed = parse_email(raw)

    assert parsed.date is None
    assert "date: missing" in parsed.defects
    assert parsed.synthetic_id
    assert parsed.message_id.endswith("@synthetic.inbox.invalid")
    assert parse_email(raw).message_id == parsed.message_id
    assert parsed.text == "text only mail"


def test_email_with_an_empty_subject_has_none():
    parsed = parse("chatwoot/mail_with_no_subject.eml")

    assert parsed.subject is None
    assert parsed.date == datetime(2020, 4, 20, 8, 20, 20, tzinfo=UTC)


def test_email_empty_reply_to_gives_no_reply_address_and_keeps_the_sender():
    parsed = parse("chatwoot/malformed_reply_to.eml")

    assert parsed.reply_to == []
    assert parsed.sender == Party(name="Sender", email="sender@example.com")
    assert parsed.text == "Regression fixture."


def test_email_upper_case_addresses_are_lower_cased():
    uppercase_from = parse("chatwoot/mail_with_uppercase_from.eml")  # From: Test Chatwoot <Test@chatwoot.com>
    uppercase_reply_to = parse("chatwoot/support_uppercase.eml")  # Reply-To: Sony Mathew <SONY@CHATWOOT.COM>

    assert uppercase_from.sender == Party(name="Test Chatwoot", email="test@chatwoot.com")
    assert uppercase_reply_to.reply_to == [Party(name="Sony Mathew", email="sony@chatwoot.com")]


@pytest.mark.parametrize("name", ["chatwoot/mail_with_invalid_to.eml", "chatwoot/mail_with_invalid_to_2.eml"])
def test_email_garbled_to_header_still_gives_the_recipient(name):
    assert parse(name).to == [Party(email="vishnu@chatwoot.com")]


def test_email_encoded_attachment_names_are_decoded():
    xlsx = parse("freescout/message-1b.eml")
    japanese = parse("freescout/issue-4567.eml")

    assert xlsx.subject == "386 - 400021804 - 19., Heiligenstädter Straße 80 - 0819306 - Anfrage Vergabevorschlag"
    assert xlsx.attachments[0].filename == "2021_Mängelliste_0819306.xlsx"
    assert japanese.attachments[0].filename.startswith("☆第132号")


def test_email_attachment_type_comes_from_its_bytes_not_its_label():
    # The fixture's "spreadsheet" is the three bytes "Hi!": stored as what it is.
    [sheet] = parse("freescout/message-1b.eml").attachments

    assert sheet.declared_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert sheet.content_type == "text/plain"
    assert sheet.data == b"Hi!"


def test_email_with_a_one_character_boundary_still_splits_text_and_pdf():
    parsed = parse("freescout/message-2.eml")

    assert parsed.text.startswith("This message may contain an attachment in a PDF format.")
    [pdf] = parsed.attachments
    assert (pdf.filename, pdf.content_type) == ("file.pdf", "application/pdf")
    assert parsed.sender == Party(email="test@mail.com")  # a display name that is the address is no name
