"""Integrations: admin only, secrets sealed in the table and never returned."""

from helpers.events import api_request, load_event, with_body, with_claims
from samples import AGENT, WEBHOOK_SECRET


def test_integrations_store_the_secret_as_ciphertext_and_never_return_it(aws, api):
    status, created = api(load_event("api/create_integration.json"))
    assert status == 201
    assert created["secrets_set"] == {"secret": True}
    assert created["webhook_path"] == f"/inbox/webhooks/custom/{created['id']}"
    assert WEBHOOK_SECRET not in str(created)

    stored = aws.dynamodb.get_item(
        TableName=aws.table, Key={"PK": {"S": "T#tenant-sample"}, "SK": {"S": f"INTEGRATION#{created['id']}"}}
    )["Item"]
    envelope = stored["secrets"]["M"]["secret"]["S"]
    assert envelope.startswith("v1.")
    assert WEBHOOK_SECRET not in str(aws.all_items())

    status, listed = api(load_event("api/list_integrations.json"))
    assert status == 200
    assert [i["id"] for i in listed] == [created["id"]]
    assert WEBHOOK_SECRET not in str(listed)


def test_integrations_are_for_admins_only(api, custom_integration):
    status, body = api(load_event("api/create_integration_as_agent.json"))
    assert (status, body["error"]["code"]) == (403, "forbidden")
    status, _ = api(with_claims(load_event("api/list_integrations.json"), **AGENT))
    assert status == 403


def test_integrations_of_another_tenant_are_not_found(api, custom_integration):
    intruder = {"custom:tenant_id": "intruder"}
    for method in ("GET", "DELETE"):
        status, _ = api(api_request(method, f"/integrations/{custom_integration}", **intruder))
        assert status == 404, method
    status, _ = api(api_request("PUT", f"/integrations/{custom_integration}", {"name": "mine now"}, **intruder))
    assert status == 404


def test_integrations_reject_a_weak_secret_or_unknown_kind_naming_the_field(api):
    event = load_event("api/create_integration.json")
    status, body = api(with_body(event, {"kind": "custom", "name": "Form", "secret": "short"}))
    assert (status, body["error"]["message"].split(":")[0]) == (422, "secret")
    status, body = api(with_body(event, {"kind": "carrier-pigeon", "name": "x", "secret": "y" * 30}))
    assert (status, body["error"]["message"].split(":")[0]) == (422, "kind")


def test_integrations_rotate_a_secret_and_the_old_one_stops_working(api, custom_integration, post_webhook):
    new_secret = "whsec_rotated_abcdefghijklmnopqrstuvwxyz"
    status, updated = api(
        api_request("PUT", f"/integrations/{custom_integration}", {"name": "Contact form", "secret": new_secret})
    )
    assert (status, updated["name"]) == (200, "Contact form")
    assert post_webhook(external_id="old")[0] == 401
    assert post_webhook(secret=new_secret, external_id="new")[0] == 202


def test_integrations_deleted_no_longer_accept_webhooks(api, custom_integration, post_webhook):
    assert post_webhook(external_id="before")[0] == 202
    status, _ = api(api_request("DELETE", f"/integrations/{custom_integration}"))
    assert status == 204
    assert api(api_request("GET", f"/integrations/{custom_integration}"))[0] == 404
    assert post_webhook(external_id="after")[0] == 401
