"""The activity and a conversation's history in a real browser (issue 14, item 3): an admin changes a
conversation's status and finds the entry, with their name and the status before and after, in Activity
and in the conversation's History, in English and French; the kind filter; an agent has no Activity (no
link, the screen refuses, the API answers 403). axe-core on each screen."""

from __future__ import annotations

import contextlib
import secrets

import pytest
import requests

from helpers.local_stack import cognito, create_user, sign_in
from helpers.web import api_get, run_browser
from inbox.adapters.user_pool import tenant_group
from local.seed import generate_password

pytestmark = pytest.mark.e2e


def named_in_the_team(stack: dict, username: str, name: str) -> None:
    """The admin among the tenant's people with a name, as `create-tenant` makes a first admin."""
    pool = cognito(stack)
    group = tenant_group(stack["tenant_id"])
    with contextlib.suppress(pool.exceptions.GroupExistsException):
        pool.create_group(UserPoolId=stack["user_pool_id"], GroupName=group)
    pool.admin_add_user_to_group(UserPoolId=stack["user_pool_id"], Username=username, GroupName=group)
    pool.admin_update_user_attributes(
        UserPoolId=stack["user_pool_id"], Username=username, UserAttributes=[{"Name": "name", "Value": name}]
    )


def test_an_admin_finds_their_status_change_in_activity_and_in_the_conversations_history(own_tenant):
    stack = own_tenant
    admin = stack["admin"]
    name = f"Aude Martin {secrets.token_hex(2)}"
    named_in_the_team(stack, admin["username"], name)
    token = sign_in(stack, admin["username"], admin["password"])
    admin_id = api_get(stack, token, "/me")["user_id"]
    [conversation] = api_get(stack, token, "/conversations")["items"]
    # A note first, so that the activity holds another kind than the status the filter keeps.
    noted = requests.post(
        f"{stack['api_url']}/conversations/{conversation['id']}/notes",
        json={"text": "Vu, je regarde."},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert noted.status_code == 201, noted.text
    agent = {"email": f"agent@{stack['tenant_id']}.example.com", "password": generate_password()}
    create_user(stack, agent["email"], tenant_id=stack["tenant_id"], group="agent", password=agent["password"])

    seen = run_browser(
        "audit.mjs",
        {
            "INBOX_URL": stack["web_url"],
            "INBOX_EMAIL": admin["username"],
            "INBOX_PASSWORD": admin["password"],
            "AGENT_EMAIL": agent["email"],
            "AGENT_PASSWORD": agent["password"],
            "CONVERSATION_ID": conversation["id"],
        },
        timeout=180,
    )

    assert seen["problems"] == []
    assert {screen: found for screen, found in seen["axe"].items() if found} == {}
    before = {"new": "New", "open": "Open"}[seen["statusBefore"]]
    # Activity: who (by name), what, when, the status before → after, a link into the inbox.
    assert seen["entry"] == {
        "who": name,
        "what": "Changed the status",
        "when": seen["entry"]["when"],
        "changes": [f"Status: {before} → Resolved"],
        "link": f"#conversation/{conversation['id']}",
    }
    assert seen["entry"]["when"] == "now" or seen["entry"]["when"].endswith("minute ago")
    assert {"conversation.status", "message.noted"} <= set(seen["kindsBefore"])
    assert set(seen["kindsFiltered"]) == {"conversation.status"}
    # The link opened the conversation (and was forgotten); its History shows the same entry.
    assert seen["openedTitle"] == conversation["subject"]
    assert seen["hashAfterOpen"] == ""
    assert seen["historyExpanded"] == "true"
    assert seen["historyEntry"] | {"when": None} == seen["entry"] | {"when": None, "link": None}
    french_before = {"new": "Nouvelle", "open": "Ouverte"}[seen["statusBefore"]]
    assert seen["historyEntryFrench"]["what"] == "A changé le statut"
    assert seen["historyEntryFrench"]["changes"] == [f"Statut: {french_before} → Résolue"]
    assert seen["activityFrench"]["who"] == name
    assert seen["phoneOverflow"] <= 0
    # An agent: no link, the screen refuses, and so does the API.
    assert seen["agentActivityLinks"] == 0
    assert seen["agentActivityEntries"] == 0
    agent_token = sign_in(stack, agent["email"], agent["password"])
    refused = requests.get(f"{stack['api_url']}/audit", headers={"Authorization": f"Bearer {agent_token}"}, timeout=30)
    assert refused.status_code == 403
    # What the browser showed is what the API holds.
    entries = api_get(stack, token, f"/audit?kind=conversation.status&conversation={conversation['id']}")["items"]
    assert [(e["actor"], e["changes"]) for e in entries] == [
        ({"type": "person", "id": admin_id}, [{"field": "status", "before": seen["statusBefore"], "after": "resolved"}])
    ]
