"""The local seed's people: the demo tenant's admin and agent, as GET /inbox/users lists them."""

from __future__ import annotations

from helpers.aws_account import REGION
from helpers.events import api_request
from local.aws import Aws
from local.people import add_people
from local.seed import create_admin


def test_the_demo_tenant_has_its_admin_and_an_agent_to_assign_to(aws, api):
    local = Aws(None, REGION)
    created = create_admin(local, aws.user_pool_id)
    state = {"tenant_id": created["tenant_id"], "admin": {"username": created["username"]}}
    add_people(local, aws.user_pool_id, state)
    state.pop("people")
    add_people(local, aws.user_pool_id, state)  # again, as a restart of an older demo would: nothing doubles

    status, body = api(api_request("GET", "/users", **{"custom:tenant_id": created["tenant_id"]}))
    assert status == 200, body
    assert [(p["name"], p["email"], p["role"], p["enabled"]) for p in body["items"]] == [
        ("Léa Moreau", "lea@demo.example.com", "agent", True),
        ("Nadia Roux", "admin@demo.example.com", "admin", True),
    ]
    # the agent can sign in with the password the seed keeps
    assert state["agent"]["username"] == "lea@demo.example.com"
    assert len(state["agent"]["password"]) >= 12
