"""Files a person sends (domain/outbound_files.py) and who an email goes to (domain/recipients.py): no I/O."""

from __future__ import annotations

import pytest

from helpers.vonage import png
from inbox.domain import outbound_files, recipients
from inbox.domain.filetypes import DOCX
from inbox.errors import InvalidInputError
from inbox.models import Channel, Party

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def field_of(call) -> str:
    with pytest.raises(InvalidInputError) as raised:
        call()
    return raised.value.field


@pytest.mark.parametrize(
    ("channel", "filename", "content_type", "size", "field"),
    [
        (Channel.SMS, "a.pdf", "application/pdf", 10, "conversation_id"),
        (Channel.EMAIL, "../../", "application/pdf", 10, "filename"),
        (Channel.EMAIL, "invoice.pdf.exe", "application/pdf", 10, "filename"),
        (Channel.EMAIL, "script.PS1", "text/plain", 10, "filename"),
        (Channel.EMAIL, "run", "application/x-msdownload", 10, "content_type"),
        (Channel.EMAIL, "a.js.txt", "text/javascript", 10, "content_type"),
        (Channel.EMAIL, "a.pdf", "not a type", 10, "content_type"),
        (Channel.EMAIL, "a.pdf", "application/pdf", 20_000_001, "size"),
        (Channel.WHATSAPP, "a.gif", "image/gif", 10, "content_type"),
        (Channel.WHATSAPP, "a.jpg", "image/jpeg", 5_000_001, "size"),
        (Channel.WHATSAPP, "a.mp3", "audio/mpeg", 16_000_001, "size"),
    ],
)
def test_an_upload_is_refused_naming_the_field(channel, filename, content_type, size, field):
    assert field_of(lambda: outbound_files.check_upload(channel, filename, content_type, size)) == field


def test_an_upload_keeps_a_bare_name_and_gets_the_channels_limit():
    assert outbound_files.check_upload(Channel.EMAIL, "C:\\docs\\Devis.pdf", "Application/PDF", 10) == (
        "Devis.pdf",
        "application/pdf",
        20_000_000,
    )
    assert outbound_files.check_upload(Channel.WHATSAPP, "r.docx", DOCX, 99_000_000)[2] == 100_000_000


@pytest.mark.parametrize(
    ("sample", "declared", "filename", "refused"),
    [
        (PDF, "application/pdf", "a.pdf", None),
        (png(), "image/png", "a.png", None),
        (b"name;qty\nbolt;3\n", "text/csv", "a.csv", None),
        (b"MZ\x90\x00" + bytes(60), "application/pdf", "a.pdf", "is a program"),
        (b"\x7fELF\x02\x01\x01" + bytes(60), "image/png", "a.png", "is a program"),
        (b"#!/bin/sh\nrm -rf /\n", "text/plain", "a.txt", "is a program"),
        (png(), "application/pdf", "a.pdf", "its content is image/png"),
        (b"just text", "application/pdf", "a.pdf", "its content is text/plain"),
        (bytes(range(256)) * 4, "image/jpeg", "a.jpg", "its content is not image/jpeg"),
        (b"\x00\x00\x00\x18ftyp3gp4" + bytes(40), "video/3gpp", "a.3gp", None),
    ],
)
def test_the_bytes_are_judged_not_the_name(sample, declared, filename, refused):
    reason = outbound_files.content_refusal(sample, declared, filename)
    assert (reason is None) if refused is None else (reason is not None and refused in reason)


def test_email_files_together_are_capped():
    assert outbound_files.total_refusal([10_000_000, 10_000_000]) is None
    assert "20 MB" in outbound_files.total_refusal([10_000_000, 10_000_001])


def test_addresses_are_one_each_and_name_their_index():
    assert recipients.addresses([" Paul@Example.fr", "paul@example.fr", "a@b.co"], "cc") == [
        "paul@example.fr",
        "a@b.co",
    ]
    for bad in ("paul@example.fr, x@y.z", "Paul <paul@example.fr>", "paul@example", "p\r\nBcc: x@y.z"):
        assert field_of(lambda bad=bad: recipients.addresses(["ok@example.fr", bad], "cc")) == "cc[1]"


def test_reply_all_copies_the_other_participants_but_the_customer_and_ourselves():
    sender = Party(name="Élodie", email="Elodie@example.fr")
    to = [Party(email="support@shop.test"), Party(email="paul@example.fr"), Party(phone="+33600000000")]
    cc = recipients.reply_all_cc(sender, to, "elodie@example.fr", {"support@shop.test"})
    assert cc == ["paul@example.fr"]
    to, cc, bcc = ["elodie@example.fr"], ["paul@example.fr", "elodie@example.fr"], ["paul@example.fr"]
    assert recipients.distinct(to, cc, bcc) == (["paul@example.fr"], [])
