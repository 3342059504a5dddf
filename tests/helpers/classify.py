"""Classification in the tests: folders and the AI settings through the API, custom webhooks to classify, and the
ClassifyFunction run on what its queue holds."""

from __future__ import annotations

from typing import Any

from helpers.events import LambdaContext, api_request, load_event
from local.openai import FakeOpenAI


def create_folder(api, folder: dict[str, Any]) -> str:
    status, body = api(api_request("POST", "/folders", folder))
    assert status == 201, body
    return body["id"]


def use_ai(api, fake: FakeOpenAI) -> None:
    """The sample tenant's AI settings point at the fake OpenAI."""
    settings = {"api_key": fake.api_key, "base_url": fake.base_url, "model": "gpt-test"}
    status, body = api(api_request("PUT", "/settings/ai", settings))
    assert status == 200, body
    assert body["configured"] is True


def classify_queued(aws) -> list[dict[str, Any]]:
    """Run the classify function on what the queue holds, as Lambda's SQS event source would, until it is
    empty (a job may queue more); the batch answers."""

    answers = []
    while True:
        messages = aws.sqs.receive_message(QueueUrl=aws.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return answers
        event = load_event("classify/message_job.json")
        template = event["Records"][0]
        event["Records"] = [template | {"messageId": m["MessageId"], "body": m["Body"]} for m in messages]
        answers.append(run(event))
        for m in messages:
            aws.sqs.delete_message(QueueUrl=aws.queue_url, ReceiptHandle=m["ReceiptHandle"])


def run(event: dict[str, Any]) -> dict[str, Any]:
    """The classify function on one SQS event; the batch item failures."""
    from functions.classify import app

    try:
        return app.lambda_handler(event, LambdaContext())
    except Exception as error:  # Powertools raises when every record failed: SQS retries them all
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"]], "error": error}


def conversation(api, conversation_id: str) -> dict[str, Any]:
    """The conversation (without its messages), through the API."""
    status, detail = api(load_event("api/get_conversation.json", CONVERSATION_ID=conversation_id))
    assert status == 200, detail
    return detail["conversation"]


def write(post_webhook, external_id: str, text: str, subject: str = "Bonjour", email: str = "client@example.fr") -> str:
    """A customer's message through the custom webhook; its conversation's id."""
    status, accepted = post_webhook(
        external_id=external_id, text=text, subject=subject, thread_key=None, html=None, **{"from": {"email": email}}
    )
    assert status == 202, accepted
    return accepted["conversation_id"]
