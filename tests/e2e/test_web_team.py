"""The team in the browser (issue 13, items 1 and 2): an admin invites an agent, who signs in for the first
time and chooses a password; an assignment reaches the agent's open app live (the bell, its sentence, Mine's
counter) and the admin's Unassigned counter follows; disabling asks first. axe-core on the new screens."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from helpers.local_stack import cognito, id_token, post_webhook, sign_in
from helpers.web import api_get, drive_browser, settled_counters
from inbox.adapters.user_pool import tenant_group

pytestmark = pytest.mark.e2e

# From the admin's click to the agent's bell, on the local stack after the other browser tests, on two
# shared cores: the PATCH (its assignee checked in the pool), the stream's poll, the fan-out. Without the
# push the bell would wait for its 5-minute poll.
LIVE_BUDGET_MS = 10_000


def test_an_invited_agent_signs_in_and_an_assignment_reaches_their_open_app(own_tenant):
    stack = own_tenant
    tenant = stack["tenant_id"]
    token = id_token(stack)
    admin_id = api_get(stack, token, "/me")["user_id"]
    message = {
        "external_id": secrets.token_hex(8),
        "from": {"name": "Team Customer", "email": "team@example.net"},
        "subject": "Une commande",
        "text": "Pouvez-vous me rappeler ?",
    }
    accepted = post_webhook(stack, message)
    assert accepted.status_code == 202, accepted.text
    conversation_id = accepted.json()["conversation_id"]
    settled_counters(stack, token)
    agent = {"email": f"agent@{stack['tenant_id']}.example.com", "name": "Léa Agent", "password": "Lea-Chosen-Pass-77"}
    temporary = "Temporary-Team-9"

    def answer(name: str, data: dict[str, Any]) -> dict[str, Any]:
        if name == "invited":
            # The invitation's temporary password went by mail; the test gives it one it knows, still temporary.
            cognito(stack).admin_set_user_password(
                UserPoolId=stack["user_pool_id"], Username=data["email"], Password=temporary, Permanent=False
            )
            # The admin among the tenant's people, as `create-tenant` makes a first admin: named in the sentence.
            cognito(stack).admin_add_user_to_group(
                UserPoolId=stack["user_pool_id"], Username=stack["admin"]["username"], GroupName=tenant_group(tenant)
            )
            return {"temporaryPassword": temporary}
        if name == "agentSignedIn":
            return {}
        raise AssertionError(f"unknown step {name}")

    seen = drive_browser(
        "team.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": stack["admin"]["username"],
            "INBOX_PASSWORD": stack["admin"]["password"],
            "AGENT_EMAIL": agent["email"],
            "AGENT_NAME": agent["name"],
            "AGENT_PASSWORD": agent["password"],
            "CONVERSATION_ID": conversation_id,
        },
        answer,
    )

    assert seen["problems"] == []
    assert {screen: found for screen, found in seen["axe"].items() if found} == {}
    assert seen["agentMainView"] == []
    # First sign-in: the agent chose a password and is in; it signs in with it now.
    assert seen["agentSignedInAs"] == agent["email"]
    agent_token = sign_in(stack, agent["email"], agent["password"])
    # The assignment reached the agent's open app without a reload: the bell, Mine's counter.
    assert seen["bellLive"] is True, seen
    assert seen["bellDelayMs"] <= LIVE_BUDGET_MS, seen
    assert seen["agentBellBefore"] == "Notifications"
    assert seen["bellLabel"] == "Notifications, 1 unread"
    assert seen["mineLive"] is True
    assert seen["sentence"] == f"{stack['admin']['username']} assigned a conversation to you"
    assert seen["opened"] == conversation_id
    assert seen["bellCleared"] is True
    # The admin's Unassigned counter followed.
    assert seen["unassignedLive"] is True
    assert seen["unassignedAfter"] == seen["unassignedBefore"] - 1
    # The API agrees: the notification is the agent's, read, naming who assigned; the admin has none.
    [notification] = api_get(stack, agent_token, "/notifications")["items"]
    assert (notification["kind"], notification["actor_id"], notification["conversation_id"]) == (
        "assigned",
        admin_id,
        conversation_id,
    )
    assert notification["read_at"] is not None
    assert api_get(stack, token, "/notifications")["items"] == []
    views = api_get(stack, agent_token, "/folders")["views"]
    assert views["mine"]["total"] == 1
    # Disabling asked first, naming the agent; answered no, they stay active.
    assert seen["dialogs"] == [
        f"Disable {agent['name']}? They will no longer be able to sign in, and conversations stay assigned to them."
    ]
    assert seen["agentRowAfterNo"].startswith("Active")
