import io
import json
import uuid

import pytest
from aws_lambda_powertools import Logger

from inbox.observability import MaskingFormatter
from inbox.observability import logger as inbox_logger


def logged(**fields) -> dict:
    stream = io.StringIO()
    logger = Logger(service=f"masking-{uuid.uuid4()}", logger_formatter=MaskingFormatter(), stream=stream)
    logger.info("from elodie.martin@example.fr on +33 6 12 34 56 78", **fields)
    return json.loads(stream.getvalue())


def test_log_masking_hides_contact_details_in_free_text():
    record = logged()
    assert "example.fr" not in record["message"]
    assert "12 34" not in record["message"]
    assert record["message"] == "from ***** on *****"


def test_log_masking_erases_secrets_and_message_content_by_field_name():
    record = logged(
        secret="whsec_abc",
        sender={"email": "a@b.co", "phone": "+33612345678"},
        payload={"text": "my card number is 4970 1010", "html": "<p>x</p>"},
        message_id="m1",
    )
    flat = json.dumps(record)
    for leaked in ("whsec_abc", "a@b.co", "+33612345678", "4970 1010", "<p>x</p>"):
        assert leaked not in flat
    assert record["message_id"] == "m1"


# --- every secret the system holds, through the functions' own logger ----------------------------------

HMAC_HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
SECRETS = {
    "imap password": "Imap-Pa55word!",
    "smtp password": "Smtp#Pa55word",
    "oauth client secret": "GOCSPX-Wq3x9Zt7Lk2Pm5Nb8Vc1",
    "oauth refresh token": "1//0gRfT4kYzN8xW-L9ArEfReShToKeN",
    "oauth access token": "ya29.a0AfB_byAcCeSsToKeN0123456789",
    "vonage api secret": "Ab12Cd34Ef56Gh78",
    "vonage signature secret": "SiGnAtUrE-SeCrEt-0123456789",
    "vonage private key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7",
    "vonage inbound jwt": "eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjE3MDAwMDAwMDB9.hS256SiGnAtUrEpArT",
    "vonage outbound jwt": "eyJhbGciOiJSUzI1NiJ9.eyJhcHBsaWNhdGlvbl9pZCI6ImFiYyJ9.rS256SiGnAtUrEpArT",
    "openai key": "sk-proj-OpEnAiKeY0123456789abcdef",
    "basic credentials": "YXBpa2V5OkFiMTJDZDM0RWY1NkdoNzg=",
    "custom webhook secret": "whsec_CuStOmWeBhOoKsEcReT012",
    "webhook signature": HMAC_HEX,
    "vonage sig": "0cc175b9c0f1b6a831c399e269772661",
}
PEM = f"-----BEGIN PRIVATE KEY-----\n{SECRETS['vonage private key']}\nabcDEF0123==\n-----END PRIVATE KEY-----"


@pytest.fixture
def records(monkeypatch):
    """What `inbox.observability.logger` (every function's logger) writes, as parsed records."""
    stream = io.StringIO()
    monkeypatch.setattr(inbox_logger.registered_handler, "stream", stream)

    def read() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    return read


def assert_no_secret(written: list[dict]) -> str:
    text = json.dumps(written)
    for kind, secret in SECRETS.items():
        assert secret not in text, kind
        assert secret[6:22] not in text, f"{kind} (a part of it)"
    return text


def test_log_masking_erases_every_credential_field_in_any_spelling_and_depth(records):
    inbox_logger.info(
        "integration saved",
        message_id="m-42",
        imap_password=SECRETS["imap password"],
        integration={
            "kind": "imap",
            "settings": {"host": "imap.example.net", "port": 993, "username": "support"},
            "credentials": {"SMTP_PASSWORD": SECRETS["smtp password"]},
        },
        oauth=[
            {"client_secret": SECRETS["oauth client secret"]},
            {"refreshToken": SECRETS["oauth refresh token"], "access_token": SECRETS["oauth access token"]},
        ],
        vonage={
            "api_key": "a1b2c3d4",
            "nested": {
                "apiSecret": SECRETS["vonage api secret"],
                "signature_secret": SECRETS["vonage signature secret"],
            },
            "private_key": PEM,
            "jwt": SECRETS["vonage outbound jwt"],
        },
        headers={
            "Authorization": f"Bearer {SECRETS['vonage inbound jwt']}",
            "x-api-key": SECRETS["openai key"],
            "X-Inbox-Signature": f"t=1700000000,v1={SECRETS['webhook signature']}",
            "Cookie": "session=abc",
        },
        query={"sig": SECRETS["vonage sig"], "type": "unicode"},
        webhook={"Secret": SECRETS["custom webhook secret"]},
        basic=[("Authorization", f"Basic {SECRETS['basic credentials']}")],
        legacy={"pw": SECRETS["imap password"], "creds": SECRETS["smtp password"], "PIN": "4321"},
    )

    (record,) = records()
    assert_no_secret([record])
    # What someone investigating needs is still there.
    assert record["message_id"] == "m-42"
    assert record["integration"]["settings"] == {"host": "imap.example.net", "port": 993, "username": "support"}
    assert record["query"]["type"] == "unicode"
    assert record["legacy"]["PIN"] != "4321"


def test_log_masking_scrubs_credentials_from_free_text(records):
    lines = [
        f"IMAP login to imaps://support:{SECRETS['imap password']}@imap.example.net failed",
        f"SMTP AUTH refused: password={SECRETS['smtp password']} user=support",
        f"token endpoint answered {json.dumps({'client_secret': SECRETS['oauth client secret']})}",
        f"retrying with {{'refresh_token': '{SECRETS['oauth refresh token']}', 'scope': 'mail'}}",
        f"IMAP XOAUTH2 with access token {SECRETS['oauth access token']} refused",
        f"Vonage refused api_secret: {SECRETS['vonage api secret']} for key a1b2c3d4",
        f"signature_secret={SECRETS['vonage signature secret']}; check the webhook settings",
        f"private key {PEM} could not be loaded",
        f"inbound request had Authorization: Bearer {SECRETS['vonage inbound jwt']}",
        f"sending with jwt {SECRETS['vonage outbound jwt']}",
        f"OpenAI answered 401 for {SECRETS['openai key']}",
        f"Vonage call with Basic {SECRETS['basic credentials']} failed",
        f"custom webhook secret whsec set to {SECRETS['custom webhook secret']}",
        f"bad X-Inbox-Signature t=1700000000,v1={SECRETS['webhook signature']}",
        f"GET /inbox/webhooks/sms?msisdn=33612345678&sig={SECRETS['vonage sig']}&timestamp=1700000000",
        f"login with pw={SECRETS['imap password']} and creds: {SECRETS['smtp password']}",
    ]
    for line in lines:
        inbox_logger.warning(line)

    written = records()
    assert len(written) == len(lines)
    assert_no_secret(written)
    assert written[0]["message"].startswith("IMAP login to imaps://")
    assert "failed" in written[0]["message"]


def test_log_masking_scrubs_exception_messages_tracebacks_and_objects(records):
    def refresh() -> None:
        answer = {"error": "invalid_grant", "refresh_token": SECRETS["oauth refresh token"]}
        raise ValueError(f"token refresh refused: {answer}")

    try:
        try:
            refresh()
        except ValueError as cause:
            raise RuntimeError(f"IMAP login with password={SECRETS['imap password']} refused") from cause
    except RuntimeError as error:
        inbox_logger.exception("mailbox not synced", integration_id="i-1", reason=error, causes=[error.__cause__])

    (record,) = records()
    text = assert_no_secret([record])
    assert "refresh()" in record["exception"]  # the traceback itself is kept
    assert "invalid_grant" in text
    assert record["integration_id"] == "i-1"
