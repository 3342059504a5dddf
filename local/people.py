"""The demo tenant's people: its admin, named, and a second person to assign conversations to.

Both are in the tenant's group, which is how the API lists a tenant's people (inbox.adapters.user_pool).
"""

from __future__ import annotations

import contextlib
from typing import Any

from .aws import Aws
from .seed import SeedError, generate_password, log, user_exists

ADMIN_NAME = "Nadia Roux"
AGENT_EMAIL, AGENT_NAME, AGENT_GROUP = "lea@demo.example.com", "Léa Moreau", "agent"


def add_people(aws: Aws, pool_id: str, state: dict[str, Any]) -> None:
    """The tenant's group (what lists its people, see inbox.adapters.user_pool) with the admin in it, the
    admin's name, and a second person, an agent, with a permanent password kept in `state`."""
    try:
        from inbox.adapters.user_pool import tenant_group
    except ImportError as error:
        raise SeedError(f"inbox.adapters.user_pool could not be imported: {error}") from error
    idp = aws.client("cognito-idp")
    group = tenant_group(state["tenant_id"])
    with contextlib.suppress(idp.exceptions.GroupExistsException):
        idp.create_group(UserPoolId=pool_id, GroupName=group, Description="The people of one tenant.")
    admin = state["admin"]["username"]
    idp.admin_update_user_attributes(
        UserPoolId=pool_id, Username=admin, UserAttributes=[{"Name": "name", "Value": ADMIN_NAME}]
    )
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=admin, GroupName=group)
    agent = state.get("agent") or {"username": AGENT_EMAIL, "password": generate_password()}
    if not user_exists(aws, pool_id, agent["username"]):
        idp.admin_create_user(
            UserPoolId=pool_id,
            Username=agent["username"],
            UserAttributes=[
                {"Name": "email", "Value": agent["username"]},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": AGENT_NAME},
                {"Name": "custom:tenant_id", "Value": state["tenant_id"]},
            ],
            MessageAction="SUPPRESS",
        )
        idp.admin_set_user_password(
            UserPoolId=pool_id, Username=agent["username"], Password=agent["password"], Permanent=True
        )
    for name in (AGENT_GROUP, group):
        idp.admin_add_user_to_group(UserPoolId=pool_id, Username=agent["username"], GroupName=name)
    state["agent"] = agent
    state["people"] = True
    log.info("added %s (agent) to the demo tenant", AGENT_NAME)
