"""Deleting a conversation: nothing it held stays behind, in the table or in the bucket."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from helpers import vonage
from helpers.events import LambdaContext, api_request, load_event
from helpers.workers import run_purges
from inbox import wiring
from inbox.adapters.blobs import BlobStore
from inbox.errors import PermanentError, TransientError
from inbox.models import (
    Channel,
    DeliveryState,
    Direction,
    InboundAttachment,
    InboundMessage,
    Message,
    Party,
)
from samples import ADMIN, TENANT

LARGE = "Bonjour, voici le détail de ma commande. " * 200  # over the 4 KB kept inline


ALLOWED_DELETE = BlobStore.delete


@contextmanager
def s3_deletes_refused() -> Iterator[None]:
    """What IAM does in AWS to every function but the purge worker (moto checks no IAM): a delete
    from the bucket is refused (AccessDenied, a TransientError to the caller)."""

    def refused(self, keys):
        raise TransientError("S3 list_object_versions: AccessDenied")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BlobStore, "delete", refused)
        yield


def purge_jobs(aws) -> list[str]:
    """The kinds of the jobs waiting on the purge queue, left there for `run_purges`."""
    attributes = aws.sqs.get_queue_attributes(QueueUrl=aws.purge_queue_url, AttributeNames=["All"])["Attributes"]
    received = aws.sqs.receive_message(QueueUrl=aws.purge_queue_url, MaxNumberOfMessages=10).get("Messages", [])
    for message in received:  # visible again at once, for the purge worker
        aws.sqs.change_message_visibility(
            QueueUrl=aws.purge_queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    assert len(received) == int(attributes["ApproximateNumberOfMessages"])
    return sorted(json.loads(message["Body"])["job"] for message in received)


def email(external_id: str, sender: str = "elodie@example.fr", **changes: Any) -> InboundMessage:
    fields = dict(
        tenant_id=TENANT,
        integration_id="mailbox-1",
        channel=Channel.EMAIL,
        external_id=external_id,
        message_id=external_id,
        sender=Party(name="Élodie", email=sender),
        subject="Commande 1042",
        subject_key="commande 1042",
        text="Où est ma commande ?",
        raw=f"Message-ID: <{external_id}>\r\n\r\nOù est ma commande ?".encode(),
    )
    return InboundMessage(**(fields | changes))


def request(method: str, conversation_id: str, tenant: str = TENANT, path: str = "") -> dict[str, Any]:
    return api_request(method, f"/conversations/{conversation_id}{path}", **{"custom:tenant_id": tenant})


def remains_of(aws, conversation_id: str) -> list[dict[str, Any]]:
    """Every item that names the conversation, in its key or in any attribute."""
    return [item for item in aws.all_items() if conversation_id in json.dumps(item)]


def kinds_left(aws, conversation_id: str) -> set[str]:
    """What kinds of item still name the conversation (`untyped` for a fragment an update wrote)."""
    return {item.get("type", {"S": "untyped"})["S"] for item in remains_of(aws, conversation_id)}


def object_versions(aws) -> list[str]:
    """Every version and delete marker in the bucket: a plain delete in a versioned bucket keeps the bytes."""
    answer = aws.s3.list_object_versions(Bucket=aws.bucket)
    return [v["Key"] for v in (*answer.get("Versions", []), *answer.get("DeleteMarkers", []))]


def a_conversation_with_everything() -> tuple[str, list[str]]:
    """An email conversation: raw mail, a large body, attachments, a reply in the thread, a reply
    of ours sent through a provider, a note, a decision; answers its id and its message ids."""
    ingest, store = wiring.ingestor(), wiring.store()
    pdf = InboundAttachment(filename="facture.pdf", content_type="application/pdf", data=b"%PDF-1.7 facture")
    photo = InboundAttachment(filename="colis.jpg", content_type="image/jpeg", data=b"\xff\xd8\xff photo")
    first = ingest.ingest(email("a-1@mail.example", text=LARGE, attachments=[pdf, photo]))
    second = ingest.ingest(email("a-2@mail.example", subject="RE: Commande 1042", references=["a-1@mail.example"]))
    assert second.conversation_id == first.conversation_id
    conversation_id = first.conversation_id
    before = store.get_conversation(TENANT, conversation_id)
    now = datetime.now(UTC)
    reply = Message(
        id="reply-1",
        tenant_id=TENANT,
        conversation_id=conversation_id,
        integration_id="mailbox-1",
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        sender=Party(email="support@shop.example"),
        text="Elle part demain.",
        message_id="reply-1@inbox.example",
        received_at=now,
    )
    store.commit_outbound(reply, before, before.model_copy(update={"message_count": 3, "last_activity_at": now}))
    store.set_delivery(reply.model_copy(update={"delivery": DeliveryState.SENT, "provider_id": "provider-uuid-1"}))
    wiring.conversations().add_note(ADMIN, conversation_id, "Client fidèle, geste commercial possible.")
    conversation = store.get_conversation(TENANT, conversation_id)
    decision = {"message_id": first.message_id, "decider": "none", "reason": "no rule matched"}
    store.record_classification(decision, conversation, conversation)
    return conversation_id, [first.message_id, second.message_id, reply.id]


def test_deleting_a_conversation_leaves_nothing_but_content_free_delivery_records(api, aws):
    # GIVEN a versioned bucket, a conversation holding one of everything, and another one
    aws.s3.put_bucket_versioning(Bucket=aws.bucket, VersioningConfiguration={"Status": "Enabled"})
    gone, _ = a_conversation_with_everything()
    gone_objects = object_versions(aws)
    kept = wiring.ingestor().ingest(email("b-1@mail.example", sender="paul@example.com", subject_key="autre"))
    kept_objects = sorted(set(object_versions(aws)) - set(gone_objects))
    assert len(gone_objects) == 5  # two raw mails, a large body, two attachments
    assert kept_objects
    assert kinds_left(aws, gone) >= {
        "conversation", "message", "note", "decision", "delivery", "msgid", "thread", "sent",
    }  # fmt: skip

    # WHEN an admin deletes it
    status, _ = api(request("DELETE", gone))

    # THEN it is gone at once, the counters follow, and the removal of what it held is under way
    assert status == 202
    assert api(request("GET", gone))[0] == 404
    assert wiring.store().folder_counters(TENANT) == {"inbox": {"total": 1, "unread": 1}}
    assert run_purges(aws) == []

    # AND nothing of it is left but the delivery records, which hold no content
    assert kinds_left(aws, gone) == {"delivery"}
    for item in remains_of(aws, gone):
        # `changed_by`: who wrote it last (the purge: a system part's name), for the audit trail (issue 14)
        assert set(item) == {"PK", "SK", "type", "message_id", "conversation_id", "deleted", "changed_by"}, item
    assert not [i for i in aws.all_items() if i["SK"]["S"] in ("MSGID", "THREAD", "SENT") and gone in str(i)]
    assert sorted(object_versions(aws)) == kept_objects
    assert api(request("GET", kept.conversation_id))[0] == 200

    # AND a provider delivering the first mail again does not bring anything back
    items_before = aws.all_items()
    again = wiring.ingestor().ingest(email("a-1@mail.example", text=LARGE))
    assert again.duplicate
    assert sorted(object_versions(aws)) == kept_objects
    assert len(aws.all_items()) == len(items_before)
    assert api(request("GET", gone))[0] == 404
    assert api(request("DELETE", gone))[0] == 404


def test_a_conversation_of_many_pages_is_deleted_completely_through_failures_and_time_running_out(
    api, aws, monkeypatch
):
    # GIVEN a conversation holding many times what one transaction or batch write can take
    ingest = wiring.ingestor()
    first = ingest.ingest(email("m-0@mail.example", text=LARGE))
    for n in range(1, 60):
        ingest.ingest(email(f"m-{n}@mail.example", text=LARGE, references=["m-0@mail.example"]))
    for n in range(160):
        wiring.conversations().add_note(ADMIN, first.conversation_id, f"note {n}")
    conversation_id = first.conversation_id
    assert len(remains_of(aws, conversation_id)) > 5 * 25 + 100
    assert len(aws.object_keys()) == 120  # a raw mail and a body per message
    assert api(request("DELETE", conversation_id))[0] == 202
    s3, dynamodb = wiring.client("s3"), wiring.client("dynamodb")
    monkeypatch.setattr("inbox.adapters.dynamodb.deletion.time.sleep", lambda seconds: None)
    # Undone between the steps; `monkeypatch.undo()` would undo the `aws` fixture's environment too.
    outage = pytest.MonkeyPatch()

    # WHEN S3 refuses midway, the job fails (SQS retries it) and the messages naming the files stay
    real_delete_objects = s3.delete_objects
    calls = {"s3": 0, "dynamodb": 0}

    def s3_down_after_one(**kwargs):
        calls["s3"] += 1
        if calls["s3"] > 1:
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "slow down"}}, "DeleteObjects")
        return real_delete_objects(**kwargs)

    outage.setattr(s3, "delete_objects", s3_down_after_one)
    assert len(run_purges(aws)) == 1
    assert 0 < len(aws.object_keys()) < 120
    assert api(request("GET", conversation_id))[0] == 404
    assert api(request("DELETE", conversation_id))[0] == 202  # still being deleted: it can be sent again
    outage.undo()

    # WHEN DynamoDB keeps items unprocessed past every round, the job fails instead of dropping them
    real_batch_write = dynamodb.batch_write_item

    def throttled_after_two(**kwargs):
        calls["dynamodb"] += 1
        if calls["dynamodb"] > 2:
            return {"UnprocessedItems": kwargs["RequestItems"]}
        return real_batch_write(**kwargs)

    outage.setattr(dynamodb, "batch_write_item", throttled_after_two)
    assert len(run_purges(aws)) == 1
    assert remains_of(aws, conversation_id)
    outage.undo()

    # THEN the retries, each with little time left (one page per run), finish the work
    class Hurried(LambdaContext):
        @staticmethod
        def get_remaining_time_in_millis() -> int:
            return 5_000

    runs = []
    monkeypatch.setattr("functions.purge.app.purge", _counting(runs))
    assert run_purges(aws, Hurried()) == []
    assert len(runs) > 2
    assert kinds_left(aws, conversation_id) == {"delivery"}
    assert aws.object_keys() == []
    assert api(request("DELETE", conversation_id))[0] == 404
    assert wiring.store().folder_counters(TENANT) == {"inbox": {"total": 0, "unread": 0}}


def _counting(runs: list[str]):
    from functions.purge import app

    real = app.purge

    def purge(record, lambda_context):
        runs.append(record.message_id)
        return real(record, lambda_context)

    return purge


def test_another_tenant_cannot_delete_a_conversation_and_touches_nothing(api, aws):
    conversation_id, _ = a_conversation_with_everything()
    items, objects = aws.all_items(), aws.object_keys()

    assert api(request("DELETE", conversation_id, tenant="tenant-other"))[0] == 404

    assert aws.all_items() == items
    assert aws.object_keys() == objects
    assert aws.queued(aws.purge_queue_url) == []
    assert api(request("GET", conversation_id))[0] == 200


def test_a_deletion_that_cannot_be_scheduled_says_so_and_can_be_sent_again(api, aws, monkeypatch):
    conversation_id, _ = a_conversation_with_everything()
    sqs = wiring.client("sqs")

    def refused(**kwargs):
        raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "down"}}, "SendMessageBatch")

    with pytest.MonkeyPatch.context() as outage:  # monkeypatch.undo() would undo the `aws` fixture's too
        outage.setattr(sqs, "send_message_batch", refused)
        status, body = api(request("DELETE", conversation_id))
        assert status == 503
        assert "delete it again" in body["error"]["message"]
        assert api(request("GET", conversation_id))[0] == 404  # hidden already, its counters moved once

    assert api(request("DELETE", conversation_id))[0] == 202
    assert run_purges(aws) == []
    assert kinds_left(aws, conversation_id) == {"delivery"}
    assert aws.object_keys() == []
    assert wiring.store().folder_counters(TENANT) == {"inbox": {"total": 0, "unread": 0}}


def test_a_webhook_delivered_again_after_its_conversation_was_deleted_keeps_no_copy_of_it(api, aws, post_webhook):
    # GIVEN a custom webhook's message, whose raw payload is kept, deleted with its conversation
    _, first = post_webhook(external_id="order-7", thread_key="order-7")
    assert len(aws.object_keys()) == 1
    assert api(request("DELETE", first["conversation_id"]))[0] == 202
    assert run_purges(aws) == []
    assert aws.object_keys() == []

    # WHEN the sender delivers it again, to the API function, which may not delete from the bucket
    with s3_deletes_refused():
        status, again = post_webhook(external_id="order-7", thread_key="order-7")

    # THEN it is a duplicate, and neither the conversation nor the payload comes back: the copy
    # just kept is handed to the purge worker, which removes it
    assert status == 202
    assert again["duplicate"] is True
    assert purge_jobs(aws) == ["purge_blobs"]
    assert run_purges(aws) == []
    assert aws.object_keys() == []
    assert api(request("GET", first["conversation_id"]))[0] == 404


def test_an_sms_delivered_again_after_its_conversation_was_deleted_keeps_no_copy_of_it(
    api, aws, fake, vonage_integration
):
    # GIVEN an SMS from Vonage, whose raw payload is kept, deleted with its conversation
    params = vonage.sms(fake)
    status, first = vonage.invoke("sms", vonage.sms_event("sms_form", params))
    assert (status, first["result"]) == (200, "stored")
    assert len(aws.object_keys()) == 1
    assert api(request("DELETE", first["conversation_id"]))[0] == 202
    assert run_purges(aws) == []
    assert aws.object_keys() == []

    # WHEN Vonage delivers it again, to the webhook function, which may not delete from the bucket
    with s3_deletes_refused():
        status, again = vonage.invoke("sms", vonage.sms_event("sms_form", params))

    # THEN it is a duplicate, and neither the conversation nor the payload comes back
    assert (status, again["result"]) == (200, "duplicate")
    assert purge_jobs(aws) == ["purge_blobs"]
    assert run_purges(aws) == []
    assert aws.object_keys() == []
    assert api(request("GET", first["conversation_id"]))[0] == 404


@pytest.mark.parametrize("assembled_by", ["its last part", "the settle job"])
def test_deleting_a_long_sms_removes_the_raw_payload_of_every_part(api, aws, fake, vonage_integration, assembled_by):
    from functions.vonage_worker import app

    # GIVEN a 3-part SMS, each part's webhook payload kept, assembled when its last part came (or,
    # one part missing, by the job that stores what arrived)
    texts = ["Bonjour, je voudrais ", "annuler ma commande ", "1042, merci."]
    parts = [vonage.sms(fake, text, concat=("91", 3, n)) for n, text in enumerate(texts, start=1)]
    sent = parts if assembled_by == "its last part" else parts[:2]
    for part in sent:
        assert vonage.invoke("sms", vonage.sms_event("sms_form", part))[0] == 200
    if assembled_by == "the settle job":
        settle = load_event(
            "vonage_worker/sms_parts_job.json", TENANT_ID=TENANT, INTEGRATION_ID=vonage_integration["id"], REF="91"
        )
        assert app.lambda_handler(settle, LambdaContext()) == {"batchItemFailures": []}
    (listed,) = vonage.conversations(api)
    assert len([key for key in aws.object_keys() if "/raw/vonage/" in key]) == len(sent)

    # WHEN its conversation is deleted
    assert api(request("DELETE", listed["id"]))[0] == 202
    assert run_purges(aws) == []

    # THEN no part's raw payload remains, nor any part's text
    assert aws.object_keys() == []
    held = [i for i in aws.all_items() if i.get("type", {}).get("S") == "sms_part"]
    assert len(held) == len(sent)  # until they expire, so that a part delivered again is a duplicate
    assert not [i for i in held if "text" in i]

    # and a part Vonage delivers again, to the webhook function, is a duplicate that keeps no copy
    with s3_deletes_refused():
        status, again = vonage.invoke("sms", vonage.sms_event("sms_form", parts[0]))
    assert (status, again["result"]) == (200, "duplicate")
    assert run_purges(aws) == []
    assert aws.object_keys() == []
    assert api(request("GET", listed["id"]))[0] == 404


def test_a_decision_or_a_note_written_as_the_conversation_is_deleted_is_refused_not_left_behind(api, aws):
    # GIVEN a classifier and a person who both read the conversation just before an admin deleted it
    from inbox.errors import ConcurrentUpdateError, NotFoundError
    from inbox.models import Note

    store = wiring.store()
    first = wiring.ingestor().ingest(email("late-1@mail.example"))
    read_before = store.get_conversation(TENANT, first.conversation_id)
    assert api(request("DELETE", first.conversation_id))[0] == 202
    assert run_purges(aws) == []

    # WHEN their writes arrive
    decision = {"message_id": first.message_id, "decider": "none", "reason": "no rule matched"}
    note = Note(
        id="late-note",
        tenant_id=TENANT,
        conversation_id=first.conversation_id,
        author_id="u1",
        text="Rappeler demain",
        created_at=datetime.now(UTC),
    )

    # THEN both are refused, and nothing of the conversation but its delivery record exists
    with pytest.raises(ConcurrentUpdateError):
        store.record_classification(decision, read_before, read_before)
    with pytest.raises(NotFoundError):
        store.add_note(note)
    assert kinds_left(aws, first.conversation_id) == {"delivery"}


def test_files_fetched_for_a_message_deleted_meanwhile_are_not_left_behind(
    api, aws, fake, vonage_integration, monkeypatch
):
    # GIVEN a WhatsApp image whose file is fetched after the webhook, from a queue
    from functions.vonage_worker import app

    url = fake.add_media(vonage.png(), "image/png")
    name = "webhook_whatsapp/whatsapp_image.json"
    payload = json.loads(load_event(name)["body"].replace("MEDIA_URL", url))
    status, answer = vonage.invoke("whatsapp", vonage.messages_event(name, payload, fake))
    assert status == 200, answer
    (job,) = aws.queued(aws.vonage_queue_url)
    store = wiring.store()
    real_set_media = store.set_media

    def deleted_while_downloading(*args, **kwargs):
        with pytest.MonkeyPatch.context() as purge_worker:  # the purge worker has the rights
            purge_worker.setattr(BlobStore, "delete", ALLOWED_DELETE)
            assert api(request("DELETE", answer["conversation_id"]))[0] == 202
            assert run_purges(aws) == []
        return real_set_media(*args, **kwargs)

    monkeypatch.setattr(store, "set_media", deleted_while_downloading)

    # WHEN the conversation is deleted while the file downloads (by the Vonage worker, which may not
    # delete from the bucket)
    with s3_deletes_refused():
        assert app.lambda_handler(vonage.media_job_event(job), LambdaContext()) == {"batchItemFailures": []}

    # THEN the file does not outlive it: the purge worker removes it
    assert purge_jobs(aws) == ["purge_blobs"]
    assert run_purges(aws) == []
    assert aws.object_keys() == []
    assert kinds_left(aws, answer["conversation_id"]) == {"delivery"}


def test_a_reply_sent_as_its_conversation_is_deleted_does_not_write_its_message_back(api, aws):
    # GIVEN a reply stored, then its conversation deleted while the channel sends it
    store = wiring.store()
    first = wiring.ingestor().ingest(email("sending-1@mail.example"))
    before = store.get_conversation(TENANT, first.conversation_id)
    now = datetime.now(UTC)
    reply = Message(
        id="reply-late",
        tenant_id=TENANT,
        conversation_id=first.conversation_id,
        integration_id="mailbox-1",
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        sender=Party(email="support@shop.example"),
        text="Elle part demain.",
        delivery=DeliveryState.SENDING,
        received_at=now,
    )
    store.commit_outbound(reply, before, before.model_copy(update={"message_count": 2, "last_activity_at": now}))
    assert api(request("DELETE", first.conversation_id))[0] == 202
    assert run_purges(aws) == []

    # WHEN the channel answers and the outcome is recorded
    for outcome in ({"delivery": DeliveryState.FAILED}, {"delivery": DeliveryState.SENT, "provider_id": "uuid-9"}):
        store.set_delivery(reply.model_copy(update=outcome))

    # THEN no fragment of the message, and no pointer to it, comes back
    assert kinds_left(aws, first.conversation_id) == {"delivery"}
    assert not [item for item in aws.all_items() if "reply-late" in json.dumps(item)]


def test_deleting_a_stub_removes_what_the_failed_try_before_it_wrote(api, aws, monkeypatch):
    # GIVEN a mail whose first try wrote its body and files before the store refused it for good
    store = wiring.store()
    real_commit = store.commit_inbound

    def refuse_the_whole_message(message, *args):
        if message.attachments:
            raise PermanentError("DynamoDB refused an item of this write as invalid or too large")
        return real_commit(message, *args)

    monkeypatch.setattr(store, "commit_inbound", refuse_the_whole_message)
    pdf = InboundAttachment(filename="facture.pdf", content_type="application/pdf", data=b"%PDF-1.7 ...")
    stub = wiring.ingestor().ingest(email("stub-1@mail.example", text=LARGE, attachments=[pdf]))
    assert len(aws.object_keys()) == 3  # the raw mail, the large body, the file: the stub points at the raw only

    # WHEN its conversation is deleted
    assert api(request("DELETE", stub.conversation_id))[0] == 202
    assert run_purges(aws) == []

    # THEN nothing that delivery wrote is left
    assert object_versions(aws) == []


def test_deleting_a_conversation_removes_its_tasks_pointers_and_cancels_its_schedules(api, aws):
    """A task's pointer (T#t#TASK#id) is outside the conversation, and a task's reminder, a follow-up,
    a snooze and a nudge are one-time schedules in EventBridge Scheduler: the purge removes them all
    (another conversation's stay)."""
    from datetime import timedelta

    from helpers.schedules import scheduled
    from inbox.adapters.dynamodb.nudges import NudgeStore
    from inbox.models.jobs import NudgeDueJob
    from inbox.models.nudge import NudgeState
    from inbox.settings import get_settings

    gone, _ = a_conversation_with_everything()
    kept = wiring.ingestor().ingest(email("b-1@mail.example", sender="paul@example.com", subject_key="autre"))
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    kept_schedules = set()
    for conversation_id in (kept.conversation_id, gone):
        for path, body in (
            ("/tasks", {"title": "Rappeler", "due_at": later}),
            ("/follow-ups", {"due_at": later, "action": "reopen"}),
            ("/snooze", {"until": later}),
        ):
            status, answer = api(api_request("POST", f"/conversations/{conversation_id}{path}", body))
            assert status in (200, 201), answer
        kept_schedules = kept_schedules or set(scheduled())
    done = api(api_request("POST", f"/conversations/{gone}/tasks", {"title": "Fait", "due_at": later}))[1]
    assert api(api_request("PATCH", f"/tasks/{done['id']}", {"done": True}))[0] == 200
    now = datetime.now(UTC)
    nudge = NudgeState(
        tenant_id=TENANT,
        conversation_id=gone,
        folder_id="devis",
        reply_id="reply-1",
        replied_at=now,
        due_at=now + timedelta(days=1),
        schedule="nudge.of-the-deleted-conversation",
    )
    NudgeStore(wiring.client("dynamodb"), get_settings().table_name).save_nudge(nudge)
    job = NudgeDueJob(tenant_id=TENANT, conversation_id=gone, reply_id="reply-1", nudge=1)
    wiring.schedules().put(str(nudge.schedule), nudge.due_at, job)
    assert len(scheduled()) == 7  # per conversation: a task's reminder, a follow-up, a snooze; and the nudge
    assert len([i for i in aws.all_items() if i["PK"]["S"].startswith(f"T#{TENANT}#TASK#")]) == 3

    assert api(request("DELETE", gone))[0] == 202
    assert run_purges(aws) == []

    assert kinds_left(aws, gone) == {"delivery"}
    pointers = [i for i in aws.all_items() if i["PK"]["S"].startswith(f"T#{TENANT}#TASK#")]
    assert [i["conversation_id"]["S"] for i in pointers] == [kept.conversation_id]
    assert len(kept_schedules) == 3
    assert set(scheduled()) == kept_schedules
    assert api(request("GET", kept.conversation_id))[0] == 200
