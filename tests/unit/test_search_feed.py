"""What the search index is told of each write (issue 14, item 1): pure, and only what changes results."""

from __future__ import annotations

from datetime import UTC, datetime

from inbox.domain.events import ItemWrite
from inbox.domain.search_documents import document_of, search_jobs
from inbox.models import Channel, DeliveryState, Direction, Message, Party, Status
from inbox.models.jobs import ForgetConversationJob, IndexDocumentJob
from samples import sample_conversation

AT = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def message(**changes) -> Message:
    base = Message(
        id="m1",
        tenant_id="t",
        conversation_id="c1",
        integration_id="i",
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        sender=Party(name="Élodie", email="elodie@example.fr", phone="+33612345678"),
        subject="Problème",
        text="Où est ma commande ?",
        received_at=AT,
    )
    return base.model_copy(update=changes)


def write(kind: str, before, after) -> ItemWrite:
    return ItemWrite("r1", AT, "t", kind, before, after)


def test_a_message_stored_is_indexed_with_its_words_people_and_numbers():
    [job] = search_jobs(write("message", None, message()))
    document = document_of(job)
    assert (document.doc_id, document.subject, document.text) == ("m:m1", "Problème", "Où est ma commande ?")
    assert (document.contact, document.emails) == ("Élodie", "elodie@example.fr")
    assert "0612345678" in document.phones.split()


def test_a_message_with_only_an_html_part_is_indexed_by_the_text_a_reader_sees():
    [job] = search_jobs(write("message", None, message(text="", html="<p>Colis <b>endommagé</b></p>")))
    assert "endommagé" in job.text


def test_a_message_whose_body_is_in_the_blob_store_leaves_the_text_to_the_indexer():
    [job] = search_jobs(write("message", None, message(text="", body_key="t/bodies/x.json")))
    assert (job.text, job.body_key) == ("", "t/bodies/x.json")


def test_a_reply_is_found_by_its_recipients_not_by_our_own_address():
    reply = message(direction=Direction.OUTBOUND, sender=Party(email="support@shop.fr"), to=[Party(email="a@b.co")])
    [job] = search_jobs(write("message", None, reply))
    assert job.emails == "a@b.co"


def test_a_change_that_is_not_in_the_words_tells_the_index_nothing():
    sent = message(direction=Direction.OUTBOUND, delivery=DeliveryState.SENDING)
    assert search_jobs(write("message", sent, sent.model_copy(update={"delivery": DeliveryState.SENT}))) == []
    conversation = sample_conversation()
    assert (
        search_jobs(write("conversation", conversation, conversation.model_copy(update={"status": Status.OPEN}))) == []
    )


def test_a_conversation_is_indexed_again_when_its_subject_or_contact_changes_and_forgotten_when_deleted():
    conversation = sample_conversation(subject="Commande")
    [job] = search_jobs(write("conversation", conversation, conversation.model_copy(update={"subject": "Retour"})))
    assert isinstance(job, IndexDocumentJob)
    assert (job.message_id, job.subject) == (None, "Retour")
    assert search_jobs(write("conversation", conversation, None)) == [
        ForgetConversationJob(tenant_id="t", conversation_id="c1")
    ]
    assert search_jobs(write("task", None, {"type": "task"})) == []
