"""Tasks (issue 13, item 5; contract C) through the API function under moto: made from a conversation,
listed there and in "My tasks" by due date, done and reopened, deleted; the due reminder is a one-time
schedule that fires (the clock moved on, never slept) and notifies the assignee, once; another tenant's
tasks answer 404; bad input is a 422 naming the field."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from helpers.events import LambdaContext, api_request, load_event
from helpers.schedules import fire_due, scheduled
from inbox import wiring
from inbox.models.notification import NotificationKind
from samples import TENANT

T0 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)
ME = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin's sub (events/api/*.json)
OTHER_TENANT = {"custom:tenant_id": "tenant-other"}


@pytest.fixture
def clock(aws):
    clock = wiring.clock()
    clock.set(T0)
    return clock


@pytest.fixture
def conversation(api, post_webhook) -> str:
    status, accepted = post_webhook()
    assert status == 202, accepted
    return accepted["conversation_id"]


def at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).isoformat()


def create(api, conversation_id: str, title: str = "Call the customer back", hours: float = 2, **fields):
    body = {"title": title, "due_at": at(hours)} | fields
    return api(api_request("POST", f"/conversations/{conversation_id}/tasks", body))


def made(api, conversation_id: str, **options) -> dict:
    status, task = create(api, conversation_id, **options)
    assert status == 201, task
    return task


def listed(api, query: str = "", **claims) -> list[str]:
    status, page = api(api_request("GET", f"/tasks{query}", **claims))
    assert status == 200, page
    return [t["title"] for t in page["items"]]


def task_notifications(user_id: str) -> list:
    items = wiring.notifications().page(TENANT, user_id, limit=20).items
    return [n for n in items if n.kind is NotificationKind.TASK_DUE]


def test_a_task_is_made_from_a_conversation_and_listed_there_and_in_my_tasks_by_due_date(
    api, clock, conversation, post_webhook
):
    task = made(api, conversation, title="Send the invoice", hours=5)
    assert (task["conversation_id"], task["assignee_id"], task["created_by"], task["done"]) == (
        conversation,
        ME,
        ME,
        False,
    )
    assert task["due_at"] == "2030-03-04T14:00:00Z"
    made(api, conversation, title="Call back", hours=1)
    sender = {"name": "Other Customer", "email": "other@example.net"}
    _, other = post_webhook(external_id="another-message", thread_key="other", **{"from": sender})
    assert other["conversation_id"] != conversation
    made(api, other["conversation_id"], title="Check the stock", hours=3)

    assert listed(api) == ["Call back", "Check the stock", "Send the invoice"]
    assert listed(api, f"?assignee={ME}&status=open") == ["Call back", "Check the stock", "Send the invoice"]
    status, here = api(api_request("GET", f"/conversations/{conversation}/tasks"))
    assert status == 200
    assert [t["title"] for t in here["items"]] == ["Call back", "Send the invoice"]
    status, one = api(api_request("GET", f"/tasks/{task['id']}"))
    assert (status, one) == (200, task)


def test_my_tasks_page_by_cursor(api, clock, conversation):
    for hours in (4, 1, 3, 2, 5):
        made(api, conversation, title=f"due in {hours} h", hours=hours)
    status, first = api(api_request("GET", "/tasks?limit=2"))
    assert status == 200
    titles = [t["title"] for t in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        status, page = api(api_request("GET", f"/tasks?limit=2&cursor={cursor}"))
        assert status == 200
        titles += [t["title"] for t in page["items"]]
        cursor = page["next_cursor"]
    assert titles == [f"due in {h} h" for h in (1, 2, 3, 4, 5)]
    status, body = api(api_request("GET", "/tasks?cursor=bm90LW91cnM"))
    assert (status, body["error"]["code"]) == (422, "invalid_field")


def test_complete_and_reopen_move_the_task_between_the_lists_and_its_reminder_follows(api, clock, conversation):
    task = made(api, conversation, title="Refund", hours=2)
    name = f"task.{TENANT}.{task['id']}"
    assert name in scheduled()

    clock.advance(timedelta(minutes=10))
    status, done = api(api_request("PATCH", f"/tasks/{task['id']}", {"done": True}))
    assert status == 200, done
    assert (done["done"], done["done_by"], done["done_at"]) == (True, ME, "2030-03-04T09:10:00Z")
    assert listed(api) == []
    assert listed(api, "?status=done") == ["Refund"]
    assert name not in scheduled()

    status, reopened = api(api_request("PATCH", f"/tasks/{task['id']}", {"done": False}))
    assert status == 200
    assert (reopened["done"], reopened["done_at"], reopened["done_by"]) == (False, None, None)
    assert listed(api) == ["Refund"]
    assert scheduled()[name]["ScheduleExpression"] == "at(2030-03-04T11:00:00)"


def test_the_due_reminder_fires_when_the_clock_reaches_it_and_notifies_the_assignee_once(aws, api, clock, conversation):
    agent = aws.add_person("agent@example.com", TENANT)
    task = made(api, conversation, title="Ship the parcel", hours=1, assignee_id=agent)
    assert listed(api, f"?assignee={agent}") == ["Ship the parcel"]

    clock.advance(timedelta(minutes=59))
    assert fire_due() == []
    assert task_notifications(agent) == []

    clock.advance(timedelta(minutes=1))
    assert fire_due() == [f"task.{TENANT}.{task['id']}"]
    [notification] = task_notifications(agent)
    assert (notification.task_id, notification.conversation_id, notification.text) == (
        task["id"],
        conversation,
        "Ship the parcel",
    )
    assert task_notifications(ME) == []
    assert scheduled() == {}

    # The scheduler delivers the same job again: told once.
    from functions.scheduled import app

    job = {"job": "task_due", "tenant_id": TENANT, "task_id": task["id"], "due_at": at(1)}
    assert app.lambda_handler(job, LambdaContext()) == {"outcome": "reminded already"}
    assert len(task_notifications(agent)) == 1


def test_a_done_or_moved_or_deleted_tasks_reminder_does_nothing(api, clock, conversation):
    from functions.scheduled import app

    def fire(task: dict, hours: float) -> str:
        job = {"job": "task_due", "tenant_id": TENANT, "task_id": task["id"], "due_at": at(hours)}
        return app.lambda_handler(job, LambdaContext())["outcome"]

    done = made(api, conversation, title="done", hours=1)
    api(api_request("PATCH", f"/tasks/{done['id']}", {"done": True}))
    moved = made(api, conversation, title="moved", hours=1)
    status, changed = api(api_request("PATCH", f"/tasks/{moved['id']}", {"due_at": at(6)}))
    assert (status, changed["due_at"]) == (200, "2030-03-04T15:00:00Z")
    deleted = made(api, conversation, title="deleted", hours=1)
    status, _ = api(api_request("DELETE", f"/tasks/{deleted['id']}"))
    assert status == 204

    clock.advance(timedelta(hours=1))
    assert fire(done, 1) == "done"
    assert fire(moved, 1) == "moved"
    assert fire(deleted, 1) == "gone"
    assert fire_due() == []  # only the moved one is still scheduled, at its new date
    assert list(scheduled()) == [f"task.{TENANT}.{moved['id']}"]
    assert json.loads(scheduled()[f"task.{TENANT}.{moved['id']}"]["Target"]["Input"])["due_at"] == at(6).replace(
        "+00:00", "Z"
    )
    assert task_notifications(ME) == []
    clock.advance(timedelta(hours=5))
    assert fire_due() == [f"task.{TENANT}.{moved['id']}"]
    assert [n.text for n in task_notifications(ME)] == ["moved"]


def test_reassigning_moves_the_task_to_the_new_assignees_list(aws, api, clock, conversation):
    agent = aws.add_person("agent@example.com", TENANT)
    task = made(api, conversation, title="Quote", hours=2)
    status, changed = api(api_request("PATCH", f"/tasks/{task['id']}", {"assignee_id": agent, "title": "New quote"}))
    assert (status, changed["assignee_id"], changed["title"]) == (200, agent, "New quote")
    assert listed(api) == []
    assert listed(api, f"?assignee={agent}") == ["New quote"]
    clock.advance(timedelta(hours=2))
    fire_due()
    assert [n.text for n in task_notifications(agent)] == ["New quote"]


def test_another_tenants_tasks_and_conversations_answer_404(api, clock, conversation):
    task = made(api, conversation)
    for method, path, body in [
        ("GET", f"/tasks/{task['id']}", None),
        ("PATCH", f"/tasks/{task['id']}", {"done": True}),
        ("DELETE", f"/tasks/{task['id']}", None),
        ("GET", f"/conversations/{conversation}/tasks", None),
        ("POST", f"/conversations/{conversation}/tasks", {"title": "x", "due_at": at(1)}),
    ]:
        status, answer = api(api_request(method, path, body, **OTHER_TENANT))
        assert (status, answer["error"]["code"]) == (404, "not_found"), (method, path)
    assert listed(api, f"?assignee={ME}", **OTHER_TENANT) == []
    assert listed(api) == ["Call the customer back"]  # untouched


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x", "due_at": (T0 - timedelta(minutes=1)).isoformat()}, "due_at"),
        ({"title": "x", "due_at": "2030-03-04T12:00:00"}, "due_at"),  # no time zone
        ({"title": "", "due_at": at(1)}, "title"),
        ({"title": "a\nb", "due_at": at(1)}, "title"),
        ({"title": "x", "due_at": at(1), "assignee_id": "nobody-here"}, "assignee_id"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, clock, conversation, body, field):
    status, answer = api(api_request("POST", f"/conversations/{conversation}/tasks", body))
    assert status == 422, answer
    assert answer["error"]["message"].startswith(f"{field}:") or f"{field}:" in answer["error"]["message"]


def test_an_assignee_of_another_tenant_or_a_past_due_date_in_a_change_is_a_422(aws, api, clock, conversation):
    outsider = aws.add_person("outsider@example.com", "tenant-other")
    task = made(api, conversation)
    for changes, field in [
        ({"assignee_id": outsider}, "assignee_id"),
        ({"due_at": (T0 - timedelta(hours=1)).isoformat()}, "due_at"),
        ({"done": None}, "done"),
    ]:
        status, answer = api(api_request("PATCH", f"/tasks/{task['id']}", changes))
        assert status == 422, answer
        assert answer["error"]["message"].startswith(f"{field}:"), answer
    status, answer = create(api, conversation, assignee_id=outsider)
    assert (status, answer["error"]["message"].split(":")[0]) == (422, "assignee_id")


def test_a_task_on_an_unknown_conversation_is_404(api, clock):
    status, answer = create(api, "0190c0ffee00000000000000ff")
    assert (status, answer["error"]["code"]) == (404, "not_found")


def test_the_sample_events_make_list_complete_and_delete_a_task(api, clock, conversation):
    status, task = api(load_event("api/create_task.json", CONVERSATION_ID=conversation))
    assert (status, task["due_at"]) == (201, "2030-03-04T10:00:00Z")
    assert task["title"] == "Rappeler Mme Martin pour la commande 1042"
    status, here = api(load_event("api/list_conversation_tasks.json", CONVERSATION_ID=conversation))
    assert (status, [t["id"] for t in here["items"]]) == (200, [task["id"]])
    status, mine = api(load_event("api/list_tasks.json"))
    assert (status, [t["id"] for t in mine["items"]]) == (200, [task["id"]])
    assert api(load_event("api/get_task.json", TASK_ID=task["id"])) == (200, task)
    status, done = api(load_event("api/update_task.json", TASK_ID=task["id"]))
    assert (status, done["done"]) == (200, True)
    assert api(load_event("api/delete_task.json", TASK_ID=task["id"]))[0] == 204
    assert api(load_event("api/get_task.json", TASK_ID=task["id"]))[0] == 404


def test_a_reminder_that_cannot_be_scheduled_leaves_no_task_and_no_change_behind(api, clock, conversation, monkeypatch):
    """The reminder is written before the task: a failing Scheduler is a 503 with nothing stored (the
    retry makes one task, not two), and a change it refuses leaves the task and its reminder as they were."""
    from inbox.adapters.schedules import OneTimeSchedules
    from inbox.errors import TransientError

    kept = made(api, conversation, title="Kept", hours=2)
    name = f"task.{TENANT}.{kept['id']}"

    def refused(self, *args, **kwargs):
        raise TransientError("Scheduler create_schedule: ThrottlingException")

    with monkeypatch.context() as patch:
        patch.setattr(OneTimeSchedules, "put", refused)
        status, _ = create(api, conversation, title="Refused", hours=3)
        assert status == 503
        status, _ = api(api_request("PATCH", f"/tasks/{kept['id']}", {"due_at": at(5)}))
        assert status == 503

    assert listed(api) == ["Kept"]
    status, one = api(api_request("GET", f"/tasks/{kept['id']}"))
    assert (status, one["due_at"]) == (200, "2030-03-04T11:00:00Z")
    assert list(scheduled()) == [name]
    assert scheduled()[name]["ScheduleExpression"] == "at(2030-03-04T11:00:00)"


def test_a_change_not_saved_puts_the_reminder_back_where_the_task_is(api, clock, conversation, monkeypatch):
    from inbox.adapters.dynamodb.tasks import TaskStore
    from inbox.errors import TransientError

    task = made(api, conversation, title="Kept", hours=2)
    name = f"task.{TENANT}.{task['id']}"

    def refused(self, before, after):
        raise TransientError("DynamoDB: ProvisionedThroughputExceededException")

    with monkeypatch.context() as patch:
        patch.setattr(TaskStore, "save_task", refused)
        status, _ = api(api_request("PATCH", f"/tasks/{task['id']}", {"due_at": at(5)}))
        assert status == 503
        status, _ = api(api_request("PATCH", f"/tasks/{task['id']}", {"done": True}))
        assert status == 503

    assert scheduled()[name]["ScheduleExpression"] == "at(2030-03-04T11:00:00)"
