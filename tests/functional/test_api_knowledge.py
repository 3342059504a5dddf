"""The knowledge base through the API: admins add, upload, edit and remove documents, every refusal
says what and where, a tenant never sees another's, and the passages a reply reads follow each change.

The PDF and DOCX files are made here, at test time: a minimal PDF written byte by byte, a DOCX by
python-docx itself."""

from __future__ import annotations

import base64
import io
import json

import boto3
import pytest

from helpers.aws_account import REGION
from helpers.events import api_request, load_event
from inbox import wiring
from samples import AGENT, TENANT

INTRUDER = {"custom:tenant_id": "intruder"}
FAQ = (
    "# Livraison\n\nLes commandes passées avant 14 h partent le jour même.\n\n"
    "# Retours\n\nVous avez 30 jours pour retourner un article. Le remboursement arrive sous 5 jours.\n\n"
    "# Paiement\n\nNous acceptons la carte bancaire et PayPal."
)


def pdf_file(*lines: str) -> bytes:
    """A one-page PDF whose text layer holds `lines` (Helvetica, WinAnsi: French accents included)."""
    text = " ".join(f"({line.replace('(', '[').replace(')', ']')}) '" for line in lines)
    content = f"BT /F1 12 Tf 14 TL 72 720 Td {text} ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_file() -> bytes:
    from docx import Document

    document = Document()
    document.add_heading("Garantie", level=1)
    document.add_paragraph("Tous nos appareils sont garantis deux ans, pièces et main-d'œuvre.")
    document.add_heading("Réparations", level=2)
    document.add_paragraph("Envoyez l'appareil au SAV avec la facture : réponse sous 10 jours.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Extension de garantie"
    table.rows[0].cells[1].text = "49 €"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(filename: str, data: bytes, **claims: str) -> dict:
    body = {"filename": filename, "content_base64": base64.b64encode(data).decode()}
    return api_request("POST", "/knowledge/upload", body, **claims)


def add(api, title: str = "FAQ", text: str = FAQ, **claims: str) -> dict:
    status, created = api(
        api_request("POST", "/knowledge", {"title": title, "text": text, "format": "markdown"}, **claims)
    )
    assert status == 201, created
    return created


def error(answer: tuple[int, dict]) -> tuple[int, str]:
    return answer[0], answer[1]["error"]["message"]


def test_the_samples_add_list_read_change_and_remove_a_document(api, aws):
    status, created = api(load_event("api/create_knowledge_document.json"))
    assert (status, created["kind"], created["passages"], created["updated_by"]) == (
        201,
        "markdown",
        2,
        "owner@example.com",
    )
    status, uploaded = api(load_event("api/upload_knowledge_document.json"))
    assert (status, uploaded["title"], uploaded["kind"], uploaded["filename"]) == (
        201,
        "horaires",
        "txt",
        "horaires.txt",
    )

    status, listed = api(load_event("api/list_knowledge.json"))
    assert status == 200, listed
    assert [d["id"] for d in listed["items"]] == [created["id"], uploaded["id"]]  # the order they were added
    assert listed["limits"]["upload_bytes"] == 4 * 1024 * 1024

    status, read = api(load_event("api/get_knowledge_document.json", DOCUMENT_ID=created["id"]))
    assert status == 200
    assert read["text"].startswith("# Livraison\n\nLes commandes passées avant 14 h")

    status, renamed = api(load_event("api/update_knowledge_document.json", DOCUMENT_ID=created["id"]))
    assert (status, renamed["title"], renamed["passages"]) == (200, "Livraison, retours et remboursements", 2)
    assert api(load_event("api/delete_knowledge_document.json", DOCUMENT_ID=created["id"]))[0] == 204
    assert api(load_event("api/get_knowledge_document.json", DOCUMENT_ID=created["id"]))[0] == 404
    # The bucket's copies go through the purge worker, the one function allowed to delete them.
    purge = aws.queued(aws.env["PURGE_QUEUE_URL"])
    assert purge == [{"job": "purge_blobs", "tenant_id": TENANT, "keys": [f"{TENANT}/knowledge/{created['id']}/"]}], (
        purge
    )


def test_agents_read_the_base_but_only_admins_change_it(api):
    created = add(api)
    assert api(api_request("GET", "/knowledge", **AGENT))[0] == 200
    assert api(api_request("GET", f"/knowledge/{created['id']}", **AGENT))[0] == 200
    assert error(api(api_request("POST", "/knowledge", {"title": "x", "text": "y"}, **AGENT)))[0] == 403
    assert api(upload("a.txt", b"hello", **AGENT))[0] == 403
    assert api(api_request("PUT", f"/knowledge/{created['id']}", {"title": "x"}, **AGENT))[0] == 403
    assert api(api_request("DELETE", f"/knowledge/{created['id']}", **AGENT))[0] == 403
    assert api(api_request("GET", f"/knowledge/{created['id']}"))[1]["title"] == "FAQ"


def test_another_tenants_documents_are_never_listed_read_changed_or_removed(api):
    created = add(api)
    assert api(api_request("GET", "/knowledge", **INTRUDER))[1]["items"] == []
    path = f"/knowledge/{created['id']}"
    assert error(api(api_request("GET", path, **INTRUDER)))[0] == 404
    assert error(api(api_request("PUT", path, {"text": "pirate"}, **INTRUDER)))[0] == 404
    assert error(api(api_request("DELETE", path, **INTRUDER)))[0] == 404
    assert api(api_request("GET", path))[1]["text"] == FAQ
    assert wiring.knowledge_base().for_prompt("intruder", "retours", 10_000).passages == []


def test_a_pdf_a_docx_a_text_file_and_an_html_page_give_their_text(api, aws):
    status, pdf = api(upload("conditions.pdf", pdf_file("Conditions de vente", "Livraison offerte dès 50 €.")))
    assert (status, pdf["kind"], pdf["title"]) == (201, "pdf", "conditions"), pdf
    assert "Livraison offerte dès 50 €." in api(api_request("GET", f"/knowledge/{pdf['id']}"))[1]["text"]
    s3 = boto3.client("s3", region_name=REGION)
    source = s3.get_object(Bucket=aws.env["BLOB_BUCKET"], Key=f"{TENANT}/knowledge/{pdf['id']}/source.pdf")
    assert source["Body"].read().startswith(b"%PDF-")

    status, word = api(upload("garantie.docx", docx_file()))
    assert (status, word["kind"]) == (201, "docx"), word
    text = api(api_request("GET", f"/knowledge/{word['id']}"))[1]["text"]
    assert text.startswith("# Garantie\n\nTous nos appareils sont garantis deux ans, pièces et main-d'œuvre.")
    assert "## Réparations" in text
    assert "Extension de garantie | 49 €" in text
    assert word["passages"] == 2  # cut at its headings

    legacy = "Horaires : ouvert à 9 h, fermé le dimanche.".encode("cp1252")
    status, plain = api(upload("horaires.txt", legacy))
    assert (status, plain["kind"]) == (201, "txt")
    assert (
        api(api_request("GET", f"/knowledge/{plain['id']}"))[1]["text"] == "Horaires : ouvert à 9 h, fermé le dimanche."
    )

    page = b"<!doctype html><title>x</title><h1>Contact</h1><p>\xc3\x89crivez-nous.</p><script>alert(1)</script>"
    status, html = api(upload("contact.html", page))
    assert (status, html["kind"]) == (201, "html")
    text = api(api_request("GET", f"/knowledge/{html['id']}"))[1]["text"]
    assert "Écrivez-nous." in text
    assert "alert" not in text


def test_a_file_is_what_its_bytes_say_not_what_its_name_says(api):
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4
    for name in ("faq.pdf", "faq.txt", "faq.docx"):
        status, message = error(api(upload(name, executable)))
        assert (status, message) == (422, "file: is binary data, not a PDF, DOCX, TXT or HTML file"), name
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert error(api(upload("notes.txt", png))) == (422, "file: is image/png, not a PDF, DOCX, TXT or HTML file")
    assert error(api(upload("broken.pdf", b"%PDF-1.4\nnot really")))[0] == 422
    scan = pdf_file()  # a page without text, as a scan is
    assert error(api(upload("scan.pdf", scan))) == (
        422,
        "file: is a PDF without text (a scan needs text recognition first)",
    )
    assert api(api_request("GET", "/knowledge"))[1]["items"] == []


def test_each_refusal_names_its_field_and_too_big_is_a_413(api, monkeypatch):
    assert error(api(api_request("POST", "/knowledge", {"title": "x", "text": ""})))[1].startswith("text: ")
    assert error(api(api_request("POST", "/knowledge", {"title": "x", "text": " \n\t "}))) == (
        422,
        "text: holds no text",
    )
    assert error(api(api_request("POST", "/knowledge", {"title": "  ", "text": "y"}))) == (422, "title: is empty")
    assert error(api(api_request("POST", "/knowledge", {"text": "y"})))[1].startswith("title: ")
    bad = {"filename": "a.txt", "content_base64": "not base64!"}
    assert error(api(api_request("POST", "/knowledge/upload", bad))) == (422, "content_base64: is not base64")
    assert error(api(upload("empty.txt", b"")))[0] == 422
    created = add(api)
    assert error(api(api_request("PUT", f"/knowledge/{created['id']}", {})))[0] == 422

    assert error(api(upload("big.txt", b"a" * (4 * 1024 * 1024 + 1)))) == (413, "file: over 4 MB")
    long_text = "mot " * 80_000
    assert error(api(api_request("POST", "/knowledge", {"title": "x", "text": long_text})))[0] == 413
    assert error(api(api_request("PUT", f"/knowledge/{created['id']}", {"text": long_text})))[0] == 413
    assert api(api_request("GET", f"/knowledge/{created['id']}"))[1]["text"] == FAQ  # unchanged
    assert error(api(api_request("GET", "/knowledge/nope")))[0] == 404


def test_the_base_has_a_cap_on_documents_and_on_text(api, monkeypatch):
    monkeypatch.setattr("inbox.services.knowledge.MAX_DOCUMENTS", 2)
    monkeypatch.setattr("inbox.services.knowledge.MAX_BASE_CHARACTERS", 1_000)
    wiring.reset()  # the service reads its limits when it is built
    first = add(api, "One", "a" * 400)
    add(api, "Two", "b" * 400)
    assert error(api(api_request("POST", "/knowledge", {"title": "Three", "text": "c"}))) == (
        409,
        "the knowledge base holds 2 documents already: remove one first",
    )
    status, message = error(api(api_request("PUT", f"/knowledge/{first['id']}", {"text": "a" * 700})))
    assert (status, message) == (413, "text: the knowledge base would hold over 1,000 characters of text")
    assert api(api_request("PUT", f"/knowledge/{first['id']}", {"text": "a" * 100}))[0] == 200  # shrinking is fine
    assert api(api_request("DELETE", f"/knowledge/{first['id']}"))[0] == 204
    assert add(api, "Three", "c" * 400)["title"] == "Three"


def test_the_passages_a_reply_reads_follow_every_change(api):
    base = wiring.knowledge_base()
    assert base.for_prompt(TENANT, "Où est ma commande ?", 10_000).model_dump() == {"passages": [], "whole": True}
    created = add(api)
    whole = base.for_prompt(TENANT, "Où est ma commande ?", 10_000)
    assert whole.whole
    assert [p.passage_id for p in whole.passages] == [f"{created['id']}:{n}" for n in (1, 2, 3)]

    chosen = base.for_prompt(TENANT, "Bonjour, je voudrais retourner un article et être remboursé", 40)
    assert not chosen.whole
    assert [p.text for p in chosen.passages] == [
        "# Retours\n\nVous avez 30 jours pour retourner un article. Le remboursement arrive sous 5 jours."
    ]

    changed = FAQ.replace("30 jours", "60 jours")
    assert api(api_request("PUT", f"/knowledge/{created['id']}", {"text": changed, "title": "Aide"}))[0] == 200
    again = base.for_prompt(TENANT, "retourner un article", 10_000)
    assert "60 jours" in again.passages[1].text
    assert {p.title for p in again.passages} == {"Aide"}
    assert api(api_request("DELETE", f"/knowledge/{created['id']}"))[0] == 204
    assert base.for_prompt(TENANT, "retourner un article", 10_000).passages == []


def test_a_document_is_stored_as_the_data_table_says(api, aws):
    created = add(api)
    table = boto3.client("dynamodb", region_name=REGION)
    items = table.query(
        TableName=aws.env["TABLE_NAME"],
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"T#{TENANT}#KNOWLEDGE"}},
    )["Items"]
    assert sorted(item["SK"]["S"] for item in items) == ["BASE", f"DOC#{created['id']}", f"PASSAGES#{created['id']}"]
    base = next(item for item in items if item["SK"]["S"] == "BASE")
    assert (base["documents"]["N"], base["characters"]["N"], base["version"]["N"]) == ("1", str(len(FAQ)), "1")
    s3 = boto3.client("s3", region_name=REGION)
    text = s3.get_object(Bucket=aws.env["BLOB_BUCKET"], Key=f"{TENANT}/knowledge/{created['id']}/text-v1.md")
    assert text["Body"].read().decode() == FAQ


@pytest.mark.parametrize("body", [{"title": "x", "text": "y", "extra": 1}, {"title": "x" * 201, "text": "y"}])
def test_unknown_fields_and_long_titles_are_refused(api, body):
    status, answer = api(api_request("POST", "/knowledge", json.dumps(body)))
    assert status == 422, answer
