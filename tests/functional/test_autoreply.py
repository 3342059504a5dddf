"""The auto-reply consumer (issue 12, items 1 and 4): one outcome per customer message however often
its job comes, each mode, holds, the loop guard's refusals, no configuration, model failures retried
by the queue, failed sends recorded and never retried, and the reply on each channel."""

from __future__ import annotations

import json
import threading
import time

import pytest

from helpers.autoreply import HELD, StubWriter, deliver, failed, proposal, queued_jobs, use_writer
from helpers.classify import classify_queued, create_folder
from helpers.events import load_event
from helpers.mailbox import conversations, create_mailbox, mail, run_worker
from helpers.vonage import invoke, messages_event, sms, sms_event
from inbox import wiring
from inbox.errors import CompanyPromptMissingError, TransientError
from inbox.services.autoreply import QUEUE_TRIES
from samples import CUSTOMER, SMS_NUMBER, TENANT

SMS_FOLDER = {"name": "SMS", "rules": {"any": [{"field": "channel", "op": "equals", "value": "sms"}]}}
WHATSAPP_FOLDER = {"name": "WhatsApp", "rules": {"any": [{"field": "channel", "op": "equals", "value": "whatsapp"}]}}


def answers_by_itself(folder: dict, mode: str = "automatic") -> dict:
    return folder | {"auto_reply": {"enabled": True, "mode": mode}}


def drafts(api, conversation_id: str) -> list[dict]:
    status, page = api(load_event("api/list_drafts.json", CONVERSATION_ID=conversation_id))
    assert status == 200, page
    return page["items"]


def messages(api, conversation_id: str) -> list[dict]:
    status, detail = api(load_event("api/get_conversation.json", CONVERSATION_ID=conversation_id))
    assert status == 200, detail
    return detail["messages"]


def customer_sms(api, aws, fake, text: str = "Où est ma commande #12345 ?") -> tuple[str, str]:
    """A customer's SMS, classified into its folder: its conversation and the auto-reply job queued."""
    status, answer = invoke("sms", sms_event("sms_form", sms(fake, text)))
    assert status == 200, answer
    classify_queued(aws)
    [job] = queued_jobs(aws)
    return answer["conversation_id"], job


@pytest.fixture
def sms_automatic(api, aws, fake, vonage_integration):
    create_folder(api, answers_by_itself(SMS_FOLDER))


def test_three_deliveries_one_after_the_other_send_one_reply(api, aws, fake, monkeypatch, sms_automatic):
    writer = StubWriter()
    use_writer(monkeypatch, writer)
    conversation_id, job = customer_sms(api, aws, fake)

    assert failed(deliver(job, copies=3)) == 0

    assert writer.calls == 1
    assert [s.body["text"] for s in fake.sent] == ["Bonjour, votre commande #12345 part demain."]
    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["outcome"], draft["mode"]) == ("sent", "auto_sent", "automatic")
    replies = [m for m in messages(api, conversation_id) if m["direction"] == "outbound"]
    assert [(m["auto_reply"], m["author_id"], m["delivery"]) for m in replies] == [(True, None, "sent")]
    assert draft["sent_message_id"] == replies[0]["id"]
    assert fake.sent[0].body["to"] == CUSTOMER
    assert fake.sent[0].body["from"] == SMS_NUMBER


def test_three_deliveries_at_once_send_one_reply(api, aws, fake, monkeypatch, sms_automatic):
    writer = StubWriter()
    use_writer(monkeypatch, writer)
    conversation_id, job = customer_sms(api, aws, fake)
    wiring.auto_replies()  # built once, before the threads share it

    assert failed(deliver(job, copies=3, concurrently=True)) == 0

    assert writer.calls == 1
    assert len(fake.sent) == 1
    assert [d["status"] for d in drafts(api, conversation_id)] == ["sent"]


def test_a_job_that_comes_before_its_classification_is_recorded_waits_then_answers_once(
    api, aws, fake, monkeypatch, sms_automatic
):
    # The classifier queues the job just before it records the folder; a consumer that read the
    # conversation first would see no folder and refuse the message for good.
    writer = StubWriter()
    use_writer(monkeypatch, writer)
    monkeypatch.setattr("inbox.services.autoreply.CLASSIFIED_WAITS", (0.01,))
    conversation_id, job = customer_sms(api, aws, fake)
    [decision] = [i for i in aws.all_items() if i["SK"]["S"].startswith("DECISION#")]
    aws.dynamodb.delete_item(TableName=aws.table, Key={"PK": decision["PK"], "SK": decision["SK"]})

    assert failed(deliver(job)) == 1  # the queue delivers it again later
    assert (writer.calls, fake.sent, drafts(api, conversation_id)) == (0, [], [])

    aws.dynamodb.put_item(TableName=aws.table, Item=decision)  # the classifier's write lands
    assert failed(deliver(job)) == 0
    assert (writer.calls, len(fake.sent)) == (1, 1)
    assert [d["status"] for d in drafts(api, conversation_id)] == ["sent"]


def test_validation_mode_keeps_one_draft_for_a_person_whatever_the_deliveries(
    api, aws, fake, monkeypatch, vonage_integration
):
    create_folder(api, answers_by_itself(SMS_FOLDER, "validation"))
    writer = StubWriter()
    use_writer(monkeypatch, writer)
    conversation_id, job = customer_sms(api, aws, fake)

    assert failed(deliver(job, copies=3)) == 0

    assert (writer.calls, fake.sent) == (1, [])
    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["mode"], draft["reason"], draft["source"]) == (
        "pending",
        "validation",
        None,
        "auto_reply",
    )
    assert draft["text"] == "Bonjour, votre commande #12345 part demain."
    assert draft["confidence"] == 0.92
    assert draft["passages"] == [
        {"document_id": "d1", "passage_id": "d1:0", "title": "Livraisons", "text": "Expédié sous 24 h."}
    ]


def test_a_held_reply_in_automatic_mode_stays_a_draft_with_its_reason(api, aws, fake, monkeypatch, sms_automatic):
    use_writer(monkeypatch, StubWriter(HELD))
    conversation_id, job = customer_sms(api, aws, fake)

    deliver(job)

    assert fake.sent == []
    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["reason"], draft["hold"]) == ("pending", "low_confidence", "low_confidence")
    assert draft["detail"] == "confidence 0.30 under 0.70"


def test_without_a_company_prompt_nothing_is_sent_and_the_draft_says_not_configured(
    api, aws, fake, monkeypatch, sms_automatic
):
    writer = StubWriter(CompanyPromptMissingError("the company prompt is not written"))
    use_writer(monkeypatch, writer)
    conversation_id, job = customer_sms(api, aws, fake)

    assert failed(deliver(job, copies=2)) == 0  # not retried: nothing a retry can mend

    assert (writer.calls, fake.sent) == (1, [])
    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["reason"]) == ("not_configured", "company_prompt_missing")


def test_without_any_ai_model_the_real_writer_says_not_configured(api, aws, fake, sms_automatic):
    conversation_id, job = customer_sms(api, aws, fake)

    assert failed(deliver(job)) == 0

    assert fake.sent == []
    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["reason"]) == ("not_configured", "ai_not_configured")


@pytest.mark.parametrize(
    "failure",
    [
        TransientError("the AI provider is unavailable (APITimeoutError)"),
        TransientError("the AI's reply did not fit its schema (2 errors)"),
        RuntimeError("a bug of ours"),
    ],
)
def test_a_model_failure_fails_the_job_and_its_retry_answers_once(api, aws, fake, monkeypatch, sms_automatic, failure):
    writer = StubWriter(failure, proposal())
    use_writer(monkeypatch, writer)
    conversation_id, job = customer_sms(api, aws, fake)

    assert failed(deliver(job)) == 1  # SQS delivers it again
    assert fake.sent == []
    assert [d["status"] for d in drafts(api, conversation_id)] == ["writing"]

    assert failed(deliver(job, copies=2)) == 0  # the retry, and a duplicate after it
    assert writer.calls == 2
    assert len(fake.sent) == 1
    assert [d["status"] for d in drafts(api, conversation_id)] == ["sent"]


def test_the_queues_last_try_records_that_it_gave_up_before_the_dead_letter_queue(
    api, aws, fake, monkeypatch, sms_automatic
):
    use_writer(monkeypatch, StubWriter(TransientError("the AI provider is unavailable (APITimeoutError)")))
    conversation_id, job = customer_sms(api, aws, fake)

    assert failed(deliver(job, receive_count=4)) == 1
    assert [d["status"] for d in drafts(api, conversation_id)] == ["writing"]  # the next try takes it over
    assert failed(deliver(job, receive_count=QUEUE_TRIES)) == 1  # then to the dead-letter queue

    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["reason"]) == ("failed", "gave_up")
    assert "APITimeoutError" in draft["detail"]
    assert failed(deliver(job)) == 0  # redriven from the dead-letter queue: its outcome stands
    assert fake.sent == []


def test_two_messages_of_one_conversation_at_once_get_one_auto_reply(api, aws, fake, monkeypatch, sms_automatic):
    # "Bonjour", then the question a few seconds later: both jobs run at once, the model takes its time.
    writer = StubWriter(delay=0.5)
    use_writer(monkeypatch, writer)
    conversation_id, hello = customer_sms(api, aws, fake, "Bonjour")
    same, question = customer_sms(api, aws, fake, "Où est ma commande #12345 ?")
    assert same == conversation_id
    wiring.auto_replies()  # built once, before the threads share it
    start, answers = threading.Barrier(2), []

    def run(job: str) -> None:
        start.wait()
        answers.append(deliver(job))

    threads = [threading.Thread(target=run, args=(job,)) for job in (hello, question)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [failed(answer) for answer in answers] == [0, 0]
    assert len(fake.sent) == 1
    outcomes = sorted((d["status"], d["reason"]) for d in drafts(api, conversation_id))
    assert outcomes[1] == ("sent", None)
    assert outcomes[0][0] == "refused"  # the guard, judging after the first reply went out


def test_a_failed_send_is_recorded_and_never_tried_again(api, aws, fake, monkeypatch, sms_automatic):
    use_writer(monkeypatch, StubWriter())
    conversation_id, job = customer_sms(api, aws, fake)
    fake.fail_next(400, title="Invalid number")

    assert failed(deliver(job, copies=3)) == 0

    assert (len(fake.refused), fake.sent) == (1, [])
    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["reason"]) == ("failed", "send_failed")
    [reply] = [m for m in messages(api, conversation_id) if m["direction"] == "outbound"]
    assert (reply["delivery"], reply["auto_reply"]) == ("failed", True)


def test_an_attempt_that_died_while_sending_is_never_sent_again(api, aws, fake, monkeypatch, sms_automatic):
    use_writer(monkeypatch, StubWriter())
    conversation_id, job = customer_sms(api, aws, fake)
    store = wiring.store()
    from inbox.models.draft import Draft, DraftStatus

    parsed = json.loads(job)
    now = wiring.auto_replies()._clock()
    held = Draft(
        id=parsed["message_id"],
        tenant_id=TENANT,
        conversation_id=conversation_id,
        message_id=parsed["message_id"],
        source="auto_reply",
        status=DraftStatus.SENDING,
        text="déjà parti ?",
        created_at=now,
        updated_at=now,
    )
    from datetime import timedelta

    store.claim_draft(held, "dead-attempt", now - timedelta(minutes=10), timedelta(seconds=1))  # its lease ran out

    assert failed(deliver(job)) == 0

    assert fake.sent == []
    [draft] = drafts(api, conversation_id)
    assert (draft["status"], draft["reason"]) == ("failed", "interrupted_while_sending")


def test_the_loop_guard_refuses_with_its_reason_and_nothing_is_sent(api, aws, fake, monkeypatch, sms_automatic):
    writer = StubWriter()
    use_writer(monkeypatch, writer)
    conversation_id, first = customer_sms(api, aws, fake)
    deliver(first)
    assert len(fake.sent) == 1

    _, second = customer_sms(api, aws, fake, "Et la facture ?")  # no person replied since the auto-reply
    deliver(second)

    assert len(fake.sent) == 1
    assert writer.calls == 1
    refused, sent = drafts(api, conversation_id)
    assert (refused["status"], refused["reason"], sent["status"]) == (
        "refused",
        "no_human_reply_since_last_auto",
        "sent",
    )
    assert refused["detail"]


def test_an_auto_reply_on_whatsapp_reaches_the_fake_vonage(api, aws, fake, monkeypatch, vonage_integration):
    create_folder(api, answers_by_itself(WHATSAPP_FOLDER))
    use_writer(monkeypatch, StubWriter())
    payload = json.loads(load_event("webhook_whatsapp/whatsapp_text.json")["body"])
    payload["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    status, answer = invoke("whatsapp", messages_event("webhook_whatsapp/whatsapp_text.json", payload, fake))
    assert status == 200, answer
    classify_queued(aws)
    [job] = queued_jobs(aws)

    deliver(job)

    [out] = fake.sent
    assert (out.body["channel"], out.body["text"]) == ("whatsapp", "Bonjour, votre commande #12345 part demain.")
    assert [d["status"] for d in drafts(api, answer["conversation_id"])] == ["sent"]


# ---------------------------------------------------------------- email


EMAIL_FOLDER = {"name": "Mail", "rules": {"any": [{"field": "channel", "op": "equals", "value": "email"}]}}


def mail_jobs(api, aws, mailbox, smtp_server, *subjects: str, sender: str = "Élodie Martin <elodie@example.fr>"):
    for subject in subjects:
        mailbox.append("INBOX", mail(subject, sender=sender))
    run_worker(create_mailbox(api, mailbox, smtp=smtp_server.smtp_settings()))
    classify_queued(aws)
    return queued_jobs(aws)


def test_an_emailed_auto_reply_says_auto_submitted_and_stays_in_the_thread(api, aws, mailbox, smtp_server, monkeypatch):
    create_folder(api, answers_by_itself(EMAIL_FOLDER))
    use_writer(monkeypatch, StubWriter())
    [job] = mail_jobs(api, aws, mailbox, smtp_server, "Commande 12345")

    deliver(job, copies=2)

    [received] = smtp_server.wait_for(1)
    assert received.message["Auto-Submitted"] == "auto-replied"
    assert received.message["X-Auto-Response-Suppress"] == "All"
    assert received.message["In-Reply-To"]
    assert received.message["Subject"] == "Re: Commande 12345"
    assert "votre commande #12345 part demain" in received.message.get_content()
    time.sleep(0.2)
    assert len(smtp_server.messages) == 1


def test_two_auto_responders_facing_each_other_stop_at_the_cap(api, aws, mailbox, smtp_server, monkeypatch):
    """A naive responder answers each of ours with a new subject and no thread headers, so each of
    its mails is a new conversation here: the per-recipient caps (3 in 10 minutes) end it."""
    create_folder(api, answers_by_itself(EMAIL_FOLDER))
    use_writer(monkeypatch, StubWriter())
    jobs = mail_jobs(api, aws, mailbox, smtp_server, *(f"Absence {n}" for n in range(5)), sender="bot@other.example")
    assert len(jobs) == 5

    for job in jobs:
        deliver(job)

    assert len(smtp_server.wait_for(3)) == 3
    time.sleep(0.2)
    assert len(smtp_server.messages) == 3
    outcomes = sorted((d["status"], d["reason"]) for c in conversations() for d in drafts(api, c.id))
    assert outcomes == [("refused", "rate_limited_recipient")] * 2 + [("sent", None)] * 3
