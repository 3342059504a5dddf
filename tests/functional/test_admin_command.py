"""`python -m inbox.admin create-tenant`: a tenant's group and its first admin, invited, in the pool
the environment names (here moto's); the new admin lists their tenant's people through the API."""

from __future__ import annotations

import json

from helpers.events import api_request


def test_create_tenant_makes_the_group_and_an_invited_admin_and_prints_the_id(aws, api, capsys):
    from inbox.admin import main

    assert main(["create-tenant", "--name", "Acme Plomberie", "--admin-email", "boss@acme.example"]) == 0
    tenant_id = capsys.readouterr().out.strip()
    assert tenant_id.startswith("acme-plomberie-")

    group = aws.idp.get_group(UserPoolId=aws.user_pool_id, GroupName=f"tenant:{tenant_id}")["Group"]
    assert group["Description"] == "The people of Acme Plomberie"
    user = aws.idp.admin_get_user(UserPoolId=aws.user_pool_id, Username="boss@acme.example")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # Cognito's invitation, as for anyone invited
    sub = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
    # The admin, once signed in, is their tenant's admin and its only person.
    status, body = api(api_request("GET", "/users", **{"sub": sub, "custom:tenant_id": tenant_id}))
    assert (status, [(p["email"], p["name"], p["role"]) for p in body["items"]]) == (
        200,
        [("boss@acme.example", "boss", "admin")],
    )


def test_an_email_taken_leaves_no_tenant_behind(aws, capsys):
    from inbox.admin import main

    aws.add_person("boss@acme.example", "tenant-sample")
    groups_before = aws.idp.list_groups(UserPoolId=aws.user_pool_id)["Groups"]
    assert main(["create-tenant", "--name", "Acme", "--admin-email", "boss@acme.example"]) == 1
    assert "exists already" in capsys.readouterr().err
    assert aws.idp.list_groups(UserPoolId=aws.user_pool_id)["Groups"] == groups_before


def test_the_local_stacks_file_names_the_pool(aws, monkeypatch, tmp_path):
    from inbox import admin

    made = {}
    monkeypatch.setattr(admin, "UserPool", lambda client, pool_id: made.update(client=client, pool_id=pool_id))
    stack = tmp_path / "stack.json"
    stack.write_text(
        json.dumps({"aws_endpoint_url": "http://127.0.0.1:5999", "region": "eu-west-3", "user_pool_id": "p1"})
    )
    admin.user_pool(stack)
    assert (made["pool_id"], made["client"].meta.endpoint_url) == ("p1", "http://127.0.0.1:5999")
