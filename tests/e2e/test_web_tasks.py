"""Tasks in a real browser (issue 13, item 5), and their due reminder on the local stack: a task made
through the API for a few seconds ahead is reminded by the stack's own one-time schedule (created
through the Scheduler API, fired at its time, then deleted); axe on each screen."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests

from helpers.local_stack import aws_client, sign_in
from helpers.web import api_get, run_browser

pytestmark = pytest.mark.e2e


def invite_agent(info: dict, token: str, name: str) -> str:
    email = f"agent-{secrets.token_hex(3)}@{info['tenant_id']}.example.com"
    answer = requests.post(
        f"{info['api_url']}/users",
        json={"email": email, "name": name, "role": "agent"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def test_tasks_are_added_completed_reopened_deleted_and_listed_in_my_tasks(own_tenant):
    admin = own_tenant["admin"]
    token = sign_in(own_tenant, admin["username"], admin["password"])
    tag = secrets.token_hex(3)
    names = {"MY_TASK": f"Call back {tag}", "AGENT_TASK": f"Ship {tag}", "AGENT_NAME": f"Nour {tag}"}
    agent = invite_agent(own_tenant, token, names["AGENT_NAME"])
    seen = run_browser(
        "tasks.mjs",
        {"INBOX_URL": own_tenant["web_url"], "INBOX_EMAIL": admin["username"], "INBOX_PASSWORD": admin["password"]}
        | names,
        timeout=180,
    )

    assert seen["problems"] == []
    assert seen["axe"] == {"form": [], "myTasks": []}
    assert [title for title, _ in seen["listed"]] == [names["MY_TASK"], names["AGENT_TASK"]]
    assert seen["listed"][0][1].endswith("for me")
    assert seen["listed"][1][1].endswith(f"for {names['AGENT_NAME']}")
    assert (seen["doneChecked"], seen["reopened"]) == (True, True)
    assert seen["myTasks"] == [names["MY_TASK"]]
    assert seen["myTasksCurrent"] == "page"
    assert seen["openedTitle"]

    # What the browser did is what the API holds.
    mine = api_get(own_tenant, token, "/tasks?assignee=me")["items"]
    assert [(t["title"], t["done"], t["conversation_id"]) for t in mine] == [
        (names["MY_TASK"], False, seen["conversationId"])
    ]
    assert api_get(own_tenant, token, f"/tasks?assignee={agent}")["items"] == []
    assert api_get(own_tenant, token, f"/tasks?assignee={agent}&status=done")["items"] == []


def test_the_local_stack_fires_a_tasks_reminder_at_its_time_and_the_assignee_is_notified(own_tenant):
    admin = own_tenant["admin"]
    token = sign_in(own_tenant, admin["username"], admin["password"])
    conversation = api_get(own_tenant, token, "/conversations")["items"][0]["id"]
    due = datetime.now(UTC) + timedelta(seconds=4)
    created = requests.post(
        f"{own_tenant['api_url']}/conversations/{conversation}/tasks",
        json={"title": "Due in a moment", "due_at": due.isoformat()},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    task = created.json()

    # The schedule the API created through the Scheduler API, in the stack's moto.
    scheduler = aws_client(own_tenant, "scheduler")
    name = f"task.{own_tenant['tenant_id']}.{task['id']}"
    groups = [g["Name"] for g in scheduler.list_schedule_groups()["ScheduleGroups"] if g["Name"] != "default"]
    held = {s["Name"]: s["GroupName"] for s in scheduler.list_schedules()["Schedules"]}
    assert held.get(name) in groups

    # A real stack on a real clock: waited for, not slept through blindly.
    deadline = time.monotonic() + 45
    reminded = []
    while time.monotonic() < deadline and not reminded:
        time.sleep(1)
        reminded = [
            n
            for n in api_get(own_tenant, token, "/notifications")["items"]
            if n["kind"] == "task_due" and n.get("task_id") == task["id"]
        ]
    assert reminded, "no task_due notification within 45 s of the due date"
    assert reminded[0]["text"] == "Due in a moment"
    assert name not in {s["Name"] for s in scheduler.list_schedules()["Schedules"]}
