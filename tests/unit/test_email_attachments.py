"""What an attachment really is, from its bytes: the type the inbox stores, shows and serves it as."""

import io
import zipfile

import pytest

from inbox.domain.filetypes import DOCX, PPTX, XLSX, content_type_of, extension_for, sniff

ODT = "application/vnd.oasis.opendocument.text"
BINARY = bytes(range(256)) * 16  # no signature, a control byte in every eight


def office_file(*names: str, first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        archive.writestr("[Content_Types].xml", "<Types/>" * 50, compress_type=zipfile.ZIP_DEFLATED)
        for name in names:
            archive.writestr(name, "<x/>" * 50, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "application/x-ole-storage"),
        (office_file("word/document.xml"), DOCX),
        (office_file("xl/workbook.xml", "xl/worksheets/sheet1.xml"), XLSX),
        (office_file("ppt/presentation.xml"), PPTX),
        (office_file(first=("mimetype", ODT.encode())), ODT),
        (office_file("notes.txt"), "application/zip"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n", "text/calendar"),
        (b"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:3.0\r\n", "text/vcard"),
        (b"  <!DOCTYPE html><html><body>hi", "text/html"),
        (b"Dear team,\nthe invoice is attached.\n", "text/plain"),
        ("Prix : 20 € — merci".encode("cp1252"), "text/plain"),
        (b"BMW invoice for March", "text/plain"),  # "BM" starts bitmaps, and words
        (BINARY, None),
        (b"", None),
    ],
)
def test_attachment_type_is_read_from_the_first_bytes(data, expected):
    assert sniff(data) == expected


@pytest.mark.parametrize(
    ("data", "declared", "filename", "expected"),
    [
        (b"%PDF-1.4\n", "image/png", "scan.png", "application/pdf"),  # the bytes win over a wrong label
        (b"\xff\xd8\xff\xe0", "image/jpg", "photo.jpg", "image/jpeg"),  # and over a misspelled one
        (office_file("word/document.xml"), "application/octet-stream", "devis.docx", DOCX),
        (office_file("notes.txt"), "application/epub+zip", "book.epub", "application/epub+zip"),  # a kind of zip
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), None, "mail.msg", "application/vnd.ms-outlook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "application/msword", "cv.doc", "application/msword"),
        (b"name;amount\nAnna;20\n", "application/vnd.ms-excel", "export.csv", "text/csv"),  # Outlook's CSV label
        (b'{"order": 42}', "application/json", "order.json", "application/json"),  # text keeps a text-like label
        (b"Hi!", "application/pdf", "contract.pdf", "text/plain"),  # a "PDF" that is text is text
        (b"Hi!", "application/octet-stream", "readme.txt", "text/plain"),
        (b"", "image/png", "empty.png", "image/png"),  # nothing to sniff: the label stands
        (BINARY, "application/x-custom", "data.bin", "application/x-custom"),
        (BINARY, "application/octet-stream", "report.pdf", "application/pdf"),  # then the extension
        (BINARY, "not a type", None, "application/octet-stream"),
    ],
)
def test_attachment_type_prefers_the_bytes_then_the_label_then_the_name(data, declared, filename, expected):
    assert content_type_of(data, declared, filename) == expected


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [("image/jpeg", "jpg"), ("application/pdf", "pdf"), (DOCX, "docx"), ("text/plain", "txt"), ("x/y", "bin")],
)
def test_attachment_fallback_names_get_a_fitting_extension(content_type, extension):
    assert extension_for(content_type) == extension
