"""SMS and WhatsApp through Vonage, end to end through the functions: webhooks in, replies out.

Vonage is the loopback fake (`local/vonage.py`), which signs and checks as Vonage documents,
independently of our code; AWS is moto built from the template.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from helpers.events import REPO, LambdaContext, api_request, load_event, with_body, with_claims
from helpers.vonage import conversations, create_vonage, invoke, media_job_event, messages_event, png, sms, sms_event
from local.vonage import FakeVonage
from local.vonage_webhooks import sms_signature
from samples import CUSTOMER, SMS_NUMBER, VONAGE_SIGNATURE_SECRET, WHATSAPP_NUMBER


def conversation(api, conversation_id: str) -> dict[str, Any]:
    status, detail = api(load_event("api/get_conversation.json", CONVERSATION_ID=conversation_id))
    assert status == 200, detail
    return detail


def reply(api, conversation_id: str, text: str) -> tuple[int, Any]:
    return api(api_request("POST", f"/conversations/{conversation_id}/messages", {"text": text}))


# ---------------------------------------------------------------- settings


def test_vonage_settings_are_stored_with_e164_numbers_and_secrets_that_never_come_back(api, fake, vonage_integration):
    settings = vonage_integration["settings"]
    assert settings["sms_numbers"] == ["+33757000000"]
    assert settings["whatsapp_numbers"] == ["+33757000001"]
    assert vonage_integration["secrets_set"] == {"api_secret": True, "private_key": True, "signature_secret": True}
    assert fake.private_key_pem not in json.dumps(vonage_integration)
    assert VONAGE_SIGNATURE_SECRET not in json.dumps(vonage_integration)
    assert vonage_integration["vonage_webhooks"]["sms_inbound"] == "/inbox/webhooks/sms"


def test_a_number_belongs_to_one_integration_and_bad_input_names_the_field(api, fake, vonage_integration):
    status, body = create_vonage(api, fake, name="Second", whatsapp_numbers=[], sms_numbers=["+33757000000"])
    assert status == 409
    assert "+33757000000" in body["error"]["message"]

    status, body = create_vonage(api, fake, sms_numbers=["not a phone"])
    assert status == 422
    assert body["error"]["message"].startswith("sms_numbers.0: ")

    status, body = create_vonage(api, fake, sms_numbers=["+33757000009"], private_key="-----BEGIN nonsense")
    assert status == 422
    assert body["error"]["message"].startswith("private_key: ")


def test_only_numbers_the_vonage_account_rents_can_be_connected(api, fake):
    status, body = create_vonage(api, fake, sms_numbers=["+33757000009"], whatsapp_numbers=[])
    assert (status, body["error"]["message"]) == (
        422,
        "sms_numbers.0: +33757000009 is not a number of this Vonage account",
    )
    status, body = create_vonage(api, fake, api_secret="not-the-secret")
    assert (status, body["error"]["message"]) == (422, "api_secret: Vonage refused this API key and secret")
    fake.set_down(True)
    assert create_vonage(api, fake)[0] == 503  # cannot check now: try again, nothing half-made
    fake.set_down(False)
    assert create_vonage(api, fake)[0] == 201


# ---------------------------------------------------------------- SMS API inbound


@pytest.mark.parametrize("style", ["sms_form", "sms_get", "sms_json"])
def test_an_sms_lands_in_the_customers_conversation_whatever_the_style(api, fake, vonage_integration, style):
    status, answer = invoke("sms", sms_event(style, sms(fake, "Bonjour & merci = 1")))

    assert status == 200, answer
    assert answer["result"] == "stored"
    (listed,) = conversations(api)
    assert listed["channel"] == "sms"
    assert listed["contact"]["phone"] == "+33612345678"
    (message,) = conversation(api, listed["id"])["messages"]
    assert message["text"] == "Bonjour & merci = 1"
    assert message["to"] == [{"name": None, "email": None, "phone": "+33757000000"}]


def test_an_sms_delivered_three_times_is_one_message(api, aws, fake, vonage_integration):
    params = sms(fake)
    answers = [invoke("sms", sms_event("sms_form", params)) for _ in range(3)]

    assert [status for status, _ in answers] == [200, 200, 200]
    assert [body["result"] for _, body in answers] == ["stored", "duplicate", "duplicate"]
    (listed,) = conversations(api)
    assert listed["message_count"] == 1
    assert len(conversation(api, listed["id"])["messages"]) == 1


@pytest.mark.parametrize("method", ["md5hash", "md5", "sha1", "sha256", "sha512"])
def test_every_sms_signature_method_is_checked(api, fake, method):
    fake.signature_method = method
    assert create_vonage(api, fake, signature_method=method)[0] == 201
    good = sms(fake)

    assert invoke("sms", sms_event("sms_form", good | {"text": "tampered"}))[0] == 401
    assert invoke("sms", sms_event("sms_form", {k: v for k, v in good.items() if k != "sig"}))[0] == 401
    fake.signature_secret = "another-signature-secret-0123456789"
    assert invoke("sms", sms_event("sms_form", sms(fake)))[0] == 401
    assert conversations(api) == []

    assert invoke("sms", sms_event("sms_form", good))[0] == 200
    assert len(conversations(api)) == 1


def test_a_stale_sms_signature_is_refused(api, fake, vonage_integration):
    # Vonage retries for 24 hours with the timestamp of its first push: later than that is a replay.
    params = sms(fake) | {"timestamp": str(int(time.time()) - 25 * 3600 - 60)}
    params["sig"] = sms_signature(params, VONAGE_SIGNATURE_SECRET)
    status, body = invoke("sms", sms_event("sms_form", params))
    assert status == 401
    assert "window" in body["error"]["message"]


def test_a_long_sms_is_one_message_whatever_order_its_parts_arrive_in(api, fake, vonage_integration):
    texts = ["Bonjour, je voudrais changer ", "l'adresse de livraison de ", "ma commande 1042."]
    parts = [sms(fake, text, concat=("42", 3, n)) for n, text in enumerate(texts, start=1)]

    results = [invoke("sms", sms_event("sms_form", parts[n]))[1]["result"] for n in (2, 0, 1)]
    again = invoke("sms", sms_event("sms_form", parts[0]))[1]["result"]  # Vonage delivers a part again

    assert results == ["part_kept", "part_kept", "stored"]
    assert again == "duplicate"
    (listed,) = conversations(api)
    (message,) = conversation(api, listed["id"])["messages"]
    assert message["text"] == "".join(texts)


def test_a_long_sms_missing_a_part_is_stored_with_what_arrived_never_lost(api, aws, fake, vonage_integration):
    from functions.vonage_worker import app

    texts = ["Bonjour, je voudrais ", "annuler ma commande ", "1042, merci."]
    parts = [sms(fake, text, concat=("77", 3, n)) for n, text in enumerate(texts, start=1)]
    assert [invoke("sms", sms_event("sms_form", parts[n]))[1]["result"] for n in (0, 2)] == ["part_kept"] * 2
    assert conversations(api) == []
    waiting = aws.sqs.get_queue_attributes(
        QueueUrl=aws.vonage_queue_url, AttributeNames=["ApproximateNumberOfMessagesDelayed"]
    )["Attributes"]
    assert waiting["ApproximateNumberOfMessagesDelayed"] == "1"  # a check in 15 minutes

    settle = load_event(
        "vonage_worker/sms_parts_job.json", TENANT_ID="tenant-sample", INTEGRATION_ID=vonage_integration["id"], REF="77"
    )
    assert app.lambda_handler(settle, LambdaContext()) == {"batchItemFailures": []}
    (listed,) = conversations(api)
    (message,) = conversation(api, listed["id"])["messages"]
    assert message["text"] == "Bonjour, je voudrais  […] 1042, merci."
    assert "sms: part(s) 2 of 3 never arrived" in message["defects"]

    # The missing part, very late: kept, and stored in its turn rather than dropped.
    assert invoke("sms", sms_event("sms_form", parts[1]))[1]["result"] == "part_kept"
    assert app.lambda_handler(settle, LambdaContext()) == {"batchItemFailures": []}
    late = conversation(api, listed["id"])["messages"][-1]
    assert late["text"] == "annuler ma commande "
    assert "sms: part(s) 1, 3 of 3 never arrived" in late["defects"]


def test_an_sms_to_a_number_nobody_owns_is_401_and_its_text_is_not_logged(api, fake, vonage_integration, caplog):
    params = fake.sms_params(CUSTOMER, "33757999999", "secret words of a stranger")
    status, _ = invoke("sms", sms_event("sms_form", params))

    assert status == 401  # as for a bad signature: which numbers are customers' is nobody's business
    logged = " ".join(str(record.__dict__) for record in caplog.records)  # messages and their extra fields
    assert "webhook for a number no integration owns" in logged
    assert "secret words" not in logged
    assert conversations(api) == []


def test_an_sms_from_an_impossible_number_is_a_clear_422_not_a_contact(api, fake, vonage_integration):
    params = fake.sms_params("12", SMS_NUMBER, "hello")
    status, body = invoke("sms", sms_event("sms_form", params))
    assert status == 422
    assert body["error"]["message"].startswith("msisdn: ")
    assert conversations(api) == []


def test_an_oversize_body_is_413(api, fake, vonage_integration):
    params = sms(fake, "x" * 300_000)
    assert invoke("sms", sms_event("sms_form", params))[0] == 413


# ---------------------------------------------------------------- Messages API inbound


def test_a_whatsapp_message_lands_with_the_senders_profile_name(api, fake, vonage_integration):
    payload = json.loads(load_event("webhook_whatsapp/whatsapp_text.json")["body"])
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))

    assert status == 200, answer
    (listed,) = conversations(api)
    assert listed["channel"] == "whatsapp"
    assert listed["contact"] == {"name": "Karim Benali", "email": None, "phone": "+33698765432"}


def test_a_whatsapp_reply_keeps_what_it_replies_to_and_is_not_flagged(api, fake, vonage_integration):
    payload = json.loads(load_event("webhook_whatsapp/whatsapp_text.json")["body"])
    payload["context"] = {"message_uuid": "earlier-uuid", "message_from": "33698765432"}
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))

    assert status == 200, answer
    (listed,) = conversations(api)
    (message,) = conversation(api, listed["id"])["messages"]
    assert message["defects"] == []
    from inbox import wiring

    (stored,) = wiring.store().get_messages("tenant-sample", listed["id"], 10)[0]
    assert stored.headers == {"context": "earlier-uuid"}


def test_messages_api_sms_can_come_to_the_sms_url(api, fake, vonage_integration):
    payload = json.loads(load_event("webhook_sms/messages_sms.json")["body"])
    status, answer = invoke("sms", messages_event("webhook_sms/messages_sms.json", payload, fake))
    assert status == 200, answer
    assert conversations(api)[0]["channel"] == "sms"


def test_whatsapp_tokens_that_do_not_fit_are_401_and_store_nothing(api, aws, fake, vonage_integration):
    name = "webhook_whatsapp/whatsapp_text.json"
    payload = fake.whatsapp_inbound(WHATSAPP_NUMBER, CUSTOMER, text="Hello")
    body = json.dumps(payload).encode()
    other_body = json.dumps(payload | {"text": "Give me a refund"}).encode()

    tampered = messages_event(name, body, fake)
    tampered["body"] = other_body.decode()
    replayed = messages_event(name, other_body, fake, iat=int(time.time()) - 301)
    wrong_secret = messages_event(name, body, fake, secret="another-signature-secret-0123456789")
    missing = messages_event(name, body, fake)
    del missing["headers"]["authorization"]

    for event in (tampered, replayed, wrong_secret, missing):
        assert invoke("whatsapp", event)[0] == 401
    assert conversations(api) == []
    assert not [key for key in aws.object_keys() if "/raw/" in key]


def test_unreadable_messages_are_422_and_kept_raw_when_signed(api, aws, fake, vonage_integration):
    name = "webhook_whatsapp/whatsapp_text.json"
    unknown = fake.whatsapp_inbound(WHATSAPP_NUMBER, CUSTOMER, text="?") | {"message_type": "hologram"}

    status, body = invoke("whatsapp", messages_event(name, unknown, fake))
    assert status == 422
    assert body["error"]["message"].startswith("message_type: ")
    (kept,) = [key for key in aws.object_keys() if "/raw/vonage/" in key]
    stored = aws.s3.get_object(Bucket=aws.bucket, Key=kept)["Body"].read()
    assert json.loads(stored)["message_type"] == "hologram"

    assert invoke("whatsapp", messages_event(name, b"{not json", fake))[0] == 422
    assert conversations(api) == []


# ---------------------------------------------------------------- media


def test_a_whatsapp_image_is_fetched_after_the_webhook_typed_by_its_bytes(api, aws, fake, vonage_integration):
    url = fake.add_media(png(), "image/jpeg")  # Vonage's word is only a hint
    name = "webhook_whatsapp/whatsapp_image.json"
    payload = json.loads(load_event(name)["body"].replace("MEDIA_URL", url))

    status, answer = invoke("whatsapp", messages_event(name, payload, fake))
    assert status == 200, answer
    (message,) = conversation(api, answer["conversation_id"])["messages"]
    assert message["text"] == "Voilà le carton"
    assert message["attachments"] == []  # nothing slow ran inside the webhook

    (job,) = aws.queued(aws.vonage_queue_url)
    event = media_job_event(job)
    from functions.vonage_worker import app

    assert app.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    (message,) = conversation(api, answer["conversation_id"])["messages"]
    (attachment,) = message["attachments"]
    assert (attachment["content_type"], attachment["filename"]) == ("image/png", "image.png")
    assert any(r.path.startswith("/v3/media/") and r.status == 200 for r in fake.requests)


def test_a_media_outage_is_retried_by_the_queue(api, aws, fake, vonage_integration):
    url = fake.add_media(png(), "image/png")
    name = "webhook_whatsapp/whatsapp_image.json"
    payload = json.loads(load_event(name)["body"].replace("MEDIA_URL", url))
    invoke("whatsapp", messages_event(name, payload, fake))
    (job,) = aws.queued(aws.vonage_queue_url)
    event = media_job_event(job)
    from functions.vonage_worker import app

    fake.set_down(True)
    with pytest.raises(BatchProcessingError):  # the whole batch failed: SQS delivers it again later
        app.lambda_handler(event, LambdaContext())
    assert conversation(api, job["conversation_id"])["messages"][0]["attachments"] == []
    fake.set_down(False)
    assert app.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    assert len(conversation(api, job["conversation_id"])["messages"][0]["attachments"]) == 1


# ---------------------------------------------------------------- replies and statuses


def _sms_conversation(api, fake) -> str:
    status, answer = invoke("sms", sms_event("sms_form", sms(fake)))
    assert status == 200, answer
    return answer["conversation_id"]


def _status(fake: FakeVonage, uuid: str, state: str, to: str = CUSTOMER, ours: str = SMS_NUMBER, **kwargs: Any):
    payload = fake.status(uuid, state, to, ours, "sms", **kwargs)
    return invoke("whatsapp", messages_event("webhook_whatsapp/status.json", payload, fake))


def test_a_reply_goes_out_signed_by_the_application_and_lands_as_delivered(api, fake, vonage_integration):
    conversation_id = _sms_conversation(api, fake)

    status, sent = reply(api, conversation_id, "Elle part demain matin.")
    assert status == 201, sent
    assert sent["delivery"] == "sent"
    (out,) = fake.sent
    assert out.auth == "jwt"
    assert out.body == {
        "message_type": "text",
        "text": "Elle part demain matin.",
        "to": CUSTOMER,
        "from": SMS_NUMBER,
        "channel": "sms",
        "client_ref": sent["id"],
    }

    assert _status(fake, out.message_uuid, "delivered", client_ref=sent["id"])[0] == 200
    assert _status(fake, out.message_uuid, "read")[0] == 200
    assert _status(fake, out.message_uuid, "submitted")[0] == 200  # late, out of order: ignored
    messages = conversation(api, conversation_id)["messages"]
    assert messages[-1]["delivery"] == "read"


def test_a_rejected_reply_shows_why(api, fake, vonage_integration):
    conversation_id = _sms_conversation(api, fake)
    reply(api, conversation_id, "Bonjour")
    (out,) = fake.sent

    assert _status(fake, out.message_uuid, "rejected", error=1320)[0] == 200
    last = conversation(api, conversation_id)["messages"][-1]
    assert last["delivery"] == "failed"
    assert "1320" in last["delivery_error"]


def test_a_429_then_202_sends_once(api, fake, vonage_integration):
    conversation_id = _sms_conversation(api, fake)
    fake.fail_next(429, retry_after=1)

    status, sent = reply(api, conversation_id, "Bonjour")

    assert (status, sent["delivery"]) == (201, "sent")
    assert len(fake.sent) == 1
    assert [r.status for r in fake.refused] == [429]


def test_vonage_errors_are_recorded_on_the_reply_and_never_looped(api, fake, vonage_integration):
    conversation_id = _sms_conversation(api, fake)
    fake.fail_next(500, times=3)
    status, sent = reply(api, conversation_id, "Bonjour")
    assert (status, sent["delivery"]) == (201, "failed")
    assert "HTTP 500" in sent["delivery_error"]
    assert len(fake.refused) == 3  # three tries, then the person decides

    fake.fail_next(422, title="Invalid params")
    status, sent = reply(api, conversation_id, "Bonjour")
    assert sent["delivery"] == "failed"
    assert "HTTP 422" in sent["delivery_error"]
    assert len(fake.refused) == 4  # a refusal is not retried


def test_basic_auth_is_used_without_an_application(api, fake):
    status, created = create_vonage(api, fake, whatsapp_numbers=[], application_id=None, private_key=None)
    assert status == 201, created
    conversation_id = _sms_conversation(api, fake)
    reply(api, conversation_id, "Bonjour")
    assert [s.auth for s in fake.sent] == ["basic"]


def test_a_whatsapp_reply_after_24_hours_is_refused_with_a_clear_message(api, aws, fake, vonage_integration):
    name = "webhook_whatsapp/whatsapp_text.json"
    payload = fake.whatsapp_inbound(WHATSAPP_NUMBER, CUSTOMER, text="Bonjour")
    _, answer = invoke("whatsapp", messages_event(name, payload, fake))
    conversation_id = answer["conversation_id"]
    assert reply(api, conversation_id, "Bonjour !")[0] == 201

    day_ago = (datetime.now(UTC) - timedelta(hours=25)).isoformat()
    (item,) = [i for i in aws.all_items() if i["SK"]["S"] == "CONV"]
    aws.dynamodb.update_item(
        TableName=aws.table,
        Key={"PK": item["PK"], "SK": item["SK"]},
        UpdateExpression="SET last_inbound_at = :t",
        ExpressionAttributeValues={":t": {"S": day_ago}},
    )
    status, body = reply(api, conversation_id, "Toujours là ?")

    assert status == 422  # the field to change: answer with a template instead (issue 11)
    assert body["error"]["message"].startswith("text: ")
    assert "24 hours" in body["error"]["message"]
    assert "template" in body["error"]["message"]
    assert len(fake.sent) == 1


def test_a_status_for_a_message_we_did_not_send(api, fake, vonage_integration):
    old = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload = fake.status("never-sent", "delivered", CUSTOMER, SMS_NUMBER, "sms") | {"timestamp": old}
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/status.json", payload, fake))
    assert (status, answer["result"]) == (200, "status_ignored")

    recent = fake.status("not-recorded-yet", "delivered", CUSTOMER, SMS_NUMBER, "sms")
    assert invoke("whatsapp", messages_event("webhook_whatsapp/status.json", recent, fake))[0] == 503


def test_numbers_move_with_the_integration_and_free_up_when_it_goes(api, aws, fake, vonage_integration):
    integration_id = vonage_integration["id"]
    status, updated = api(
        api_request("PUT", f"/integrations/{integration_id}", {"vonage": {"sms_numbers": ["+33757000002"]}})
    )
    assert status == 200, updated
    assert updated["settings"]["sms_numbers"] == ["+33757000002"]

    assert invoke("sms", sms_event("sms_form", sms(fake)))[0] == 401  # the old number is nobody's now
    moved = fake.sms_params(CUSTOMER, "33757000002", "Bonjour")
    assert invoke("sms", sms_event("sms_form", moved))[0] == 200

    status, body = api(api_request("PUT", f"/integrations/{integration_id}", {"imap": None, "secret": "x" * 30}))
    assert status == 422
    assert body["error"]["message"].startswith("secret: ")

    assert api(api_request("DELETE", f"/integrations/{integration_id}"))[0] == 204
    assert not [i for i in aws.all_items() if i["PK"]["S"].startswith("ROUTE#NUMBER#")]
    assert create_vonage(api, fake)[0] == 201  # its numbers can be connected again


def test_the_webhook_functions_load_neither_openai_nor_the_email_parser():
    import subprocess
    import sys

    probe = (
        "import sys; import functions.webhook_sms.app, functions.webhook_whatsapp.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openai', 'imapclient', 'nh3') "
        "or m in ('inbox.domain.email_message', 'inbox.http.schemas')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        env={"PYTHONPATH": f"{REPO / 'layers' / 'common'}:{REPO}", "POWERTOOLS_TRACE_DISABLED": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_a_media_link_off_vonage_is_not_fetched_and_says_so(api, aws, fake, vonage_integration):
    name = "webhook_whatsapp/whatsapp_image.json"
    payload = json.loads(load_event(name)["body"].replace("MEDIA_URL", "http://169.254.169.254/latest/meta-data"))
    _, answer = invoke("whatsapp", messages_event(name, payload, fake))
    (job,) = aws.queued(aws.vonage_queue_url)
    event = media_job_event(job)
    from functions.vonage_worker import app

    assert app.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    (message,) = conversation(api, answer["conversation_id"])["messages"]
    assert message["attachments"] == []
    assert any("not on Vonage" in defect for defect in message["defects"])


def test_a_second_tenant_cannot_claim_a_number_by_pointing_at_a_vonage_of_its_own(api, fake):
    # GIVEN an intruder running a "Vonage" that lists the shop's number as rented by the intruder's key
    with FakeVonage(api_key="evil0001", api_secret="evil-secret-0123456789", numbers=[SMS_NUMBER]) as theirs:
        claim = {
            "name": "Not mine",
            "sms_numbers": ["+" + SMS_NUMBER],
            "whatsapp_numbers": [],
            "api_key": theirs.api_key,
            "api_secret": theirs.api_secret,
            "application_id": None,
            "private_key": None,
        }

        def as_intruder(**changes: Any) -> tuple[int, Any]:
            event = load_event("api/create_vonage_integration.json")
            body = {k: v for k, v in (json.loads(event["body"]) | claim | changes).items() if v is not None}
            return api(with_claims(with_body(event, body), **{"custom:tenant_id": "intruder"}))

        # WHEN the intruder connects the number through its own API host, or through the deployment's
        status, body = as_intruder(api_base_url=theirs.base_url)
        assert (status, body["error"]["message"].split(":")[0]) == (422, "api_base_url")
        status, body = as_intruder()
        assert (status, body["error"]["message"]) == (422, "api_secret: Vonage refused this API key and secret")
        assert theirs.requests == []  # never asked

    # THEN the number is still the shop's to connect
    status, body = create_vonage(api, fake)
    assert status == 201, body


def test_a_whatsapp_claim_on_the_shops_sms_number_neither_blocks_nor_takes_it(api, aws, fake):
    # GIVEN an intruder who connected the shop's SMS number as a WhatsApp sender first (Vonage cannot
    # vouch for WhatsApp senders, so nothing stops that claim)
    event = load_event("api/create_vonage_integration.json")
    claim = json.loads(event["body"]) | {
        "name": "Squatter",
        "sms_numbers": [],
        "whatsapp_numbers": ["+" + SMS_NUMBER],
        "api_key": "evil0001",
        "api_secret": "evil-secret-0123456789",
        "signature_secret": "evil-signature-secret-0123456789abcdef",
        "private_key": fake.private_key_pem,
        "application_id": fake.application_id,
    }
    status, body = api(with_claims(with_body(event, claim), **{"custom:tenant_id": "intruder"}))
    assert status == 201, body

    # WHEN the shop connects the number for SMS
    status, shop = create_vonage(api, fake)

    # THEN it may, and SMS to that number, by the SMS API or the Messages API, reach the shop
    assert status == 201, shop
    status, answer = invoke("sms", sms_event("sms_form", sms(fake)))
    assert (status, answer["result"]) == (200, "stored")
    payload = fake.sms_inbound(SMS_NUMBER, CUSTOMER, "Et par le Messages API ?")
    status, answer = invoke("sms", messages_event("webhook_sms/messages_sms.json", payload, fake))
    assert (status, answer["result"]) == (200, "stored")
    (listed,) = conversations(api)
    assert [m["text"] for m in conversation(api, listed["id"])["messages"]] == [
        "Bonjour, où en est ma commande ?",
        "Et par le Messages API ?",
    ]
    # and the claim gets nothing of the shop's: WhatsApp to the number is checked with the squatter's
    # secret, which Vonage's signature (made with the shop's) does not fit
    whatsapp = fake.whatsapp_inbound(SMS_NUMBER, CUSTOMER, text="Bonjour")
    assert invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", whatsapp, fake))[0] == 401
    assert {i["tenant_id"]["S"] for i in aws.all_items() if i.get("type", {}).get("S") == "conversation"} == {
        "tenant-sample"
    }


def test_a_new_api_key_without_its_secret_is_refused_before_the_stored_secret_reaches_vonage(
    api, fake, vonage_integration
):
    # GIVEN a Vonage integration whose API secret is stored
    fake.requests.clear()

    # WHEN an admin changes its api_key without giving the secret again
    change = {"vonage": {"api_key": "other999"}}
    status, body = api(api_request("PUT", f"/integrations/{vonage_integration['id']}", change))

    # THEN it is a 422 naming the secret, and the stored secret never went to Vonage under the new key
    assert (status, body["error"]["message"].split(":")[0]) == (422, "vonage.api_secret")
    assert fake.requests == []


def test_an_sms_delivered_again_on_another_day_keeps_one_raw_copy(api, aws, fake, vonage_integration, monkeypatch):
    from inbox.services import vonage_webhooks

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz or UTC) + timedelta(days=1)

    params = sms(fake)
    assert invoke("sms", sms_event("sms_form", params))[1]["result"] == "stored"
    monkeypatch.setattr(vonage_webhooks, "datetime", Tomorrow)  # Vonage retries after midnight UTC
    assert invoke("sms", sms_event("sms_form", params))[1]["result"] == "duplicate"

    (raw_key,) = [key for key in aws.object_keys() if "/raw/vonage/" in key]
    (message,) = [i for i in aws.all_items() if i.get("type", {}).get("S") == "message"]
    assert message["raw_key"]["S"] == raw_key
