"""POST /inbox/conversations/bulk: one change for many conversations, each made as PATCH makes it
(counters kept right), with an answer per id; another tenant's ids are not found, never changed."""

from __future__ import annotations

from helpers.events import api_request
from inbox import wiring
from inbox.errors import ConcurrentUpdateError
from samples import AGENT, TENANT

INTRUDER = {"custom:tenant_id": "intruder"}


def conversations(post_webhook, count: int, **changes) -> list[str]:
    return [
        post_webhook(external_id=f"bulk{n}", thread_key=None, **{"from": {"email": f"c{n}@example.com"}}, **changes)[1][
            "conversation_id"
        ]
        for n in range(count)
    ]


def bulk(api, ids, changes, **claims):
    return api(api_request("POST", "/conversations/bulk", {"ids": ids, "changes": changes}, **claims))


def test_bulk_resolves_and_reads_each_conversation_and_the_counters_follow(api, post_webhook):
    ids = conversations(post_webhook, 4)
    assert wiring.store().folder_counters(TENANT) == {"inbox": {"total": 4, "unread": 4}}
    status, body = bulk(api, ids[:3], {"status": "resolved"})
    assert status == 200, body
    assert [(r["id"], r["result"], r["conversation"]["status"]) for r in body["results"]] == [
        (i, "changed", "resolved") for i in ids[:3]
    ]
    assert wiring.store().folder_counters(TENANT) == {"inbox": {"total": 1, "unread": 1}}

    status, body = bulk(api, ids, {"unread": False}, **AGENT)  # agents too, as with PATCH
    assert status == 200
    assert {r["result"] for r in body["results"]} == {"changed"}
    assert wiring.store().folder_counters(TENANT) == {"inbox": {"total": 1, "unread": 0}}
    status, body = bulk(api, ids[3:], {"unread": True})
    assert wiring.store().folder_counters(TENANT) == {"inbox": {"total": 1, "unread": 1}}


def test_bulk_moves_and_assigns_pinning_the_folder(aws, api, post_webhook):
    marie = aws.add_person("marie@example.com", TENANT, name="Marie")  # an assignee is a person of the tenant
    ids = conversations(post_webhook, 3)
    orders = api(api_request("POST", "/folders", {"name": "Orders"}))[1]["id"]
    status, body = bulk(api, ids[:2], {"folder_id": orders, "assignee_id": marie})
    assert status == 200, body
    for result in body["results"]:
        assert (result["conversation"]["folder_id"], result["conversation"]["folder_pinned"]) == (orders, True)
        assert result["conversation"]["assignee_id"] == marie
    assert wiring.store().folder_counters(TENANT) == {
        "inbox": {"total": 1, "unread": 1},
        orders: {"total": 2, "unread": 2},
    }
    status, body = bulk(api, ids[:1], {"assignee_id": None, "folder_id": None})
    assert body["results"][0]["conversation"]["assignee_id"] is None
    assert wiring.store().folder_counters(TENANT)[orders] == {"total": 1, "unread": 1}


def test_another_tenants_ids_are_not_found_and_never_changed(api, post_webhook):
    ours = conversations(post_webhook, 2)
    status, body = bulk(api, [*ours, "no-such-id"], {"status": "spam"}, **INTRUDER)
    assert status == 200
    assert [(r["id"], r["result"], r["conversation"]) for r in body["results"]] == [
        (ours[0], "not_found", None),
        (ours[1], "not_found", None),
        ("no-such-id", "not_found", None),
    ]
    store = wiring.store()
    assert [store.get_conversation(TENANT, i).status for i in ours] == ["new", "new"]
    assert [store.get_conversation(TENANT, i).version for i in ours] == [1, 1]
    assert store.folder_counters(TENANT) == {"inbox": {"total": 2, "unread": 2}}
    assert store.folder_counters("intruder") == {}


def test_a_conversation_others_keep_changing_is_a_conflict_and_the_rest_are_changed(api, post_webhook, monkeypatch):
    ids = conversations(post_webhook, 3)
    store = wiring.store()
    save = store.save_conversation

    def busy(before, after):
        if before.id == ids[1]:
            raise ConcurrentUpdateError(before.id)
        save(before, after)

    monkeypatch.setattr(store, "save_conversation", busy)
    monkeypatch.setattr("inbox.services.conversations.time.sleep", lambda _: None)
    status, body = bulk(api, ids, {"status": "resolved"})
    assert status == 200
    assert [r["result"] for r in body["results"]] == ["changed", "conflict", "changed"]
    assert store.get_conversation(TENANT, ids[1]).status == "new"
    assert store.folder_counters(TENANT) == {"inbox": {"total": 1, "unread": 1}}


def test_bulk_refuses_what_patch_refuses_and_changes_nothing(api, post_webhook):
    ids = conversations(post_webhook, 2)
    for changes, field in (
        ({"folder_id": "no-such-folder"}, "folder_id"),
        ({"status": "done"}, "changes.status"),
        ({"unread": None}, "changes.unread"),
        ({"colour": "red"}, "changes.colour"),
    ):
        status, body = bulk(api, ids, changes)
        assert status == 422, changes
        assert body["error"]["message"].split(":")[0] == field, body
    assert bulk(api, [], {"status": "open"})[0] == 422
    assert bulk(api, [f"c{n}" for n in range(101)], {"status": "open"})[0] == 422
    assert api(api_request("POST", "/conversations/bulk", {"changes": {"status": "open"}}))[0] == 422
    assert [wiring.store().get_conversation(TENANT, i).version for i in ids] == [1, 1]


def test_a_repeated_id_is_changed_and_answered_once(api, post_webhook):
    [one] = conversations(post_webhook, 1)
    status, body = bulk(api, [one, one], {"status": "open"})
    assert (status, [r["id"] for r in body["results"]]) == (200, [one])
    assert wiring.store().get_conversation(TENANT, one).version == 2
