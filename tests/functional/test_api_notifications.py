"""Issue 13, item 2 through the API: assigning a conversation to someone else notifies them (not oneself),
from the conversation and in bulk; GET /notifications lists the caller's own with the unread count, marked
read one by one or all; another person's or tenant's notifications never show; the views Mine and
Unassigned are counted as the folders are (GET /folders `views`), and a migration counts those stored before."""

from __future__ import annotations

import pytest

from helpers.events import api_request, load_event
from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.migrations import Migrations
from samples import TENANT

ME = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin's user id (events/api/*.json)
OTHER_TENANT = {"custom:tenant_id": "tenant-other"}


@pytest.fixture
def lea(aws) -> dict[str, str]:
    """An agent of the sample tenant: the claims of her token."""
    sub = aws.add_person("lea@example.com", TENANT, role="agent", name="Léa Moreau")
    return {"sub": sub, "cognito:groups": "[agent]", "email": "lea@example.com"}


def conversations(post_webhook, count: int) -> list[str]:
    return [
        post_webhook(external_id=f"n{n}", thread_key=None, **{"from": {"email": f"c{n}@example.com"}})[1][
            "conversation_id"
        ]
        for n in range(count)
    ]


def notifications(api, **claims) -> dict:
    status, body = api(api_request("GET", "/notifications", **claims))
    assert status == 200, body
    return body


def views(api, **claims) -> dict:
    status, body = api(api_request("GET", "/folders", **claims))
    assert status == 200, body
    return body["views"]


def test_an_assignment_notifies_the_assignee_with_who_assigned(api, post_webhook, lea):
    [cid] = conversations(post_webhook, 1)
    status, body = api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": lea["sub"]}))
    assert status == 200, body

    mine = notifications(api, **lea)
    assert mine["unread"] == 1
    [notification] = mine["items"]
    assert notification["kind"] == "assigned"
    assert notification["conversation_id"] == cid
    assert notification["actor_id"] == ME
    assert notification["user_id"] == lea["sub"]
    assert notification["read_at"] is None
    # the one who assigned is told nothing; assigning again to the same person says nothing more
    assert notifications(api)["items"] == []
    api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": lea["sub"]}))
    assert notifications(api, **lea)["unread"] == 1


def test_taking_a_conversation_oneself_or_unassigning_notifies_nobody(api, post_webhook, lea):
    [cid] = conversations(post_webhook, 1)
    assert api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": lea["sub"]}, **lea))[0] == 200
    assert api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": None}))[0] == 200
    assert notifications(api, **lea)["items"] == []
    assert notifications(api)["items"] == []


def test_a_bulk_assignment_notifies_once_per_conversation(api, post_webhook, lea):
    ids = conversations(post_webhook, 3)
    status, body = api(api_request("POST", "/conversations/bulk", {"ids": ids, "changes": {"assignee_id": lea["sub"]}}))
    assert status == 200, body
    mine = notifications(api, **lea)
    assert mine["unread"] == 3
    assert sorted(n["conversation_id"] for n in mine["items"]) == sorted(ids)


def test_mark_one_read_then_all_and_pages_newest_first(api, post_webhook, lea):
    ids = conversations(post_webhook, 3)
    for cid in ids:
        api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": lea["sub"]}))
    first = api(api_request("GET", "/notifications?limit=2", **lea))[1]
    second = api(api_request("GET", f"/notifications?limit=2&cursor={first['next_cursor']}", **lea))[1]
    listed = [n["conversation_id"] for n in first["items"] + second["items"]]
    assert listed == list(reversed(ids))

    newest = first["items"][0]["id"]
    status, body = api(api_request("POST", f"/notifications/{newest}/read", **lea))
    assert status == 200, body
    assert body["read_at"] is not None
    assert notifications(api, **lea)["unread"] == 2

    # The bell's count comes with the folders' counters: opening the app asks for nothing more.
    assert api(api_request("GET", "/folders", **lea))[1]["notifications_unread"] == 2
    assert api(api_request("POST", "/notifications/read", **lea)) == (200, {"marked": 2, "more": False})
    assert notifications(api, **lea)["unread"] == 0
    assert api(api_request("GET", "/folders", **lea))[1]["notifications_unread"] == 0


def test_another_persons_or_tenants_notification_is_not_found(api, post_webhook, lea):
    [cid] = conversations(post_webhook, 1)
    api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": lea["sub"]}))
    [notification] = notifications(api, **lea)["items"]

    status, body = api(api_request("POST", f"/notifications/{notification['id']}/read"))  # the admin: not hers
    assert status == 404, body
    status, body = api(api_request("POST", f"/notifications/{notification['id']}/read", **lea, **OTHER_TENANT))
    assert status == 404, body
    assert notifications(api, **lea, **OTHER_TENANT)["items"] == []
    assert notifications(api, **lea)["unread"] == 1


def test_a_cursor_of_another_kind_is_a_422_on_cursor(api, lea):
    status, body = api(api_request("GET", "/notifications?cursor=bm90LW91cnM", **lea))
    assert status == 422, body
    assert "cursor" in body["error"]["message"]


def test_mine_and_unassigned_are_counted_as_events_happen(api, post_webhook, lea):
    ids = conversations(post_webhook, 3)
    assert views(api) == {"mine": {"total": 0, "unread": 0}, "unassigned": {"total": 3, "unread": 3}}

    api(api_request("PATCH", f"/conversations/{ids[0]}", {"assignee_id": ME}))
    api(api_request("POST", "/conversations/bulk", {"ids": ids[1:], "changes": {"assignee_id": lea["sub"]}}))
    api(api_request("PATCH", f"/conversations/{ids[1]}", {"unread": False}))
    assert views(api) == {"mine": {"total": 1, "unread": 1}, "unassigned": {"total": 0, "unread": 0}}
    assert views(api, **lea) == {"mine": {"total": 2, "unread": 1}, "unassigned": {"total": 0, "unread": 0}}

    api(api_request("PATCH", f"/conversations/{ids[2]}", {"status": "resolved"}))  # no longer needs anyone
    api(api_request("PATCH", f"/conversations/{ids[0]}", {"assignee_id": None}))
    assert views(api) == {"mine": {"total": 0, "unread": 0}, "unassigned": {"total": 1, "unread": 1}}
    assert views(api, **lea)["mine"] == {"total": 1, "unread": 0}
    # another tenant counts its own only
    assert views(api, **OTHER_TENANT)["unassigned"] == {"total": 0, "unread": 0}


def test_the_migration_counts_the_conversations_stored_before_the_counters(aws, api, post_webhook, lea):
    ids = conversations(post_webhook, 2)
    api(api_request("PATCH", f"/conversations/{ids[0]}", {"assignee_id": lea["sub"]}))
    expected = (views(api), views(api, **lea))
    for assignee in ("none", lea["sub"]):  # as a table written before issue 13 has them: none
        aws.dynamodb.delete_item(
            TableName=aws.table,
            Key={"PK": {"S": keys.tenant(TENANT)}, "SK": {"S": keys.assignee_counter_sk(assignee)}},
        )
    assert views(api)["unassigned"] == {"total": 0, "unread": 0}

    Migrations(aws.dynamodb, aws.table).count_by_assignee()
    assert (views(api), views(api, **lea)) == expected


def test_the_sample_events_list_then_mark_read(api):
    from inbox import wiring
    from inbox.models.notification import NotificationKind

    notifications = wiring.notifications()
    first = notifications.notify(TENANT, ME, NotificationKind.TASK_DUE, task_id="k1", text="Rappeler Mme Roux")
    notifications.notify(TENANT, ME, NotificationKind.TEMPLATE_NEEDED, conversation_id="c1")

    status, page = api(load_event("api/list_notifications.json"))  # the sample caller is ME
    assert (status, page["unread"], len(page["items"])) == (200, 2, 2), page
    status, read = api(load_event("api/mark_notification_read.json", NOTIFICATION_ID=first.id))
    assert (status, read["id"]) == (200, first.id), read
    assert read["read_at"] is not None
    assert api(load_event("api/mark_notifications_read.json")) == (200, {"marked": 1, "more": False})


def test_mark_all_read_marks_a_bounded_batch_per_call_and_says_when_more_remain(api, lea, monkeypatch):
    from inbox import wiring
    from inbox.models.notification import NotificationKind
    from inbox.services import notifications as service

    monkeypatch.setattr(service, "MARK_ALL_AT_ONCE", 2)
    for n in range(5):
        wiring.notifications().notify(TENANT, lea["sub"], NotificationKind.TASK_DUE, task_id=f"k{n}")
    answers = [api(api_request("POST", "/notifications/read", **lea)) for _ in range(3)]
    assert answers == [
        (200, {"marked": 2, "more": True}),
        (200, {"marked": 2, "more": True}),
        (200, {"marked": 1, "more": False}),
    ]
    assert notifications(api, **lea)["unread"] == 0
