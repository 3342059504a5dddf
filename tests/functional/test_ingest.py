"""The one ingest path, on the real store in moto."""

import pytest

from helpers.stats import StreamTap
from inbox import wiring
from inbox.domain.stats_periods import Granularity, StatsQuery
from inbox.errors import InvalidInputError
from inbox.models import Channel, ConversationFilter, InboundMessage, Party, Principal, Role, Status

TENANT = "t-ingest"
ADMIN = Principal(user_id="u1", tenant_id=TENANT, role=Role.ADMIN)


def inbound(external_id: str, email: str = "elodie@example.fr", **changes) -> InboundMessage:
    fields = dict(
        tenant_id=TENANT,
        integration_id="i1",
        channel=Channel.CUSTOM,
        external_id=external_id,
        sender=Party(name="Élodie", email=email),
        subject="Commande 1042",
        text="Où est ma commande ?",
    )
    return InboundMessage(**(fields | changes))


def conversations():
    return wiring.store().list_conversations(TENANT, ConversationFilter(), 100, None)[0]


def test_ingest_stores_one_message_per_external_id_and_says_it_is_a_duplicate(aws):
    first = wiring.ingestor().ingest(inbound("ext-1"))
    again = wiring.ingestor().ingest(inbound("ext-1", text="changed on retry"))
    assert again.duplicate
    assert not first.duplicate
    assert (again.message_id, again.conversation_id) == (first.message_id, first.conversation_id)
    messages = wiring.conversations().get(ADMIN, first.conversation_id).messages
    assert [m.text for m in messages] == ["Où est ma commande ?"]


def test_ingest_threads_a_sender_into_their_open_conversation(aws):
    first = wiring.ingestor().ingest(inbound("ext-1", email="Elodie@Example.fr"))
    second = wiring.ingestor().ingest(inbound("ext-2", text="Toujours rien."))
    other = wiring.ingestor().ingest(inbound("ext-3", email="bob@example.com"))
    assert second.conversation_id == first.conversation_id != other.conversation_id
    conversation = wiring.store().get_conversation(TENANT, first.conversation_id)
    assert conversation.message_count == 2
    assert conversation.preview == "Toujours rien."
    assert conversation.contact.email == "elodie@example.fr"


def test_ingest_starts_a_new_conversation_after_a_resolved_one_but_a_thread_key_reopens(aws):
    first = wiring.ingestor().ingest(inbound("ext-1"))
    wiring.conversations().change(ADMIN, first.conversation_id, {"status": Status.RESOLVED})
    by_sender = wiring.ingestor().ingest(inbound("ext-2"))
    assert by_sender.new_conversation
    assert by_sender.conversation_id != first.conversation_id

    keyed = wiring.ingestor().ingest(inbound("ext-3", thread_key="order-1042"))
    wiring.conversations().change(ADMIN, keyed.conversation_id, {"status": Status.RESOLVED})
    reply = wiring.ingestor().ingest(inbound("ext-4", thread_key="order-1042"))
    assert reply.conversation_id == keyed.conversation_id
    assert wiring.store().get_conversation(TENANT, keyed.conversation_id).status is Status.OPEN


def test_ingest_keeps_the_same_contact_across_channels_of_identity(aws):
    by_email = wiring.ingestor().ingest(inbound("ext-1", sender=Party(email="ana@example.es", phone="+34600111222")))
    by_phone = wiring.ingestor().ingest(inbound("ext-2", sender=Party(phone="+34 600 111 222"), thread_key="sms"))
    store = wiring.store()
    assert (
        store.get_conversation(TENANT, by_email.conversation_id).contact_id
        == store.get_conversation(TENANT, by_phone.conversation_id).contact_id
    )


def test_ingest_keeps_large_bodies_in_s3_and_serves_them_whole(aws):
    text = "Bonjour, " + "voici le détail de ma demande. " * 400
    result = wiring.ingestor().ingest(inbound("ext-big", text=text, html=f"<p>{text}</p>"))
    [stored] = wiring.conversations().get(ADMIN, result.conversation_id).messages
    assert stored.body_key in aws.object_keys()
    assert stored.body_key.startswith(f"{TENANT}/bodies/")
    item = aws.dynamodb.get_item(
        TableName=aws.table, Key={"PK": {"S": f"T#{TENANT}#CONV#{result.conversation_id}"}, "SK": {"S": "CONV"}}
    )["Item"]
    assert len(item["preview"]["S"]) <= 160
    messages = wiring.conversations().get(ADMIN, result.conversation_id).messages
    assert messages[0].text == text
    assert messages[0].html == f"<p>{text}</p>"


def test_ingest_keeps_counters_exact_and_enqueues_each_message_for_classification(aws):
    stream = StreamTap(aws)  # the day's statistics are counted from the table's stream (issue 14, item 2)
    a = wiring.ingestor().ingest(inbound("ext-1"))
    wiring.ingestor().ingest(inbound("ext-2"))  # same conversation, still unread: no new unread
    wiring.ingestor().ingest(inbound("ext-3", email="bob@example.com"))
    store = wiring.store()
    assert store.folder_counters(TENANT) == {"inbox": {"total": 2, "unread": 2}}
    wiring.conversations().change(ADMIN, a.conversation_id, {"unread": False})
    assert store.folder_counters(TENANT) == {"inbox": {"total": 2, "unread": 1}}
    wiring.ingestor().ingest(inbound("ext-4"))  # read conversation gets a new message: unread again
    assert store.folder_counters(TENANT) == {"inbox": {"total": 2, "unread": 2}}
    day = store.get_conversation(TENANT, a.conversation_id).created_at.date()
    stream.record()
    totals = wiring.statistics().report(TENANT, StatsQuery(day, day, Granularity.DAY))["totals"]
    assert (totals["messages_in"], totals["by_channel"], totals["conversations_created"]) == (
        4,
        {"custom": {"in": 4, "out": 0}},
        2,
    )
    queued = aws.queued()
    assert len(queued) == 4
    assert len({q["message_id"] for q in queued}) == 4
    assert sum(q["conversation_id"] == a.conversation_id for q in queued) == 3


def test_ingest_retries_when_another_message_lands_between_its_read_and_its_write(aws):
    """GIVEN a second delivery commits while the first is between reading and writing the conversation."""
    first = wiring.ingestor().ingest(inbound("ext-1"))
    store = wiring.store()
    real_commit = store.commit_inbound
    interleaved = []

    def commit_after_a_competitor(*args, **kwargs):
        if not interleaved:
            interleaved.append(None)  # the competitor's own commit goes straight through
            interleaved[0] = wiring.ingestor().ingest(inbound("ext-competitor"))
        return real_commit(*args, **kwargs)

    store.commit_inbound = commit_after_a_competitor
    try:
        second = wiring.ingestor().ingest(inbound("ext-2"))
    finally:
        store.commit_inbound = real_commit
    assert first.conversation_id == second.conversation_id == interleaved[0].conversation_id
    thread = wiring.conversations().get(ADMIN, first.conversation_id)
    conversation, messages = thread.conversation, thread.messages
    assert len(messages) == conversation.message_count == 3
    assert store.folder_counters(TENANT) == {"inbox": {"total": 1, "unread": 1}}


def test_ingest_from_two_new_senders_racing_on_one_thread_makes_one_conversation(aws):
    """GIVEN two first messages on one thread key, the second committing while the first is mid-way."""
    store = wiring.store()
    real_commit = store.commit_inbound
    interleaved = []

    def commit_after_a_competitor(*args, **kwargs):
        if not interleaved:
            interleaved.append(None)
            interleaved[0] = wiring.ingestor().ingest(inbound("ext-b", thread_key="order-7"))
        return real_commit(*args, **kwargs)

    store.commit_inbound = commit_after_a_competitor
    try:
        result = wiring.ingestor().ingest(inbound("ext-a", thread_key="order-7"))
    finally:
        store.commit_inbound = real_commit
    assert result.conversation_id == interleaved[0].conversation_id
    assert not result.new_conversation
    assert len(conversations()) == 1


def test_ingest_refuses_a_sender_it_could_never_answer(aws):
    with pytest.raises(InvalidInputError) as caught:
        wiring.ingestor().ingest(inbound("ext-1", sender=Party(name="Anonymous")))
    assert caught.value.field == "from"
    assert conversations() == []


def test_ingest_detects_a_duplicate_that_slipped_past_the_first_check(aws):
    """GIVEN two deliveries of one id both passing the pre-check: the transaction stores one."""
    first = wiring.ingestor().ingest(inbound("ext-1"))
    store = wiring.store()
    real_get_delivery = store.get_delivery
    calls = []

    def missed_once(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_get_delivery(*args)

    store.get_delivery = missed_once
    try:
        again = wiring.ingestor().ingest(inbound("ext-1"))
    finally:
        store.get_delivery = real_get_delivery
    assert again.duplicate
    assert again.message_id == first.message_id
    assert len(wiring.conversations().get(ADMIN, first.conversation_id).messages) == 1
    assert store.folder_counters(TENANT) == {"inbox": {"total": 1, "unread": 1}}


def test_ingest_accepts_provider_ids_and_thread_keys_of_any_length(aws):
    long_id = "✉" * 512
    result = wiring.ingestor().ingest(inbound(long_id, thread_key="🧵" * 256))
    assert wiring.ingestor().ingest(inbound(long_id, thread_key="🧵" * 256)).duplicate
    assert wiring.ingestor().ingest(inbound("ext-2", thread_key="🧵" * 256)).conversation_id == result.conversation_id


def test_ingest_keeps_the_conversation_contact_when_someone_else_writes_on_its_thread(aws):
    first = wiring.ingestor().ingest(inbound("ext-1", thread_key="ticket-9"))
    wiring.ingestor().ingest(inbound("ext-2", email="colleague@example.fr", thread_key="ticket-9"))
    conversation = wiring.store().get_conversation(TENANT, first.conversation_id)
    assert conversation.contact.email == "elodie@example.fr"
    assert conversation.message_count == 2


def test_ingest_shows_the_latest_messages_and_pages_back_to_the_first(aws):
    ids = [wiring.ingestor().ingest(inbound(f"ext-{n:02}", text=f"message {n}")).conversation_id for n in range(57)]
    thread = wiring.conversations().get(ADMIN, ids[0])
    assert [m.text for m in thread.messages] == [f"message {n}" for n in range(7, 57)]
    older = wiring.conversations().get(ADMIN, ids[0], before=thread.earlier)
    assert [m.text for m in older.messages] == [f"message {n}" for n in range(7)]
    assert older.earlier is None


def email(external_id: str, **changes) -> InboundMessage:
    fields = dict(
        channel=Channel.EMAIL,
        message_id=external_id,
        subject="Facture 2026-118",
        subject_key="facture 2026-118",
    )
    return inbound(external_id, **(fields | changes))


def test_ingest_threads_an_email_reply_by_its_references_whatever_its_subject(aws):
    first = wiring.ingestor().ingest(email("a@mail.example"))
    reply = wiring.ingestor().ingest(
        email("b@mail.example", subject="Autre chose", subject_key="autre chose", references=["a@mail.example"])
    )
    forwarded_in = wiring.ingestor().ingest(
        email("c@mail.example", email="comptable@example.fr", subject_key="x", references=["b@mail.example"])
    )
    assert first.conversation_id == reply.conversation_id == forwarded_in.conversation_id


def test_ingest_threads_an_email_by_subject_only_for_the_same_contact(aws):
    first = wiring.ingestor().ingest(email("a@mail.example"))
    same = wiring.ingestor().ingest(email("b@mail.example", subject="RE: Facture 2026-118"))
    other_sender = wiring.ingestor().ingest(email("c@mail.example", email="paul@example.com"))
    no_subject = wiring.ingestor().ingest(email("d@mail.example", subject=None, subject_key=None))
    assert same.conversation_id == first.conversation_id
    assert other_sender.conversation_id != first.conversation_id
    assert no_subject.new_conversation


def test_ingest_keeps_automated_mail_out_of_the_inbox_but_keeps_it(aws):
    result = wiring.ingestor().ingest(email("news@mail.example", automated="newsletter"))
    store = wiring.store()
    assert store.folder_counters(TENANT) == {"automated": {"total": 1, "unread": 1}}
    inbox_view = store.list_conversations(TENANT, ConversationFilter(folder_id="inbox"), 10, None)[0]
    automated_view = store.list_conversations(TENANT, ConversationFilter(folder_id="automated"), 10, None)[0]
    assert inbox_view == []
    assert [c.id for c in automated_view] == [result.conversation_id]


def test_ingest_stores_the_raw_mail_and_attachments_once(aws):
    from inbox.models import InboundAttachment

    pdf = InboundAttachment(filename="facture.pdf", content_type="application/pdf", data=b"%PDF-1.7 ...")
    message = email("a@mail.example", raw=b"From: x\r\n\r\nbody", attachments=[pdf])
    result = wiring.ingestor().ingest(message)
    wiring.ingestor().ingest(message)  # the same mail seen again (another folder, a re-sync)
    [stored] = wiring.conversations().get(ADMIN, result.conversation_id).messages
    assert aws.object_keys() == sorted([stored.raw_key, stored.attachments[0].key])
    assert stored.raw_key.startswith(f"{TENANT}/raw/email/")
    assert stored.attachments[0].key.startswith(f"{TENANT}/attachments/")
    assert stored.attachments[0].size == len(pdf.data)
    assert stored.raw_key.endswith(".eml")


def test_ingest_in_a_batch_queues_classification_together_even_when_the_batch_fails(aws, monkeypatch):
    queue = wiring.classify_queue()
    requests = []
    real_send = queue.send
    monkeypatch.setattr(queue, "send", lambda jobs: (requests.append(len(jobs)), real_send(jobs)))
    ingestor = wiring.ingestor()

    def stopped_after_twelve():
        with ingestor.batch():
            for n in range(12):
                ingestor.ingest(inbound(f"ext-{n}", email=f"c{n}@example.com"))
            raise RuntimeError("the worker is stopped here")

    with pytest.raises(RuntimeError):
        stopped_after_twelve()
    assert requests == [12]  # one call, which WorkQueue splits into SQS batches of ten
    assert len(aws.queued()) + len(aws.queued()) == 12
