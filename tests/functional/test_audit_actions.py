"""The audit trail end to end under moto (issue 14, item 3): actions through the API (and a worker),
the table's changes as stream records (moto's table has no stream here) passed through the template's
EventsFunction filter to the audit reader, then the entries read back through GET /audit: each action
leaves one entry with the right person and fields; no secret in any entry; a batch read twice leaves
one entry each; a conversation's history."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpers.classify import classify_queued, create_folder, write
from helpers.events import api_request, load_event
from helpers.vonage import invoke, sms, sms_event
from helpers.workers import run_purges
from inbox import wiring
from inbox.adapters.dynamodb.stream_events import item_writes
from local.event_filters import compile_filters, keeps
from samples import WEBHOOK_SECRET

ME = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin's sub (events/api/*.json)
OTHER_ADMIN = {"sub": "admin-2", "cognito:groups": "[admin]"}
AGENT = {"sub": "agent-1", "cognito:groups": "[agent]"}
AI_KEY = "sk-audit-secret-0123456789abcdef"
SMS_PASSWORD = "imap-app-password"


class Trail:
    """Run an action, then hand what it changed in the table to the audit reader, as the stream would:
    one record per write the store sent (its client's calls watched), so an item written twice in one
    action (stamped by its deleter, then deleted) gives both records, as DynamoDB's stream does."""

    _WRITES = frozenset(("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"))

    def __init__(self, aws: Any, template: dict[str, Any]):
        source = template["Resources"]["EventsFunction"]["Properties"]["Events"]["TableChanges"]["Properties"]
        self._filters = compile_filters(source["FilterCriteria"])
        self._aws = aws
        self._runs = 0
        self._seen: dict[tuple[str, str], dict[str, Any]] = {}
        self.records: list[dict[str, Any]] = []

    def _snapshot(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(i["PK"]["S"], i["SK"]["S"]): i for i in self._aws.all_items()}

    def _changes(self) -> list[dict[str, Any]]:
        """The records of what changed since the last look."""
        before, after = self._seen, self._snapshot()
        self._seen = after
        records = []
        for where in sorted(before.keys() | after.keys()):
            old, new = before.get(where), after.get(where)
            if old == new:
                continue
            stream: dict[str, Any] = {"Keys": {"PK": (new or old)["PK"], "SK": (new or old)["SK"]}}
            stream["ApproximateCreationDateTime"] = time.time()
            stream |= {"NewImage": new} if new else {}
            stream |= {"OldImage": old} if old else {}
            name = "REMOVE" if new is None else "MODIFY" if old is not None else "INSERT"
            records.append({"eventID": f"run{self._runs}-{len(records)}", "eventName": name, "dynamodb": stream})
        return records

    def after(self, act: Callable[[], Any]) -> Any:
        self._seen = self._snapshot()
        self._runs += 1
        records: list[dict[str, Any]] = []

        def written(model: Any, **_: Any) -> None:
            if model.name in self._WRITES:
                records.extend(self._changes())

        client = wiring.store()._client
        client.meta.events.register("after-call.dynamodb", written, unique_id="audit-trail-test")
        try:
            result = act()
        finally:
            client.meta.events.unregister("after-call.dynamodb", unique_id="audit-trail-test")
        records += self._changes()  # written through another client
        for n, record in enumerate(records):
            record["eventID"] = f"run{self._runs}-{n}"
        self.records = [r for r in records if keeps(self._filters, r)]
        wiring.audit_trail().take(item_writes(self.records))
        return result


@pytest.fixture
def trail(aws, template) -> Trail:
    return Trail(aws, template)


def entries(api, query: str = "") -> list[dict[str, Any]]:
    today = datetime.now(UTC).date().isoformat()
    status, page = api(api_request("GET", f"/audit?from={today}&limit=100{query}"))
    assert status == 200, page
    return page["items"]


def ok(answer: tuple[int, Any], expected: int = 200) -> Any:
    status, body = answer
    assert status == expected, body
    return body


def test_a_persons_actions_on_a_conversation_each_leave_one_entry(api, trail, post_webhook):
    conversation_id = ok(post_webhook(), 202)["conversation_id"]
    path = f"/conversations/{conversation_id}"
    folder_id = ok(api(api_request("POST", "/folders", {"name": "Factures"})), 201)["id"]
    project_id = ok(api(load_event("api/create_project.json")), 201)["id"]
    before = len(entries(api))

    trail.after(lambda: ok(api(api_request("PATCH", path, {"status": "open"}))))
    trail.after(lambda: ok(api(api_request("PATCH", path, {"assignee_id": ME}))))
    trail.after(lambda: ok(api(api_request("PATCH", path, {"folder_id": folder_id}))))
    trail.after(lambda: ok(api(api_request("PATCH", path, {"project_id": project_id}))))
    trail.after(lambda: ok(api(api_request("POST", f"{path}/notes", {"text": "Refund approved."})), 201))
    until = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()
    trail.after(lambda: ok(api(api_request("POST", f"{path}/snooze", {"until": until}))))

    made = entries(api)[: len(entries(api)) - before]
    by_kind = {e["kind"]: e for e in made}
    assert sorted(by_kind) == [
        "conversation.assigned",
        "conversation.moved",
        "conversation.project",
        "conversation.snoozed",
        "conversation.status",
        "message.noted",
    ]
    assert len(made) == 6
    assert {(e["actor"]["type"], e["actor"]["id"], e["conversation_id"]) for e in made} == {
        ("person", ME, conversation_id)
    }
    assert by_kind["conversation.status"]["changes"] == [{"field": "status", "before": "new", "after": "open"}]
    assert by_kind["conversation.assigned"]["changes"] == [{"field": "assignee_id", "before": None, "after": ME}]
    assert by_kind["conversation.moved"]["changes"] == [{"field": "folder_id", "before": None, "after": folder_id}]
    assert by_kind["conversation.project"]["changes"][0]["after"] == project_id
    assert by_kind["conversation.snoozed"]["changes"][0]["after"].startswith(until[:19])
    assert by_kind["message.noted"]["summary"] == "Refund approved."

    # The conversation's own history: the same entries, for anyone who may read it (an agent too).
    agent = {"sub": "agent-1", "cognito:groups": "[agent]"}
    history = ok(api(api_request("GET", f"{path}/history", **agent)))["items"]
    assert {e["id"] for e in made} <= {e["id"] for e in history}

    # Deleted: who deleted it (the #DELETING marker the deletion writes first).
    trail.after(lambda: ok(api(api_request("DELETE", path)), 202))
    (deleted,) = [e for e in entries(api) if e["kind"] == "conversation.deleted"]
    assert (deleted["actor"]["id"], deleted["target"]) == (ME, {"type": "conversation", "id": conversation_id})


def test_a_reply_is_the_persons(api, trail, vonage_integration, fake):
    ok(invoke("sms", sms_event("sms_json", sms(fake, "Un devis pour 3 fenêtres ?"))))
    conversation_id = ok(api(load_event("api/list_conversations.json")))["items"][0]["id"]
    body = {"text": "Voici notre devis."}
    before = {e["id"] for e in entries(api)}
    trail.after(lambda: ok(api(api_request("POST", f"/conversations/{conversation_id}/messages", body)), 201))
    # exactly one entry: the reply opens the new conversation in the same write (audit item 2)
    (reply,) = [e for e in entries(api) if e["id"] not in before]
    assert reply["kind"] == "message.replied"
    assert (reply["actor"], reply["conversation_id"], reply["summary"]) == (
        {"type": "person", "id": ME},
        conversation_id,
        "Voici notre devis.",
    )


def test_configuration_changes_are_recorded_with_secrets_masked(api, trail):
    # Integrations: the custom webhook's secret, sealed in the table, masked in the entry.
    created = trail.after(lambda: ok(api(load_event("api/create_integration.json")), 201))
    # AI settings: the tenant's own key.
    trail.after(lambda: ok(api(api_request("PUT", "/settings/ai", {"api_key": AI_KEY, "model": "gpt-4o-mini"}))))
    # Outbound webhooks: their signing secret.
    webhook = {"url": "https://hooks.example.com/inbox", "events": ["message.received"]}
    trail.after(lambda: ok(api(api_request("POST", "/webhooks", webhook)), 201))
    # Folders: made, renamed, deleted (who deleted it: the item is stamped by its deleter first).
    folder = trail.after(lambda: ok(api(api_request("POST", "/folders", {"name": "Devis"})), 201))
    renamed = {"name": "Quotes"}
    trail.after(lambda: ok(api(api_request("PUT", f"/folders/{folder['id']}", renamed))))
    trail.after(lambda: ok(api(api_request("DELETE", f"/folders/{folder['id']}", **OTHER_ADMIN)), 204))
    # Knowledge: a document typed in.
    trail.after(lambda: ok(api(load_event("api/create_knowledge_document.json")), 201))

    made = entries(api)
    kinds = [e["kind"] for e in reversed(made)]
    assert kinds == [
        "integration.changed",
        "settings.changed",
        "webhook.changed",
        "folder.changed",
        "folder.changed",
        "folder.changed",
        "knowledge.changed",
    ]
    assert {e["actor"]["type"] for e in made} == {"person"}
    assert [e["actor"]["id"] for e in reversed(made)] == [ME] * 5 + [OTHER_ADMIN["sub"], ME]
    integration = made[-1]
    assert integration["target"] == {"type": "integration", "id": created["id"]}
    assert {"field": "secrets.secret", "before": None, "after": "••••"} in integration["changes"]
    settings = next(e for e in made if e["kind"] == "settings.changed")
    assert {"field": "api_key", "before": None, "after": "••••"} in settings["changes"]
    webhook_entry = next(e for e in made if e["kind"] == "webhook.changed")
    assert {"field": "secret", "before": None, "after": "••••"} in webhook_entry["changes"]
    folders = [e for e in reversed(made) if e["kind"] == "folder.changed"]
    assert {"field": "name", "before": "Devis", "after": "Quotes"} in folders[1]["changes"]
    # the folder deleted by another admin than the one who made and renamed it: theirs
    assert (folders[2]["target"]["id"], folders[2]["actor"]["id"]) == (folder["id"], OTHER_ADMIN["sub"])
    # No secret, plain or sealed, in any entry.
    text = json.dumps(made)
    for secret in (WEBHOOK_SECRET, AI_KEY, "v1."):
        assert secret not in text


def test_people_invited_and_changed_are_recorded_by_their_service(api, aws):
    invited = ok(api(load_event("api/invite_user.json")), 201)
    ok(api(api_request("PATCH", f"/users/{invited['id']}", {"role": "admin"})))
    made = [e for e in entries(api) if e["kind"] == "user.changed"]
    assert [e["target"] for e in made] == [{"type": "user", "id": invited["id"]}] * 2
    assert {"field": "role", "before": "agent", "after": "admin"} in made[0]["changes"]
    assert {"field": "email", "before": None, "after": "nour@example.com"} in made[1]["changes"]
    assert {e["actor"]["id"] for e in made} == {ME}


def test_a_person_invited_again_is_told_apart_and_a_failed_entry_fails_no_change(api, monkeypatch):
    """Audit item 11: inviting a waiting person again is not a new invitation (it says so, from the
    role they had); an entry that cannot be written leaves the change made and the answer 200."""
    invited = ok(api(load_event("api/invite_user.json")), 201)
    ok(api(load_event("api/invite_user.json")), 201)  # not signed in yet: the invitation sent again
    made = [e for e in entries(api) if e["kind"] == "user.changed"]
    assert [e["target"]["id"] for e in made] == [invited["id"]] * 2
    assert made[0]["changes"] == [{"field": "invited_again", "before": None, "after": True}]  # nothing else moved

    def refused(*_: Any, **__: Any) -> None:
        raise RuntimeError("DynamoDB unavailable")

    monkeypatch.setattr(type(wiring.store()), "put_audit_entries", refused)
    changed = ok(api(api_request("PATCH", f"/users/{invited['id']}", {"role": "admin"})))
    assert changed["role"] == "admin"


def test_a_batch_read_twice_leaves_one_entry_each(api, trail, post_webhook):
    conversation_id = ok(post_webhook(), 202)["conversation_id"]
    trail.after(lambda: ok(api(api_request("PATCH", f"/conversations/{conversation_id}", {"status": "resolved"}))))
    once = entries(api)
    wiring.audit_trail().take(item_writes(trail.records))  # Lambda reads the batch again after a failure
    assert entries(api) == once
    assert [e["kind"] for e in once].count("conversation.status") == 1


def test_the_classifier_is_the_system(api, trail, post_webhook, aws):
    """A rule files the conversation: the classify worker's entry, not a person's."""
    rules = {"any": [{"field": "subject", "op": "contains", "value": "commande"}]}
    folder_id = create_folder(api, {"name": "Commandes", "rules": rules})
    aws.queued()  # the new folder's reclassify job: nothing to move yet
    write(post_webhook, "m1", "Où en est-elle ?", subject="Ma commande 1042")
    answers = trail.after(lambda: classify_queued(aws))
    assert all(answer["batchItemFailures"] == [] for answer in answers)
    (classified,) = [e for e in entries(api) if e["kind"] == "conversation.classified"]
    assert classified["actor"] == {"type": "system", "id": "classify"}
    assert {"field": "folder_id", "before": None, "after": folder_id} in classified["changes"]
    assert classified["summary"] == "rule"


def test_a_conversations_tasks_and_follow_ups_go_with_it_under_nobody_elses_name(api, trail, post_webhook, aws):
    """An agent made a task and a follow-up; an admin deletes the conversation: one entry, the
    admin's deletion, and none naming the agent for what the purge removes with it."""
    conversation_id = ok(post_webhook(), 202)["conversation_id"]
    path = f"/conversations/{conversation_id}"
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    task = ok(api(api_request("POST", f"{path}/tasks", {"title": "Rappeler", "due_at": later}, **AGENT)), 201)
    ok(api(api_request("POST", f"{path}/follow-ups", {"due_at": later, "action": "reopen"}, **AGENT)), 201)
    before = {e["id"] for e in entries(api)}

    trail.after(lambda: ok(api(api_request("DELETE", path)), 202))
    trail.after(lambda: run_purges(aws))

    made = [e for e in entries(api) if e["id"] not in before]
    assert [(e["kind"], e["actor"]["id"]) for e in made] == [("conversation.deleted", ME)]
    assert task["id"] not in json.dumps(made)


def test_a_task_deleted_by_another_person_is_theirs(api, trail, post_webhook):
    conversation_id = ok(post_webhook(), 202)["conversation_id"]
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    body = {"title": "Rappeler", "due_at": later}
    task = ok(api(api_request("POST", f"/conversations/{conversation_id}/tasks", body, **AGENT)), 201)
    before = {e["id"] for e in entries(api)}
    trail.after(lambda: ok(api(api_request("DELETE", f"/tasks/{task['id']}")), 204))
    (removed,) = [e for e in entries(api) if e["id"] not in before]
    assert (removed["kind"], removed["actor"]["id"], removed["target"]) == (
        "task.changed",
        ME,
        {"type": "task", "id": task["id"]},
    )
