import io
import json
import uuid

from aws_lambda_powertools import Logger

from inbox.observability import MaskingFormatter


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
