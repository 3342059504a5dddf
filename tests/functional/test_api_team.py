"""POST /inbox/users (admins invite) and PATCH /inbox/users/{id} (role, enabled): the invited person
is listed with their role, the tenant always keeps an enabled admin, another tenant's people are 404."""

from __future__ import annotations

import pytest

from helpers.events import api_request, load_event
from samples import TENANT

OTHER_TENANT = "tenant-other"


@pytest.fixture
def owner(aws) -> dict[str, str]:
    """The calling admin as a real user of the pool: claims carrying their own sub."""
    sub = aws.add_person("owner@example.com", TENANT, role="admin", name="Océane Owner")
    return {"sub": sub}


def invite(api, email="new@example.com", name="Nour Agent", role="agent", **claims):
    return api(api_request("POST", "/users", {"email": email, "name": name, "role": role}, **claims))


def listed(api, **claims) -> dict[str, dict]:
    status, body = api(api_request("GET", "/users", **claims))
    assert status == 200, body
    return {p["email"]: p for p in body["items"]}


def test_an_invited_person_is_listed_with_their_role_and_has_the_tenant(aws, api, owner):
    status, body = invite(api, **owner)
    assert status == 201, body
    assert (body["email"], body["name"], body["role"], body["enabled"]) == (
        "new@example.com",
        "Nour Agent",
        "agent",
        True,
    )
    assert listed(api, **owner)["new@example.com"] == body
    user = aws.idp.admin_get_user(UserPoolId=aws.user_pool_id, Username="new@example.com")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert (attributes["custom:tenant_id"], attributes["email_verified"]) == (TENANT, "true")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"  # the invitation's temporary password
    # not listed by another tenant
    assert "new@example.com" not in listed(api, **{"custom:tenant_id": OTHER_TENANT})


def test_the_sample_events_invite_then_promote(aws, api, owner):
    status, person = api(load_event("api/invite_user.json"))
    assert (status, person["role"]) == (201, "agent"), person
    status, changed = api(load_event("api/update_user.json", USER_ID=person["id"]))
    assert (status, changed["role"], changed["enabled"]) == (200, "admin", True), changed


def test_agents_cannot_invite_nor_change_people(api, owner):
    agent = {"cognito:groups": "[agent]"}
    assert invite(api, **agent)[0] == 403
    status, body = api(api_request("PATCH", f"/users/{owner['sub']}", {"role": "agent"}, **agent))
    assert (status, body["error"]["code"]) == (403, "forbidden")


def test_an_email_the_pool_knows_is_a_conflict_naming_no_tenant(aws, api, owner):
    aws.add_person("taken@other.example", OTHER_TENANT)
    status, body = invite(api, email="taken@other.example", **owner)
    assert (status, body["error"]["message"]) == (409, "a user with this email exists already")
    assert OTHER_TENANT not in str(body)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "name": "X", "role": "agent"}, "email"),
        ({"email": "a@b.example", "name": "X", "role": "owner"}, "role"),
        ({"email": "a@b.example", "name": "", "role": "agent"}, "name"),
        ({"email": "a@b.example", "name": "   ", "role": "agent"}, "name"),
        ({"email": "a@b.example", "role": "agent"}, "name"),
    ],
)
def test_a_bad_invitation_is_a_422_naming_the_field(api, owner, body, field):
    status, answer = api(api_request("POST", "/users", body, **owner))
    assert (status, answer["error"]["code"]) == (422, "invalid_field"), answer
    assert answer["error"]["message"].startswith(f"{field}: ")


def test_a_role_change_and_a_disable_are_reflected(aws, api, owner):
    person = invite(api, **owner)[1]
    status, body = api(api_request("PATCH", f"/users/{person['id']}", {"role": "admin"}, **owner))
    assert (status, body["role"]) == (200, "admin")
    assert listed(api, **owner)["new@example.com"]["role"] == "admin"
    groups = aws.idp.admin_list_groups_for_user(UserPoolId=aws.user_pool_id, Username="new@example.com")["Groups"]
    assert "agent" not in {g["GroupName"] for g in groups}  # swapped, not added

    status, body = api(api_request("PATCH", f"/users/{person['id']}", {"enabled": False}, **owner))
    assert (status, body["enabled"]) == (200, False)
    assert listed(api, **owner)["new@example.com"]["enabled"] is False
    assert api(api_request("PATCH", f"/users/{person['id']}", {"enabled": True}, **owner))[1]["enabled"] is True


def test_the_last_enabled_admin_cannot_demote_nor_disable_themselves(aws, api, owner):
    for change in ({"role": "agent"}, {"enabled": False}):
        status, body = api(api_request("PATCH", f"/users/{owner['sub']}", change, **owner))
        assert status == 409, body
        assert "last enabled admin" in body["error"]["message"]
    assert listed(api, **owner)["owner@example.com"] | {"id": None} == {
        "id": None,
        "name": "Océane Owner",
        "email": "owner@example.com",
        "role": "admin",
        "enabled": True,
    }
    # with a second enabled admin, stepping down is fine
    second = invite(api, email="second@example.com", role="admin", **owner)[1]
    assert api(api_request("PATCH", f"/users/{owner['sub']}", {"role": "agent"}, **owner))[0] == 200
    assert api(api_request("PATCH", f"/users/{second['id']}", {"enabled": False}, **{"sub": second["id"]}))[0] == 409


def test_a_patch_needs_a_change(api, owner):
    status, body = api(api_request("PATCH", f"/users/{owner['sub']}", {}, **owner))
    assert (status, body["error"]["code"]) == (422, "invalid_field")


def test_another_tenants_admin_cannot_patch_our_people(aws, api, owner):
    person = invite(api, **owner)[1]
    stranger = {"custom:tenant_id": OTHER_TENANT, "sub": aws.add_person("boss@other.example", OTHER_TENANT, "admin")}
    for change in ({"enabled": False}, {"role": "admin"}):
        status, body = api(api_request("PATCH", f"/users/{person['id']}", change, **stranger))
        assert (status, body["error"]["code"]) == (404, "not_found")
    assert listed(api, **owner)["new@example.com"]["enabled"] is True
    assert api(api_request("PATCH", "/users/no-such-user", {"enabled": False}, **owner))[0] == 404


def test_an_address_the_pool_refuses_is_a_422_on_email(api, owner):
    # moto, like Cognito, refuses some addresses the API's pattern lets through (here: a digit before the @ only)
    status, body = invite(api, email="0@0.00", **owner)
    assert (status, body["error"]["message"]) == (422, "email: is not an address the user pool accepts"), body


def test_an_invitation_whose_undo_fails_too_is_a_503_not_a_500(api, owner, monkeypatch):
    from botocore.exceptions import ClientError

    from inbox import wiring

    client = wiring.people()._pool._client

    def refused(**arguments):
        raise ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "slow down"}}, "Admin")

    monkeypatch.setattr(client, "admin_add_user_to_group", refused)
    monkeypatch.setattr(client, "admin_delete_user", refused)
    status, body = invite(api, **owner)
    assert (status, body["error"]["code"]) == (503, "unavailable"), body


def test_a_disabled_person_is_signed_out_everywhere(aws, api, owner, monkeypatch):
    from inbox import wiring

    person = invite(api, **owner)[1]
    client = wiring.people()._pool._client
    signed_out: list[str] = []
    sign_out = client.admin_user_global_sign_out

    def spy(**arguments):
        signed_out.append(arguments["Username"])
        return sign_out(**arguments)

    monkeypatch.setattr(client, "admin_user_global_sign_out", spy)
    assert api(api_request("PATCH", f"/users/{person['id']}", {"role": "admin"}, **owner))[0] == 200
    assert signed_out == []  # a role change: the next token refresh carries it
    assert api(api_request("PATCH", f"/users/{person['id']}", {"enabled": False}, **owner))[0] == 200
    assert signed_out == [person["id"]]  # their refresh tokens revoked: the web app cannot renew


def test_inviting_again_a_person_who_never_signed_in_resends_the_invitation(aws, api, owner, monkeypatch):
    from inbox import wiring

    first = invite(api, **owner)[1]
    client = wiring.people()._pool._client
    created: list[dict] = []
    create = client.admin_create_user

    def spy(**arguments):
        created.append(arguments)
        return create(**arguments)

    monkeypatch.setattr(client, "admin_create_user", spy)
    # GIVEN the temporary password expired (7 days) before they signed in: the admin invites them again
    status, again = invite(api, role="admin", **owner)
    assert status == 201, again
    assert (again["id"], again["role"]) == (first["id"], "admin")
    assert [c.get("MessageAction") for c in created] == [None, "RESEND"]
    assert listed(api, **owner)["new@example.com"]["role"] == "admin"


def test_inviting_again_someone_who_signed_in_or_of_another_tenant_is_still_a_conflict(aws, api, owner):
    invite(api, email="done@example.com", **owner)
    aws.idp.admin_set_user_password(
        UserPoolId=aws.user_pool_id, Username="done@example.com", Password="A-long-passw0rd", Permanent=True
    )
    assert invite(api, email="done@example.com", **owner)[0] == 409
    # another tenant's person waiting for their first sign-in: the same 409, naming no tenant
    stranger = {"custom:tenant_id": OTHER_TENANT, "sub": aws.add_person("boss@other.example", OTHER_TENANT, "admin")}
    invite(api, email="pending@other.example", **stranger)
    status, body = invite(api, email="pending@other.example", **owner)
    assert (status, body["error"]["message"]) == (409, "a user with this email exists already")
