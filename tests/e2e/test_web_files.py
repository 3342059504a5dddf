"""Files both ways in a real browser (issue 13, item 4): a PDF attached to an email reply goes up to the local
S3 by its presigned POST and out to the SMTP server; a program and a disguised one are refused in words; Reply
all, Cc and Bcc reach the envelope; one message forwarded with its file and a note. axe on the composer with
its files and on the forward dialog."""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from helpers.local_stack import id_token
from helpers.web import api_get, deliver_sms, run_browser, synced_conversation

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(64)


def email_with_a_file(stack: dict[str, Any], mailbox, smtp_server, subject: str) -> dict[str, Any]:
    """A customer's mail to the shop and a colleague of theirs, with a PDF, in a mailbox connected and synced."""
    mail = EmailMessage()
    mail["From"] = "Ana Ruiz <ana@example.es>"
    mail["To"] = "support@shop.test, Bob Ruiz <bob@example.es>"
    mail["Subject"] = subject
    mail["Message-ID"] = f"<{secrets.token_hex(6)}@example.es>"
    mail.set_content("Les envío el plano de la cocina.\n")
    mail.add_attachment(PDF, maintype="application", subtype="pdf", filename="plano.pdf")
    return synced_conversation(stack, mailbox, smtp_server, mail.as_bytes(), subject)


def attachments_of(message: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_a_pdf_goes_out_with_an_email_reply_refused_files_are_said_and_a_message_is_forwarded(
    web_stack, mailbox, smtp_server, tmp_path: Path
):
    tag = secrets.token_hex(3)
    subject = f"Plano de cocina {tag}"
    conversation = email_with_a_file(web_stack, mailbox, smtp_server, subject)
    sms_text = f"Je peux envoyer une photo ? {tag}"
    deliver_sms(web_stack, "33633445566", sms_text)
    (tmp_path / "presupuesto.pdf").write_bytes(PDF)
    (tmp_path / "setup.exe").write_bytes(PROGRAM)
    (tmp_path / "factura.pdf").write_bytes(PROGRAM)  # a program named as a PDF
    words = {
        "REPLY": f"Adjunto el presupuesto. {tag}",
        "CC": "carla@example.es",
        "BCC": "boss@shop.test",
        "FORWARD_TO": "cocinas@partner.example",
        "FORWARD_NOTE": f"Para el plano de la cocina {tag}",
    }

    seen = run_browser(
        "files.mjs",
        {
            "INBOX_URL": web_stack["web_url"],
            "INBOX_EMAIL": web_stack["admin"]["username"],
            "INBOX_PASSWORD": web_stack["admin"]["password"],
            "EMAIL_SUBJECT": subject,
            "SMS_TEXT": sms_text,
            "PDF": str(tmp_path / "presupuesto.pdf"),
            "EXE": str(tmp_path / "setup.exe"),
            "DISGUISED": str(tmp_path / "factura.pdf"),
            **words,
        },
        timeout=240,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"composer": [], "forward": []}
    assert seen["receivedFiles"] == ["plano.pdf"]
    # Refused when attached (by its name), and when sent (by its bytes), each in words; Send waits.
    assert seen["exeError"] == "“setup.exe”: a file of this name cannot be sent (programs and scripts are refused)."
    assert seen["sendWithRefused"] is False
    assert seen["dropHint"] == "Drop the files to attach them"
    assert seen["droppedState"] == "done"
    assert seen["disguisedError"] == (
        "“factura.pdf” is not what its type says: it was refused. Remove it to send the reply."
    )
    # Reply all names the customer's other correspondent (the app cannot tell which of the addresses the
    # customer wrote to is the shop's before it has answered once: the API leaves it out).
    assert "bob@example.es" in seen["replyAllCc"]
    assert seen["filesBeforeSend"] == ["presupuesto.pdf"]
    assert seen["delivery"] == "Sent"
    assert seen["sentFiles"] == ["presupuesto.pdf"]
    assert seen["sentFileLink"] is True
    assert seen["filesAfterSend"] == 0

    reply, forward = smtp_server.wait_for(2, timeout=30)
    assert set(reply.rcpt_tos) == {"ana@example.es", "bob@example.es", "carla@example.es", "boss@shop.test"}
    assert reply.message["To"].addresses[0].addr_spec == "ana@example.es"
    assert {a.addr_spec for a in reply.message["Cc"].addresses} == {"bob@example.es", "carla@example.es"}
    assert reply.message["Bcc"] is None
    assert attachments_of(reply.message) == {"presupuesto.pdf": PDF}
    assert words["REPLY"] in reply.message.get_body(("plain",)).get_content()

    # Forward: a dialog that keeps the focus, closes on Escape; the message goes with its file and the note.
    assert seen["forwardFocus"] == "to"
    assert seen["focusStaysInside"] is True
    assert seen["focusBack"] is True
    assert seen["forwarded"] == f"Forwarded to {words['FORWARD_TO']}."
    assert forward.rcpt_tos == (words["FORWARD_TO"],)
    assert words["FORWARD_NOTE"] in forward.message.get_body(("plain",)).get_content()
    assert attachments_of(forward.message) == {"plano.pdf": PDF}

    # What the API keeps of the reply: the file, like a received one's.
    token = id_token(web_stack)
    stored = [m for m in api_get(web_stack, token, f"/conversations/{conversation['id']}")["messages"]]
    [sent] = [m for m in stored if m["direction"] == "outbound" and words["REPLY"] in m["text"]]
    assert [(a["filename"], a["content_type"], a["size"]) for a in sent["attachments"]] == [
        ("presupuesto.pdf", "application/pdf", len(PDF))
    ]

    # SMS: no file, and the composer says so.
    assert seen["smsAttachEnabled"] is False
    assert seen["smsAttachReason"] == "SMS carries no file."
