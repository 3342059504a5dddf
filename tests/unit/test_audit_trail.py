"""The audit entries of the table's writes (issue 14, item 3), from stream records as Lambda hands
them over: who (the `changed_by` stamp), what kind, which fields before and after; the system's own
actions (classification, auto-replies sent or held, follow-ups fired, sync errors); secrets masked."""

from __future__ import annotations

import json

from boto3.dynamodb.types import TypeSerializer

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.conversations import ConversationItem, MessageItem
from inbox.adapters.dynamodb.stream_events import item_writes
from inbox.domain.audit import MASK, AuditChange, AuditKind
from inbox.domain.audit_trail import entries_of, is_secret_name, masked
from inbox.models import Channel, Direction, Message, Party, Status
from inbox.models.conversation import ClassifiedBy
from local.event_filters import compile_filters, keeps
from samples import NOW, sample_conversation

_serialize = TypeSerializer().serialize
SEALED = "v1.QUFBQUFBQUFBQUFB.QkJCQkJCQkJCQkJC.Q0NDQ0NDQ0NDQ0ND"


def image(item: dict) -> dict:
    return {name: _serialize(value) for name, value in item.items() if value is not None}


def record(old: dict | None, new: dict | None, by: str | None = "person:u1", record_id: str = "r1") -> dict:
    item = new or old
    stream = {"Keys": image({"PK": item["PK"], "SK": item["SK"]}), "ApproximateCreationDateTime": NOW.timestamp()}
    if old is not None:
        stream["OldImage"] = image(old)
    if new is not None:
        stream["NewImage"] = image(new | ({"changed_by": by} if by else {}))
    name = "REMOVE" if new is None else "MODIFY" if old is not None else "INSERT"
    return {"eventID": record_id, "eventName": name, "dynamodb": stream}


def entries(*records: dict):
    return [entry for write in item_writes(list(records)) for entry in entries_of(write)]


def conversation(**changes) -> dict:
    return ConversationItem.of(sample_conversation(**changes), 1)


def test_a_persons_changes_of_a_conversation_one_entry_per_kind():
    made = entries(record(conversation(), conversation(status=Status.RESOLVED, assignee_id="u2", folder_id="f9")))
    assert [(e.kind, e.actor_type, e.actor_id, e.conversation_id) for e in made] == [
        (AuditKind.CONVERSATION_STATUS, "person", "u1", "c1"),
        (AuditKind.CONVERSATION_ASSIGNED, "person", "u1", "c1"),
        (AuditKind.CONVERSATION_MOVED, "person", "u1", "c1"),
    ]
    assert [(c.field, c.before, c.after) for e in made for c in e.changes] == [
        ("status", "new", "resolved"),
        ("assignee_id", None, "u2"),
        ("folder_id", None, "f9"),
    ]
    assert len({e.id for e in made}) == 3
    assert made[0].at == NOW


def test_a_reply_opening_a_new_conversation_leaves_its_status_to_the_reply():
    answered = conversation(status=Status.OPEN, message_count=2)
    assert entries(record(conversation(message_count=1), answered)) == []
    (opened,) = entries(record(conversation(message_count=1), conversation(status=Status.OPEN, message_count=1)))
    assert opened.kind == AuditKind.CONVERSATION_STATUS


def test_a_write_that_changes_nothing_audited_makes_no_entry():
    assert entries(record(conversation(), conversation(unread=False, message_count=3))) == []


def test_classification_is_the_systems_with_the_decider():
    after = conversation(folder_id="billing", intent="order", classified_by=ClassifiedBy(decider="ai"))
    (entry,) = entries(record(conversation(), after, by="system:classify"))
    assert (entry.kind, entry.actor_type, entry.actor_id, entry.summary) == (
        AuditKind.CONVERSATION_CLASSIFIED,
        "system",
        "classify",
        "ai",
    )
    assert {c.field for c in entry.changes} >= {"folder_id", "intent", "classified_by.decider"}


def test_a_person_moving_a_classified_conversation_moves_it():
    filed = conversation(folder_id="billing", classified_by=ClassifiedBy(decider="ai", folder_id="billing"))
    moved = conversation(folder_id="support", folder_pinned=True)
    (entry,) = entries(record(filed, moved, by="person:u1"))
    assert (entry.kind, entry.actor_id) == (AuditKind.CONVERSATION_MOVED, "u1")
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("folder_id", "billing", "support")]


def message(**changes) -> dict:
    base = Message(
        id="m1",
        tenant_id="t",
        conversation_id="c1",
        integration_id="i",
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        sender=Party(email="us@example.com"),
        to=[Party(email="them@example.com")],
        text="Thanks, it is on its way.",
        received_at=NOW,
    )
    return MessageItem.of(base.model_copy(update=changes))


def test_a_reply_and_an_auto_reply_sent():
    (reply,) = entries(record(None, message()))
    assert (reply.kind, reply.actor_id, reply.target_type, reply.target_id) == (
        AuditKind.MESSAGE_REPLIED,
        "u1",
        "message",
        "m1",
    )
    assert reply.summary == "Thanks, it is on its way."
    (auto,) = entries(record(None, message(auto_reply=True), by="system:autoreply"))
    assert (auto.kind, auto.actor_type, auto.actor_id) == (AuditKind.AUTO_REPLY_SENT, "system", "autoreply")
    # An SMS reply names its channel and recipient, not an email's subject ("Re:") nor an empty Cc (item 13).
    (sms,) = entries(record(None, message(channel=Channel.SMS, subject="Re:", to=[Party(phone="+33612345678")])))
    assert [c.field for c in sms.changes] == ["channel", "to"]
    assert [c.field for c in reply.changes] == ["channel", "to"]  # an email without subject nor Cc
    inbound = message(direction=Direction.INBOUND)
    assert entries(record(None, inbound, by="system:sync")) == []


def item(pk: str, sk: str, kind: str, **fields) -> dict:
    return {"PK": pk, "SK": sk, "type": kind, "tenant_id": "t", **fields}


def test_an_auto_reply_held_for_a_person():
    pk = keys.conversation_pk("t", "c1")
    draft = {"id": "m1", "conversation_id": "c1", "source": "auto_reply", "created_at": "x", "updated_at": "x"}
    writing = item(pk, "DRAFT#m1", "draft", status="writing", **draft)
    held = item(pk, "DRAFT#m1", "draft", status="pending", hold="sensitive", **draft)
    (entry,) = entries(record(writing, held, by="system:autoreply"))
    assert (entry.kind, entry.actor_id, entry.conversation_id) == (AuditKind.AUTO_REPLY_HELD, "autoreply", "c1")
    assert ("hold", None, "sensitive") in [(c.field, c.before, c.after) for c in entry.changes]
    assert entry.summary is None  # not the draft's English `detail`: the app words the hold code (item 9)


def test_a_follow_up_fired_once_not_when_claimed():
    pk = keys.conversation_pk("t", "c1")
    base = {"id": "f1", "conversation_id": "c1", "created_by": "u1", "action": "remind"}
    scheduled = item(pk, "FOLLOWUP#f1", "follow_up", state="scheduled", **base)
    firing = item(pk, "FOLLOWUP#f1", "follow_up", state="firing", **base)
    done = item(pk, "FOLLOWUP#f1", "follow_up", state="done", outcome="reminded", **base)
    assert entries(record(scheduled, firing, by="system:scheduled")) == []
    (entry,) = entries(record(firing, done, by="system:scheduled"))
    assert (entry.kind, entry.actor_id, entry.target_id) == (AuditKind.FOLLOW_UP_FIRED, "scheduled", "f1")


def test_a_sync_error_once_per_failure_not_each_run():
    sk = keys.sync_sk("i1")
    ok = item("T#t", sk, "sync", integration_id="i1", failures=0)
    failed = item("T#t", sk, "sync", integration_id="i1", failures=1, last_error="login refused")
    again = item("T#t", sk, "sync", integration_id="i1", failures=2, last_error="login refused")
    (entry,) = entries(record(ok, failed, by="system:sync"))
    assert (entry.kind, entry.target_type, entry.target_id, entry.summary) == (
        AuditKind.SYNC_FAILED,
        "integration",
        "i1",
        "login refused",
    )
    assert entries(record(failed, again, by="system:sync")) == []


def test_secrets_are_masked_by_name_and_by_shape():
    integration = item(
        "T#t",
        "INTEGRATION#i1",
        "integration",
        id="i1",
        name="Support",
        settings={"host": "imap.example.com", "username": "me"},
        secrets={"password": SEALED},
    )
    changed = integration | {"secrets": {"password": "v1.RERERERERERERERE.RUVFRUVFRUVFRUVF.RkZGRkZGRkZGRkZG"}}
    (made,) = entries(record(None, integration))
    (moved,) = entries(record(integration, changed))
    assert ("secrets.password", None, MASK) in [(c.field, c.before, c.after) for c in made.changes]
    assert [(c.field, c.before, c.after) for c in moved.changes] == [("secrets.password", MASK, MASK)]
    settings = {"PK": "T#t", "SK": keys.AI_SETTINGS, "type": "settings", "model": "gpt", "api_key": SEALED}
    (ai,) = entries(record(None, settings))
    assert (ai.kind, ai.target_id, ai.actor_id) == (AuditKind.SETTINGS_CHANGED, "ai", "u1")
    every = json.dumps([[c.field, c.before, c.after] for e in (made, moved, ai) for c in e.changes])
    assert "QUFB" not in every
    assert "REVE" not in every
    assert masked({"note": SEALED, "url": "https://x"}) == {"note": MASK, "url": "https://x"}
    assert [n for n in ("password", "smtp_password", "client_secret", "refresh_token", "api_key") if is_secret_name(n)]
    assert not [n for n in ("text_key", "host", "monkey", "name", "tokenizer_model") if is_secret_name(n)]


def test_an_oauth_token_refresh_is_no_change_of_the_integration():
    """save_access_token rewrites the access token, its expiry, maybe a rotated refresh token, every
    hour, under whoever needed the token (audit item 3): no entry; an edit of the same item is one."""
    oauth = {"provider": "google", "access_token_expires_at": "2026-12-01T10:00:00+00:00"}
    integration = item(
        "T#t",
        "INTEGRATION#i1",
        "integration",
        id="i1",
        name="Support",
        updated_at="2026-11-30T09:00:00+00:00",
        settings={"address": "support@example.com", "oauth": oauth},
        secrets={"access_token": SEALED, "refresh_token": SEALED},
    )
    refreshed = integration | {
        "settings": {"address": "support@example.com", "oauth": oauth | {"access_token_expires_at": "later"}},
        "secrets": {"access_token": "v1.RERERERERERERERE.RUVFRUVFRUVFRUVF.RkZGRkZGRkZGRkZG", "refresh_token": "x"},
    }
    assert entries(record(integration, refreshed, by="person:agent")) == []
    renamed = refreshed | {"name": "Help", "updated_at": "2026-12-01T09:30:00+00:00"}
    (entry,) = entries(record(refreshed, renamed, by="person:admin"))
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("name", "Support", "Help")]


def test_a_knowledge_documents_text_edited_to_the_same_length_is_recorded():
    """The text is in the blob store, one per version (`text_key`): an edit of the same length
    changes none of the lengths, but its key (audit item 4); the entry says `text`, without values."""
    document = item("T#t", "KNOWLEDGE#d1", "knowledge_document", id="d1", title="Returns", size=12, characters=12)
    document["kind"] = "text"
    edited = document | {"text_key": "knowledge/t/d1/v2.txt", "version": 2}
    (entry,) = entries(record(document | {"text_key": "knowledge/t/d1/v1.txt"}, edited))
    assert (entry.kind, entry.target_id, entry.summary) == (AuditKind.KNOWLEDGE_CHANGED, "d1", "Returns")
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("text", None, None)]


def test_a_deletion_is_its_deleters():
    pk = keys.conversation_pk("t", "c1")
    marker = item(pk, keys.DELETING, "deleting", conversation_id="c1", deleted_at="x")
    (entry,) = entries(record(None, marker, by="person:admin"))
    assert (entry.kind, entry.actor_id, entry.target_id) == (AuditKind.CONVERSATION_DELETED, "admin", "c1")
    folder = item("T#t", "FOLDER#f1", "folder", id="f1", name="Billing", changed_by="person:admin;removing")
    (gone,) = entries(record(folder, None))  # stamped by its deleter just before the delete
    assert (gone.kind, gone.actor_id, gone.summary) == (AuditKind.FOLDER_CHANGED, "admin", "Billing")


def test_a_saved_reply_made_changed_and_removed_each_an_entry_with_its_text():
    # Issue 16 review, answers #4: team replies speak for the business; who wrote what is recorded.
    pk = keys.saved_replies_pk("t")
    made = item(pk, "TEAM#r1", "saved_reply", id="r1", scope="team", owner_id="u1", title="Délai", text="Sous 48 h.")
    changed = made | {"text": "Sous 24 h."}
    gone = changed | {"changed_by": "person:admin;removing"}
    (new,) = entries(record(None, made))
    (edit,) = entries(record(made, changed))
    (removal,) = entries(record(gone, None))
    assert [(e.kind, e.target_type, e.target_id, e.actor_id) for e in (new, edit, removal)] == [
        (AuditKind.SAVED_REPLY_CHANGED, "saved_reply", "r1", "u1"),
        (AuditKind.SAVED_REPLY_CHANGED, "saved_reply", "r1", "u1"),
        (AuditKind.SAVED_REPLY_CHANGED, "saved_reply", "r1", "admin"),
    ]
    assert edit.changes == (AuditChange("text", "Sous 48 h.", "Sous 24 h."),)
    assert (new.summary, {c.field for c in new.changes}) == ("Délai", {"scope", "title", "text"})


def test_what_goes_with_a_conversation_is_nobodys_removal():
    """A conversation's purge deletes its tasks and follow-ups in a batch, unstamped: no entry under
    the person who wrote them last (audit item 1); a task a person deletes is theirs."""
    pk = keys.conversation_pk("t", "c1")
    task = item(pk, "TASK#k1", "task", id="k1", conversation_id="c1", title="Call", changed_by="person:agent")
    follow_up = item(pk, "FOLLOWUP#f1", "follow_up", id="f1", conversation_id="c1", state="scheduled")
    assert entries(record(task, None)) == []
    assert entries(record(follow_up | {"changed_by": "person:agent"}, None)) == []
    assert entries(record(follow_up | {"changed_by": "person:admin;removing"}, None)) == []
    (removed,) = entries(record(task | {"changed_by": "person:admin;removing"}, None))
    assert (removed.kind, removed.actor_id, removed.target_id) == (AuditKind.TASK_CHANGED, "admin", "k1")
    folder = item("T#t", "FOLDER#f1", "folder", id="f1", name="Billing", changed_by="person:admin")
    assert entries(record(folder, None)) == []


def test_the_same_record_makes_the_same_entries():
    write = record(conversation(), conversation(status=Status.OPEN), record_id="shard-1:seq-9")
    assert entries(write) == entries(write)
    assert entries(write) != entries(record(conversation(), conversation(status=Status.OPEN), record_id="other"))


def test_the_events_functions_filter_lets_the_audited_writes_through_and_not_the_noise(template):
    source = template["Resources"]["EventsFunction"]["Properties"]["Events"]["TableChanges"]["Properties"]
    patterns = compile_filters(source["FilterCriteria"])
    pk = keys.conversation_pk("t", "c1")
    let_through = [
        record(None, item(pk, "NOTE#x", "note", id="n", conversation_id="c1")),
        record(None, item(pk, keys.DELETING, "deleting", conversation_id="c1")),
        record(None, item("T#t", "FOLDER#f", "folder", id="f")),
        record(item("T#t", "FOLDER#f", "folder", id="f"), None),
        record(None, {"PK": "T#t", "SK": keys.AI_SETTINGS, "type": "settings"}),
        record(None, item(pk, "DRAFT#m", "draft", source="auto_reply", status="pending")),
        record(None, item("T#t", "SYNC#i", "sync", integration_id="i", last_error="refused")),
        record(item(pk, "TASK#t", "task", id="t"), None),
        record(None, item(keys.saved_replies_pk("t"), "TEAM#r", "saved_reply", id="r")),  # answers review #4
        record(item(keys.saved_replies_pk("t"), "USER#u#r", "saved_reply", id="r"), None),
    ]
    kept_out = [
        record(None, {"PK": "T#t", "SK": "COUNTER#FOLDER#inbox", "total": 1}),
        record(None, item("T#t#CONNS", "CONN#x", "connection")),
        record(None, item(pk, "SUGGESTING", "suggesting")),
        record(None, item("T#t", "SYNC#i", "sync", integration_id="i")),
        record(None, {"PK": "T#t#AUDIT#2026-12", "SK": "x", "type": "audit"}),
    ]
    assert [keeps(patterns, r) for r in let_through] == [True] * len(let_through)
    assert [keeps(patterns, r) for r in kept_out] == [False] * len(kept_out)
    assert len(patterns) <= 5  # Lambda's limit of filters per event source mapping


def _field_names(model: type, prefix: str = "", nested: bool = True) -> set[str]:
    """The names the rules give a model's fields: top level, and one level into a mapping or model."""
    from typing import get_args

    from pydantic import BaseModel

    names = set()
    for name, info in model.model_fields.items():
        names.add(prefix + name)
        inner = [a for a in (info.annotation, *get_args(info.annotation)) if isinstance(a, type)]
        sub = next((a for a in inner if issubclass(a, BaseModel)), None)
        if nested and sub is not None:
            names |= _field_names(sub, f"{prefix}{name}.", nested=False)
    return names


def test_every_field_an_entry_can_name_has_words_in_the_web_app(template):
    """The web app names each changed field in English and French (audit item 9): its own word
    (`audit.field.<name>`), `secrets.<x>` as "Secret: <x>", `<a>.<b>` as "<a>: <b>" with both known."""
    from pathlib import Path

    from inbox.domain.audit_trail import _BOOKKEEPING
    from inbox.models import Conversation
    from inbox.models.business_hours import BusinessHours
    from inbox.models.conversation import ClassifiedBy
    from inbox.models.folder import Folder
    from inbox.models.follow_up import FollowUp
    from inbox.models.integration import Integration
    from inbox.models.integration_settings import SETTINGS_OF_KIND
    from inbox.models.knowledge import KnowledgeDocument
    from inbox.models.outbound_webhook import OutboundWebhook
    from inbox.models.saved_reply import SavedReply
    from inbox.models.task import Task

    names = _field_names(Folder) | _field_names(OutboundWebhook) | _field_names(FollowUp) | _field_names(BusinessHours)
    names |= _field_names(Integration) | {f"settings.{n}" for s in SETTINGS_OF_KIND.values() for n in s.model_fields}
    names |= {"secrets.password", "secrets.secret", "secrets.refresh_token", "secrets.client_secret"}
    names |= {"model", "base_url", "company_prompt", "api_key", "autoreply_limits"}  # the AI settings
    names |= {"title", "kind", "filename", "text"} & set(KnowledgeDocument.model_fields) | {"text"}
    names |= {"title", "text", "scope"} & set(SavedReply.model_fields)  # the saved replies' rule's fields
    names |= set(Task.model_fields) & {"title", "due_at", "assignee_id", "done", "conversation_id"}
    names |= {"status", "assignee_id", "folder_id", "project_id", "snoozed_until", "intent", "urgency"}
    names |= {f"classified_by.{n}" for n in ClassifiedBy.model_fields} - {"classified_by.tokens"}
    names |= {"channel", "to", "cc", "subject", "hold", "reason", "mode", "message_id", "last_error", "failures"}
    names |= {"email", "name", "role", "enabled", "invited_again"}  # the people's entries
    names = {n for n in names if n.split(".")[0] not in _BOOKKEEPING and n.split(".")[-1] not in _BOOKKEEPING}
    assert set(Conversation.model_fields) >= {"status", "intent", "urgency"}

    root = Path(__file__).resolve().parents[2]
    catalog = (root / "web/src/i18n/messages.ts").read_text()

    def known(name: str) -> bool:
        if catalog.count(f'"audit.field.{name}":') == 2:  # en and fr
            return True
        head, _, tail = name.partition(".")
        return bool(tail) and (head == "secrets" or (known(head) and known(tail)))

    missing = sorted(n for n in names if not known(n))
    assert missing == [], " ".join(missing)
