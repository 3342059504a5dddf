"""Auto-replies in the tests: a reply writer that answers what a test tells it (and counts its calls),
and the AutoReplyFunction run on what its queue holds, each job delivered as often as asked."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any

from helpers.events import LambdaContext, load_event
from inbox import wiring
from inbox.models import Conversation, Folder, Message
from inbox.models.ai_reply import ConversationSummary, HoldReason, ReplyProposal
from inbox.models.knowledge import Passage


def proposal(text: str = "Bonjour, votre commande #12345 part demain.", **changes: Any) -> ReplyProposal:
    fields = {
        "text": text,
        "language": "fr",
        "confidence": 0.92,
        "needs_person": False,
        "reason": "the delivery policy answers it",
        "passages": [Passage(document_id="d1", passage_id="d1:0", title="Livraisons", text="Expédié sous 24 h.")],
    }
    return ReplyProposal(**(fields | changes))


HELD = proposal(confidence=0.3, hold=HoldReason.LOW_CONFIDENCE, hold_detail="confidence 0.30 under 0.70")


class StubWriter:
    """inbox.services.ai_replies.ReplyWriter's interface; `answers` are given in turn (an exception is
    raised), the last one again when they run out, each after `delay` seconds (a model's time).
    Thread-safe: concurrent deliveries share it."""

    def __init__(self, *answers: ReplyProposal | Exception, delay: float = 0.0):
        self.answers = list(answers) or [proposal()]
        self.delay = delay
        self.calls = 0
        self.summaries = 0
        self.budgets: list[float | None] = []  # the time each write was given
        self._lock = threading.Lock()

    def write(
        self,
        conversation: Conversation,
        messages: list[Message],
        *,
        folder: Folder | None,
        now: datetime,
        budget: float | None = None,
    ):
        with self._lock:
            self.calls += 1
            self.budgets.append(budget)
            answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        time.sleep(self.delay)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def summarize(self, conversation: Conversation, messages: list[Message], *, now: datetime):
        with self._lock:
            self.summaries += 1
        return ConversationSummary(
            key_points=[f"{len(messages)} message(s)"],
            customer_wants="savoir où est sa commande",
            promised=[],
            language="fr",
            covers_message_id=messages[-1].id,
            created_at=now,
        )


def use_writer(monkeypatch, writer: Any) -> None:
    """The services get `writer` for their reply writer (built again with it)."""

    def built():
        return writer

    built.cache_clear = lambda: None  # type: ignore[attr-defined]
    monkeypatch.setattr(wiring, "reply_writer", built)
    wiring.auto_replies.cache_clear()
    wiring.drafts.cache_clear()


def queued_jobs(aws) -> list[str]:
    """Take the AutoReplyQueue's jobs off it: their bodies."""
    bodies = []
    while True:
        messages = aws.sqs.receive_message(QueueUrl=aws.autoreply_queue_url, MaxNumberOfMessages=10).get("Messages")
        if not messages:
            return bodies
        for message in messages:
            bodies.append(message["Body"])
            aws.sqs.delete_message(QueueUrl=aws.autoreply_queue_url, ReceiptHandle=message["ReceiptHandle"])


def deliver(body: str, copies: int = 1, concurrently: bool = False, receive_count: int = 1) -> list[dict[str, Any]]:
    """The AutoReplyFunction on one job, delivered `copies` times (each its own SQS message, as the
    queue's duplicates are), one after the other or at once, each received `receive_count` times by
    then; each invocation's batch item failures."""
    from functions.autoreply import app

    def run(number: int) -> dict[str, Any]:
        event = load_event("autoreply/job.json")
        event["Records"][0] |= {"messageId": f"copy-{number}", "body": body}
        event["Records"][0]["attributes"]["ApproximateReceiveCount"] = str(receive_count)
        try:
            return app.lambda_handler(event, LambdaContext())
        except Exception as error:  # the whole batch failed: SQS delivers it again
            return {"batchItemFailures": [{"itemIdentifier": f"copy-{number}"}], "error": error}

    if not concurrently:
        return [run(number) for number in range(copies)]
    answers: list[dict[str, Any]] = [{}] * copies
    start = threading.Barrier(copies)

    def worker(number: int) -> None:
        start.wait()
        answers[number] = run(number)

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def failed(answers: list[dict[str, Any]]) -> int:
    return sum(len(answer.get("batchItemFailures", [])) for answer in answers)
