"""GET /inbox/users (the tenant's people, from the user pool) and the assignee check of PATCH and bulk:
an assignee is a person of the caller's tenant; another tenant's people are never listed nor assignable."""

from __future__ import annotations

import pytest

from helpers.events import api_request, load_event
from samples import AGENT, TENANT

OTHER = {"custom:tenant_id": "tenant-other", "sub": "u-other-admin"}


@pytest.fixture
def people(aws) -> dict[str, str]:
    """Two people of the sample tenant, one of another tenant with the same name as ours, one of ours
    not in the tenant's group (made before the groups existed), one disabled."""
    ids = {
        "owner": aws.add_person("owner@example.com", TENANT, role="admin", name="Océane Owner"),
        "lea": aws.add_person("lea@example.com", TENANT, role="agent", name="Léa Moreau"),
        "stranger": aws.add_person("lea@other.example", "tenant-other", role="agent", name="Léa Moreau"),
        "unlisted": aws.add_person("old@example.com", TENANT, listed=False),
        "gone": aws.add_person("gone@example.com", TENANT, name="Gone"),
    }
    aws.idp.admin_disable_user(UserPoolId=aws.user_pool_id, Username="gone@example.com")
    return ids


def conversation(post_webhook) -> str:
    return post_webhook()[1]["conversation_id"]


def test_users_lists_the_tenants_people_by_name_with_role_and_state(api, people):
    status, body = api(api_request("GET", "/users", **AGENT))  # agents read it too: they assign
    assert status == 200, body
    assert body["items"] == [
        {"id": people["gone"], "name": "Gone", "email": "gone@example.com", "role": "agent", "enabled": False},
        {"id": people["lea"], "name": "Léa Moreau", "email": "lea@example.com", "role": "agent", "enabled": True},
        {
            "id": people["owner"],
            "name": "Océane Owner",
            "email": "owner@example.com",
            "role": "admin",
            "enabled": True,
        },
    ]


def test_the_sample_event_lists_the_sample_tenants_people(api, people):
    status, body = api(load_event("api/list_users.json"))  # the sample caller is of tenant-sample, TENANT
    assert status == 200, body
    assert [p["email"] for p in body["items"]] == ["gone@example.com", "lea@example.com", "owner@example.com"]


def test_users_of_another_tenant_are_never_listed(aws, api, people):
    status, body = api(api_request("GET", "/users", **OTHER))
    assert status == 200
    assert [p["id"] for p in body["items"]] == [people["stranger"]]
    # A tenant nobody was added to yet has no group: nobody, not an error.
    assert api(api_request("GET", "/users", **{"custom:tenant_id": "tenant-new"})) == (200, {"items": []})


def test_users_are_read_from_the_tenant_attribute_even_in_the_wrong_group(aws, api, people):
    # GIVEN another tenant's user put in our tenant's group by mistake
    aws.idp.admin_add_user_to_group(
        UserPoolId=aws.user_pool_id, Username="lea@other.example", GroupName=f"tenant:{TENANT}"
    )
    # THEN the tenant attribute decides: not listed, not assignable
    assert people["stranger"] not in [p["id"] for p in api(api_request("GET", "/users"))[1]["items"]]


def test_a_conversation_is_assigned_to_a_person_of_the_tenant(api, post_webhook, people):
    cid = conversation(post_webhook)
    status, body = api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": people["lea"]}, **AGENT))
    assert (status, body["assignee_id"]) == (200, people["lea"])
    # one not in the tenant's group is still a person of the tenant (the attribute says so)
    status, body = api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": people["unlisted"]}))
    assert (status, body["assignee_id"]) == (200, people["unlisted"])


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("stranger", "assignee_id: is not a person of this tenant"),
        ("nobody", "assignee_id: is not a person of this tenant"),
        ("gone", "assignee_id: is a disabled person"),
    ],
)
def test_patch_refuses_an_assignee_outside_the_tenant_naming_the_field(api, post_webhook, people, who, message):
    cid = conversation(post_webhook)
    assignee = people.get(who, "5f0c6d2e-0000-4000-8000-000000000000")
    status, body = api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": assignee, "status": "open"}))
    assert (status, body["error"]) == (422, {"code": "invalid_field", "message": message})
    # nothing changed, not even the status given with it
    detail = api(api_request("GET", f"/conversations/{cid}"))[1]["conversation"]
    assert (detail["assignee_id"], detail["status"]) == (None, "new")


def test_bulk_refuses_an_assignee_of_another_tenant_and_changes_nothing(api, post_webhook, people):
    cid = conversation(post_webhook)
    changes = {"assignee_id": people["stranger"]}
    status, body = api(api_request("POST", "/conversations/bulk", {"ids": [cid], "changes": changes}))
    assert (status, body["error"]["message"]) == (422, "assignee_id: is not a person of this tenant")
    assert api(api_request("GET", f"/conversations/{cid}"))[1]["conversation"]["assignee_id"] is None

    changes = {"assignee_id": people["lea"]}
    status, body = api(api_request("POST", "/conversations/bulk", {"ids": [cid], "changes": changes}))
    assert (status, body["results"][0]["conversation"]["assignee_id"]) == (200, people["lea"])


def test_the_other_tenant_cannot_assign_our_people(api, people):
    # The other tenant's own conversation does not matter: the assignee is refused before it is looked up.
    changes = {"assignee_id": people["lea"]}
    status, body = api(api_request("POST", "/conversations/bulk", {"ids": ["any"], "changes": changes}, **OTHER))
    assert (status, body["error"]["message"]) == (422, "assignee_id: is not a person of this tenant")


def test_taking_or_clearing_a_conversation_asks_the_pool_nothing(api, post_webhook, monkeypatch):
    from inbox.adapters.user_pool import UserPool

    asked = []
    monkeypatch.setattr(UserPool, "person", lambda self, user_id: asked.append(user_id))
    cid = conversation(post_webhook)
    me = api(api_request("GET", "/me"))[1]["user_id"]
    status, body = api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": me}))
    assert (status, body["assignee_id"]) == (200, me)
    status, body = api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": None}))
    assert (status, body["assignee_id"]) == (200, None)
    assert asked == []


def test_a_person_with_no_role_cannot_be_assigned(aws, api, post_webhook, people):
    # GIVEN a person of the tenant in no role group (they cannot sign in to see what they are given)
    nobody = aws.add_person("norole@example.com", TENANT, name="No Role")
    aws.idp.admin_remove_user_from_group(UserPoolId=aws.user_pool_id, Username="norole@example.com", GroupName="agent")
    cid = conversation(post_webhook)
    status, body = api(api_request("PATCH", f"/conversations/{cid}", {"assignee_id": nobody}))
    assert (status, body["error"]) == (
        422,
        {"code": "invalid_field", "message": "assignee_id: is a person with no role"},
    )
    assert api(api_request("GET", f"/conversations/{cid}"))[1]["conversation"]["assignee_id"] is None


def count_calls(monkeypatch, client, name: str) -> list[dict]:
    calls: list[dict] = []
    method = getattr(client, name)

    def spy(**arguments):
        calls.append(arguments)
        return method(**arguments)

    monkeypatch.setattr(client, name, spy)
    return calls


def test_users_reads_the_roles_from_the_role_groups_once_not_per_person(api, people, monkeypatch):
    from inbox import wiring

    client = wiring.people()._pool._client
    per_person = count_calls(monkeypatch, client, "admin_list_groups_for_user")
    listings = count_calls(monkeypatch, client, "list_users_in_group")
    body = api(api_request("GET", "/users", **AGENT))[1]
    assert {p["email"]: p["role"] for p in body["items"]} == {
        "gone@example.com": "agent",
        "lea@example.com": "agent",
        "owner@example.com": "admin",
    }
    assert per_person == []
    assert sorted(c["GroupName"] for c in listings) == ["admin", "agent", f"tenant:{TENANT}"]


def test_users_of_a_small_tenant_in_a_big_pool_read_their_own_roles(api, people, monkeypatch):
    from inbox import wiring
    from inbox.adapters import user_pool

    # GIVEN role groups that take more pages than the tenant has people (1 user a page here)
    monkeypatch.setattr(user_pool, "PAGE_SIZE", 1)
    client = wiring.people()._pool._client
    per_person = count_calls(monkeypatch, client, "admin_list_groups_for_user")
    listings = count_calls(monkeypatch, client, "list_users_in_group")
    body = api(api_request("GET", "/users", **AGENT))[1]
    assert [p["role"] for p in body["items"]] == ["agent", "agent", "admin"]
    assert len(per_person) == 3
    assert len([c for c in listings if c["GroupName"] in ("admin", "agent")]) <= 3  # gave up within the budget
