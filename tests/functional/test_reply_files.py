"""Files both ways, the sending side (issue 13, item 4): a presigned upload, then a reply that carries it, read
back and judged by its bytes first. Email goes to the SMTP test server (what it received is parsed), WhatsApp
media to the fake Vonage, which fetches the link as Vonage would; SMS carries no file. Cc, Bcc and reply-all.

AWS is moto: the browser's POST to S3 is made with `requests`, which moto answers in-process. moto does not
enforce a POST policy's content-length-range, which is why the size is checked again when the file is read back.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from helpers.events import api_request, load_event
from helpers.mailbox import conversations, create_mailbox, mail, run_worker
from helpers.vonage import invoke, messages_event, png, sms, sms_event
from helpers.workers import run_purges
from inbox import wiring
from samples import CUSTOMER, TENANT, WHATSAPP_NUMBER

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200)
INTRUDER = {"custom:tenant_id": "intruder"}


def ask_upload(api, conversation_id: str, filename: str, content_type: str, size: int, **claims: str):
    body = {"filename": filename, "content_type": content_type, "size": size}
    return api(api_request("POST", f"/conversations/{conversation_id}/attachments", body, **claims))


def upload(api, conversation_id: str, filename: str, content_type: str, data: bytes, declared: int | None = None):
    """Ask for the upload, post the file as the browser does; the upload id."""
    status, ticket = ask_upload(api, conversation_id, filename, content_type, declared or len(data))
    assert status == 201, ticket
    assert set(ticket) == {"upload_id", "url", "fields", "max_bytes", "expires_at"}
    assert ticket["fields"]["Content-Type"] == content_type
    assert ticket["fields"]["key"].startswith(f"uploads/{TENANT}/{conversation_id}/")
    posted = requests.post(ticket["url"], data=ticket["fields"], files={"file": (filename, data)}, timeout=10)
    assert posted.status_code in (200, 201, 204), posted.text
    return ticket["upload_id"]


def reply(api, conversation_id: str, body: dict[str, Any], **claims: str):
    return api(api_request("POST", f"/conversations/{conversation_id}/messages", body, **claims))


def error_of(body: dict[str, Any]) -> str:
    assert body["error"]["code"] == "invalid_field", body
    return body["error"]["message"]


@pytest.fixture
def email_conversation(api, mailbox, smtp_server) -> str:
    """A customer's mail to support@shop.test, copied to a colleague of theirs and to our own second address."""
    cc = "Cc: Paul Martin <paul@example.fr>, Support <support@shop.test>\r\n"
    mailbox.append("INBOX", mail("Commande 1042", headers=cc))
    run_worker(create_mailbox(api, mailbox, smtp=smtp_server.smtp_settings()))
    [conversation] = conversations()
    return conversation.id


@pytest.fixture
def whatsapp_conversation(api, fake, vonage_integration) -> str:
    payload = fake.whatsapp_inbound(WHATSAPP_NUMBER, CUSTOMER, text="Vous avez une photo du colis ?")
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))
    assert status == 200, answer
    fake.fetch_media = True
    return answer["conversation_id"]


# ---------------------------------------------------------------- email


def test_a_pdf_goes_out_as_an_email_attachment_with_cc_bcc_and_reply_all(api, email_conversation, smtp_server):
    upload_id = upload(api, email_conversation, "Devis 1042.pdf", "application/pdf", PDF)

    status, sent = reply(
        api,
        email_conversation,
        {
            "text": "Voici le devis.",
            "attachments": [upload_id],
            "cc": ["compta@example.fr"],
            "bcc": ["Archive@Shop.test"],
            "reply_all": True,
        },
    )

    assert (status, sent["delivery"]) == (201, "sent"), sent
    [received] = smtp_server.wait_for(1)
    message = received.message
    assert message["To"] == "elodie@example.fr"
    assert [a.strip() for a in message["Cc"].split(",")] == ["compta@example.fr", "paul@example.fr"]
    assert message["Bcc"] is None  # the envelope has it, the mail does not
    assert set(received.rcpt_tos) == {"elodie@example.fr", "compta@example.fr", "paul@example.fr", "archive@shop.test"}
    [attachment] = list(message.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content_type()) == ("Devis 1042.pdf", "application/pdf")
    assert attachment.get_content() == PDF
    assert message.get_body(("plain",)).get_content().strip() == "Voici le devis."
    # The sent message lists the file like a received one, with a download link, and keeps its recipients.
    assert [(a["filename"], a["size"]) for a in sent["attachments"]] == [("Devis 1042.pdf", len(PDF))]
    assert sent["attachments"][0]["url"]
    assert [p["email"] for p in sent["cc"]] == ["compta@example.fr", "paul@example.fr"]
    assert [p["email"] for p in sent["bcc"]] == ["archive@shop.test"]
    status, detail = api(load_event("api/get_conversation.json", CONVERSATION_ID=email_conversation))
    stored = detail["messages"][-1]["attachments"][0]
    assert stored["filename"] == "Devis 1042.pdf"
    key = wiring.store().get_messages(TENANT, email_conversation, 10)[0][-1].attachments[0].key
    assert key.startswith(f"{TENANT}/attachments/{sent['id']}/")
    assert wiring.blobs().get(key) == PDF


def test_the_upload_sample_event_gives_a_presigned_post_within_the_email_limit(api, email_conversation):
    status, ticket = api(load_event("api/start_upload.json", CONVERSATION_ID=email_conversation))

    assert status == 201, ticket
    assert (ticket["max_bytes"], ticket["fields"]["Content-Type"]) == (20_000_000, "application/pdf")
    assert ticket["fields"]["x-amz-meta-filename"] == "Devis%201042.pdf"


def test_a_disguised_executable_is_refused_and_nothing_is_sent(api, email_conversation, smtp_server):
    upload_id = upload(api, email_conversation, "facture.pdf", "application/pdf", EXECUTABLE)

    status, body = reply(api, email_conversation, {"text": "La facture.", "attachments": [upload_id]})

    assert status == 422
    assert error_of(body).startswith("attachments[0]: facture.pdf: is a program")
    assert smtp_server.messages == []
    assert conversations()[0].message_count == 1  # nothing stored either


def test_a_png_declared_as_a_pdf_is_refused(api, email_conversation, smtp_server):
    upload_id = upload(api, email_conversation, "scan.pdf", "application/pdf", png())

    status, body = reply(api, email_conversation, {"text": "Le scan.", "attachments": [upload_id]})

    assert status == 422
    assert "image/png, not the application/pdf" in error_of(body)


def test_uploads_refused_by_name_type_size_and_a_bad_cc_each_name_their_field(api, email_conversation, smtp_server):
    assert error_of(ask_upload(api, email_conversation, "setup.exe", "application/octet-stream", 10)[1]).startswith(
        "filename:"
    )
    refused = ask_upload(api, email_conversation, "run", "application/x-msdownload", 10)[1]
    assert error_of(refused).startswith("content_type:")
    too_large = ask_upload(api, email_conversation, "video.mp4", "video/mp4", 20_000_001)
    assert too_large[0] == 422
    assert error_of(too_large[1]).startswith("size:")
    assert error_of(reply(api, email_conversation, {"text": "x", "cc": ["paul@example.fr, x@y.z"]})[1]).startswith(
        "cc[0]:"
    )
    unknown = reply(api, email_conversation, {"text": "x", "attachments": ["0190000000000000000000000a"]})[1]
    assert error_of(unknown).startswith("attachments[0]: no such upload")
    assert smtp_server.messages == []


def test_email_files_together_over_20_mb_are_refused(api, email_conversation, smtp_server):
    big = PDF + bytes(11_000_000)
    first = upload(api, email_conversation, "a.pdf", "application/pdf", big)
    second = upload(api, email_conversation, "b.pdf", "application/pdf", big)

    status, body = reply(api, email_conversation, {"text": "x", "attachments": [first, second]})

    assert status == 422
    assert error_of(body).startswith("attachments: together over the 20 MB")
    assert smtp_server.messages == []


def test_a_message_is_forwarded_with_its_files_and_a_note(api, mailbox, smtp_server):
    boundary = "b1"
    body = (
        f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLe colis est abîmé, voici la photo.\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=colis.png\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{base64.b64encode(png()).decode()}\r\n--{boundary}--"
    )
    raw = mail("Colis abîmé", body=body).replace(
        b"Content-Type: text/plain; charset=utf-8", f'Content-Type: multipart/mixed; boundary="{boundary}"'.encode(), 1
    )
    mailbox.append("INBOX", raw)
    run_worker(create_mailbox(api, mailbox, smtp=smtp_server.smtp_settings()))
    [conversation] = conversations()
    [received_message] = wiring.store().get_messages(TENANT, conversation.id, 10)[0]
    path = f"/conversations/{conversation.id}/messages/{received_message.id}/forward"
    forward = {"to": "transport@carrier.fr", "note": "Pouvez-vous ouvrir un litige pour ce colis ?"}

    assert api(api_request("POST", path, forward, **INTRUDER))[0] == 404
    sample = load_event("api/forward_message.json", CONVERSATION_ID=conversation.id, MESSAGE_ID=received_message.id)
    status, sent = api(sample)

    assert (status, sent["delivery"], sent["direction"]) == (201, "sent", "outbound"), sent
    [out] = smtp_server.wait_for(1)
    message = out.message
    assert (message["To"], message["Subject"]) == ("transport@carrier.fr", "Fwd: Colis abîmé")
    assert message["In-Reply-To"] is None  # a thread of its own for the recipient
    text = message.get_body(("plain",)).get_content()
    positions = [text.index(part) for part in (forward["note"], "Forwarded message", "voici la photo")]
    assert positions == sorted(positions)  # the note, the forwarded message's headers, then its text
    [attachment] = list(message.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content()) == ("colis.png", png())
    assert [a["filename"] for a in sent["attachments"]] == ["colis.png"]
    assert conversations()[0].message_count == 2
    bad = api(api_request("POST", path, {"to": "not an address"}))
    assert bad[0] == 422
    assert error_of(bad[1]).startswith("to:")
    missing = api(api_request("POST", f"/conversations/{conversation.id}/messages/nope/forward", forward))
    assert missing[0] == 404


def test_a_forward_in_a_nudging_folder_schedules_no_nudge_and_leaves_a_waiting_one_as_it_was(
    api, email_conversation, smtp_server
):
    from helpers.schedules import scheduled

    nudge = {"enabled": True, "after_hours": 24, "max_nudges": 2, "text": "Avez-vous pu regarder ?"}
    status, folder = api(api_request("POST", "/folders", {"name": "Devis", "nudge": nudge}))
    assert status == 201, folder
    moved = api(api_request("PATCH", f"/conversations/{email_conversation}", {"folder_id": folder["id"]}))
    assert moved[0] == 200, moved
    [received] = wiring.store().get_messages(TENANT, email_conversation, 10)[0]
    path = f"/conversations/{email_conversation}/messages/{received.id}/forward"

    def nudges() -> dict[str, str]:
        return {n: s["ScheduleExpression"] for n, s in scheduled().items() if n.startswith("nudge.")}

    status, sent = api(api_request("POST", path, {"to": "transport@carrier.fr"}))
    assert (status, sent["delivery"]) == (201, "sent"), sent
    assert nudges() == {}  # a forward answers nobody: no "any news?" to the customer

    assert reply(api, email_conversation, {"text": "Nous regardons."})[0] == 201
    waiting = nudges()
    assert len(waiting) == 1
    wiring.clock().advance(timedelta(hours=3))
    status, sent = api(api_request("POST", path, {"to": "transport@carrier.fr", "note": "Et ce colis ?"}))
    assert (status, sent["delivery"]) == (201, "sent"), sent
    assert nudges() == waiting  # not pushed back by the forward


# ---------------------------------------------------------------- WhatsApp and SMS


def test_an_image_goes_out_as_whatsapp_media_the_fake_vonage_fetches(api, fake, whatsapp_conversation):
    upload_id = upload(api, whatsapp_conversation, "colis.png", "image/png", png())

    status, sent = reply(api, whatsapp_conversation, {"text": "Voici la photo.", "attachments": [upload_id]})

    assert (status, sent["delivery"]) == (201, "sent"), sent
    text, image = fake.sent
    assert text.body["message_type"] == "text"
    assert text.body["text"] == "Voici la photo."
    assert image.body["message_type"] == "image"
    assert set(image.body["image"]) == {"url"}
    assert (image.body["to"], image.body["channel"], image.body["client_ref"]) == (CUSTOMER, "whatsapp", sent["id"])
    assert image.media == (png(), "image/png")  # the presigned link works: the fake fetched the file by it
    log = requests.get(f"{fake.base_url}/_fake/sent", auth=(fake.api_key, fake.api_secret), timeout=5).json()
    assert log[-1]["fetched"] == {"content_type": "image/png", "size": len(png())}  # as a stack's test reads it
    assert [a["filename"] for a in sent["attachments"]] == ["colis.png"]


def test_a_pdf_goes_out_on_whatsapp_as_a_file_message_without_text(api, fake, whatsapp_conversation):
    upload_id = upload(api, whatsapp_conversation, "facture.pdf", "application/pdf", PDF)

    status, sent = reply(api, whatsapp_conversation, {"attachments": [upload_id]})

    assert (status, sent["delivery"], sent["text"]) == (201, "sent", "")
    [document] = fake.sent
    assert document.body["message_type"] == "file"
    assert document.media == (PDF, "application/pdf")
    assert sent["attachments"][0]["content_type"] == "application/pdf"


def test_whatsapp_limits_are_per_media_kind_and_checked_again_on_the_bytes(api, fake, whatsapp_conversation):
    over = ask_upload(api, whatsapp_conversation, "photo.jpg", "image/jpeg", 5_000_001)
    assert over[0] == 422
    assert error_of(over[1]) == "size: is over the 5 MB a whatsapp file may be"
    assert ask_upload(api, whatsapp_conversation, "film.mp4", "video/mp4", 15_000_000)[0] == 201
    assert error_of(ask_upload(api, whatsapp_conversation, "a.zip", "application/zip", 10)[1]).startswith(
        "content_type: WhatsApp does not carry application/zip"
    )
    # Declared small, posted large: the read-back finds the real size.
    lying = upload(api, whatsapp_conversation, "big.png", "image/png", png() + bytes(5_000_000), declared=100)
    status, body = reply(api, whatsapp_conversation, {"attachments": [lying]})
    assert status == 422
    assert error_of(body).startswith("attachments[0]: size: is over the 5 MB")
    assert fake.sent == []
    cc = reply(api, whatsapp_conversation, {"text": "x", "cc": ["paul@example.fr"]})
    assert cc[0] == 422
    assert error_of(cc[1]).startswith("cc:")


def test_an_sms_carries_no_file(api, fake, vonage_integration):
    status, answer = invoke("sms", sms_event("sms_form", sms(fake)))
    assert status == 200, answer
    conversation_id = answer["conversation_id"]

    status, body = ask_upload(api, conversation_id, "a.pdf", "application/pdf", 100)
    assert (status, error_of(body)) == (422, "conversation_id: SMS carries no file")
    status, body = reply(api, conversation_id, {"text": "x", "attachments": ["0190000000000000000000000a"]})
    assert (status, error_of(body)) == (422, "attachments: SMS carries no file")
    assert fake.sent == []


# ---------------------------------------------------------------- isolation and the template


def test_another_tenants_conversation_is_404_and_uploads_stay_with_their_conversation(api, email_conversation):
    assert ask_upload(api, email_conversation, "a.pdf", "application/pdf", 100, **INTRUDER)[0] == 404
    upload_id = upload(api, email_conversation, "a.pdf", "application/pdf", PDF)
    status, _ = reply(api, email_conversation, {"text": "x", "attachments": [upload_id]}, **INTRUDER)
    assert status == 404
    # The upload key names the tenant and the conversation: found from nowhere else.
    key = f"uploads/intruder/{email_conversation}/{upload_id}"
    with pytest.raises(ClientError, match="404"):
        wiring.client("s3").head_object(Bucket=wiring.get_settings().blob_bucket, Key=key)


def test_a_deleted_conversation_takes_its_unsent_uploads_with_it(api, aws, email_conversation):
    upload_id = upload(api, email_conversation, "a.pdf", "application/pdf", PDF)
    key = f"uploads/{TENANT}/{email_conversation}/{upload_id}"
    assert aws.s3.head_object(Bucket=aws.bucket, Key=key)["ContentLength"] == len(PDF)

    assert api(api_request("DELETE", f"/conversations/{email_conversation}"))[0] == 202
    assert run_purges(aws) == []

    assert aws.s3.list_object_versions(Bucket=aws.bucket, Prefix=f"uploads/{TENANT}/").get("Versions") is None


def test_uploads_never_sent_expire_by_a_lifecycle_rule_on_their_prefix(template):
    rules = template["Resources"]["BlobBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    [rule] = [r for r in rules if r["Id"] == "UploadsExpire"]
    assert (rule["Prefix"], rule["ExpirationInDays"], rule["Status"]) == ("uploads/", 1, "Enabled")
    assert json.dumps(rule["NoncurrentVersionExpiration"]) == '{"NoncurrentDays": 1}'
