"""The signed custom webhook: what is accepted, what is refused, and that nothing is lost."""

import time

from helpers.events import load_event, signed, with_body
from samples import WEBHOOK_SECRET


def stored_messages(aws) -> list:
    return [i for i in aws.all_items() if i.get("type", {}).get("S") == "message"]


def test_custom_webhook_accepts_a_signed_message_and_keeps_its_raw_body(aws, post_webhook):
    status, body = post_webhook()
    assert status == 202
    assert body["duplicate"] is False
    raw_keys = [k for k in aws.object_keys() if "/raw/custom/" in k]
    assert len(raw_keys) == 1
    assert raw_keys[0].startswith("tenant-sample/")
    raw = aws.s3.get_object(Bucket=aws.bucket, Key=raw_keys[0])["Body"].read().decode()
    assert "form-2026-11-23-0042" in raw
    assert len(aws.queued()) == 1


def test_custom_webhook_stores_a_repeated_external_id_once(aws, post_webhook):
    first = post_webhook()[1]
    status, again = post_webhook()
    assert status == 202
    assert again == first | {"duplicate": True}
    assert len(stored_messages(aws)) == 1


def test_custom_webhook_threads_by_thread_key_then_by_sender(post_webhook):
    a = post_webhook(external_id="1", thread_key="order-1042")[1]
    b = post_webhook(external_id="2", thread_key="order-1042", **{"from": {"email": "someone.else@example.fr"}})[1]
    c = post_webhook(external_id="3", thread_key=None, **{"from": {"email": "paul@example.com"}})[1]
    d = post_webhook(external_id="4", thread_key=None, **{"from": {"email": "PAUL@example.com"}})[1]
    assert a["conversation_id"] == b["conversation_id"]
    assert c["conversation_id"] == d["conversation_id"] != a["conversation_id"]


def test_custom_webhook_refuses_bad_signatures_and_stores_nothing(aws, api, post_webhook, custom_integration):
    before = len(aws.all_items())
    assert post_webhook(secret="whsec_wrong_0123456789abcdefghij")[0] == 401
    assert post_webhook(at=time.time() - 301)[0] == 401
    assert post_webhook(at=time.time() + 301)[0] == 401
    unsigned = load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration)
    del unsigned["headers"]["x-inbox-signature"]
    status, body = api(unsigned)
    assert (status, body["error"]["code"]) == (401, "bad_signature")
    garbled = load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration)
    garbled["headers"]["x-inbox-signature"] = "sha256=deadbeef"
    assert api(garbled)[0] == 401
    unknown = signed(load_event("api/custom_webhook.json", INTEGRATION_ID="no-such-integration"), WEBHOOK_SECRET)
    assert api(unknown)[0] == 401
    assert len(aws.all_items()) == before
    assert aws.object_keys() == []
    assert aws.queued() == []


def test_custom_webhook_names_the_field_it_cannot_use_and_keeps_the_raw_body(aws, api, custom_integration):
    cases = {
        "{not json": "body",
        '{"from": {"email": "a@b.co"}, "text": "hi"}': "external_id",
        '{"external_id": "1", "from": {"name": "Anonymous"}, "text": "hi"}': "from",
        '{"external_id": "1", "from": {"email": "not-an-address"}, "text": "hi"}': "from.email",
        '{"external_id": "1", "from": {"phone": "12"}, "text": "hi"}': "from.phone",
        '{"external_id": "1", "from": {"email": "a@b.co"}, "text": "hi", "sent_at": "yesterday"}': "sent_at",
    }
    for raw, field in cases.items():
        event = signed(
            with_body(load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration), raw), WEBHOOK_SECRET
        )
        status, body = api(event)
        assert status == 422, raw
        assert body["error"]["message"].split(":")[0] == field, raw
        assert "Value error" not in body["error"]["message"], raw  # our words, not pydantic's
    assert stored_messages(aws) == []
    assert len([k for k in aws.object_keys() if "/raw/custom/" in k]) == len(cases)


def test_custom_webhook_refuses_an_oversize_body_before_reading_it(aws, api, custom_integration):
    event = load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration)
    huge = with_body(event, {"external_id": "big", "from": {"email": "a@b.co"}, "text": "x" * 300_000})
    status, body = api(signed(huge, WEBHOOK_SECRET))
    assert (status, body["error"]["code"]) == (413, "payload_too_large")
    assert aws.object_keys() == []


def test_custom_webhook_accepts_a_base64_encoded_body(aws, api, custom_integration):
    import base64

    event = signed(load_event("api/custom_webhook.json", INTEGRATION_ID=custom_integration), WEBHOOK_SECRET)
    event["body"] = base64.b64encode(event["body"].encode()).decode()
    event["isBase64Encoded"] = True
    assert api(event)[0] == 202


def test_custom_webhook_sent_again_on_another_day_keeps_one_raw_copy(aws, post_webhook, monkeypatch):
    from datetime import UTC, datetime, timedelta

    from inbox.services import custom_webhooks

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz or UTC) + timedelta(days=1)

    # GIVEN a message delivered today
    first = post_webhook()[1]

    # WHEN its sender delivers it again after midnight UTC
    monkeypatch.setattr(custom_webhooks, "datetime", Tomorrow)
    status, again = post_webhook()

    # THEN the retry rewrote the one copy the message refers to, rather than leave a second
    assert (status, again) == (202, first | {"duplicate": True})
    (raw_key,) = [k for k in aws.object_keys() if "/raw/custom/" in k]
    (message,) = stored_messages(aws)
    assert message["raw_key"]["S"] == raw_key
