"""The API function end to end on its sample events: conversations, notes, tenancy."""

from helpers.events import LambdaContext, api_request, load_event, with_body, with_claims
from helpers.workers import run_purges
from inbox import wiring
from samples import AGENT


def conversation_event(name: str, conversation_id: str, **claims):
    event = load_event(f"api/{name}", CONVERSATION_ID=conversation_id)
    return with_claims(event, **claims) if claims else event


def test_api_says_who_the_caller_is(api):
    status, body = api(load_event("api/me.json"))
    assert status == 200
    assert body == {
        "user_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "tenant_id": "tenant-sample",
        "role": "admin",
        "email": "owner@example.com",
        "username": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    }


def test_api_refuses_a_request_without_verified_claims(api):
    event = load_event("api/me.json")
    del event["requestContext"]["authorizer"]
    status, body = api(event)
    assert status == 401
    assert body["error"]["code"] == "unauthorized"


def test_api_lists_a_webhook_message_as_a_conversation_and_shows_it_whole(api, post_webhook):
    status, accepted = post_webhook()
    assert status == 202
    status, page = api(load_event("api/list_conversations.json"))
    assert status == 200
    assert [c["id"] for c in page["items"]] == [accepted["conversation_id"]]
    listed = page["items"][0]
    assert listed["contact"] == {"name": "Élodie Martin", "email": "elodie.martin@example.fr", "phone": "+33612345678"}
    assert (listed["status"], listed["unread"], listed["channel"]) == ("new", True, "custom")

    status, detail = api(conversation_event("get_conversation.json", accepted["conversation_id"]))
    assert status == 200
    [message] = detail["messages"]
    assert message["text"].startswith("Bonjour, ma commande 1042")
    assert message["html"] == "<p>Bonjour, ma commande <b>1042</b> n'est pas arrivée.</p>"
    assert message["subject"] == "Commande 1042 : livraison ?"


def test_api_serves_html_without_scripts(api, post_webhook):
    _, accepted = post_webhook(html='<p onclick="steal()">Hi</p><script>alert(1)</script><img src=x onerror=y>')
    _, detail = api(conversation_event("get_conversation.json", accepted["conversation_id"]))
    html = detail["messages"][0]["html"]
    assert "script" not in html
    assert "onclick" not in html
    assert "onerror" not in html
    assert "Hi" in html


def test_api_changes_status_assignee_and_read_state_and_counters_follow(api, post_webhook):
    _, accepted = post_webhook()
    status, changed = api(conversation_event("patch_conversation.json", accepted["conversation_id"]))
    assert status == 200
    assert changed["status"] == "resolved"
    assert changed["assignee_id"] == "7c9e6679-7425-40de-944b-e07fc1f90ae7"

    mine = load_event("api/list_conversations.json")
    mine["queryStringParameters"] = {"assignee": "me"}
    assert [c["id"] for c in api(mine)[1]["items"]] == [accepted["conversation_id"]]
    resolved = load_event("api/list_conversations.json")
    resolved["queryStringParameters"] = {"status": "resolved"}
    assert len(api(resolved)[1]["items"]) == 1

    read = with_body(
        conversation_event("patch_conversation.json", accepted["conversation_id"]),
        {"unread": False, "assignee_id": None},
    )
    status, changed = api(read)
    assert (status, changed["unread"], changed["assignee_id"]) == (200, False, None)
    # Resolved: off the inbox's counters, which count what still needs someone.
    assert wiring.store().folder_counters("tenant-sample") == {"inbox": {"total": 0, "unread": 0}}
    reopen = with_body(conversation_event("patch_conversation.json", accepted["conversation_id"]), {"status": "open"})
    assert api(reopen)[0] == 200
    assert wiring.store().folder_counters("tenant-sample") == {"inbox": {"total": 1, "unread": 0}}


def test_api_names_the_field_it_refuses_in_a_change(api, post_webhook):
    _, accepted = post_webhook()
    event = conversation_event("patch_conversation.json", accepted["conversation_id"])
    status, body = api(with_body(event, {"status": "done"}))
    assert status == 422
    assert body["error"]["code"] == "invalid_field"
    assert body["error"]["message"].startswith("status:")
    status, body = api(with_body(event, {"colour": "red"}))
    assert (status, body["error"]["message"].split(":")[0]) == (422, "colour")
    status, body = api(with_body(event, "{not json"))
    assert status == 422


def test_api_adds_internal_notes_to_the_conversation(api, post_webhook):
    _, accepted = post_webhook()
    status, note = api(conversation_event("add_note.json", accepted["conversation_id"]))
    assert status == 201
    assert note["author_email"] == "owner@example.com"
    _, detail = api(conversation_event("get_conversation.json", accepted["conversation_id"]))
    assert [n["text"] for n in detail["notes"]] == ["Customer called back; refund approved by Marie."]
    empty = with_body(conversation_event("add_note.json", accepted["conversation_id"]), {"text": ""})
    assert api(empty)[0] == 422


def test_api_hides_another_tenants_conversation_as_not_found(api, post_webhook):
    _, accepted = post_webhook()
    for name in ("get_conversation.json", "patch_conversation.json", "add_note.json"):
        status, body = api(conversation_event(name, accepted["conversation_id"], **{"custom:tenant_id": "intruder"}))
        assert status == 404, name
        assert body["error"]["code"] == "not_found"
    status, page = api(with_claims(load_event("api/list_conversations.json"), **{"custom:tenant_id": "intruder"}))
    assert (status, page["items"]) == (200, [])


def test_api_pages_through_conversations_newest_first_with_a_cursor(api, post_webhook):
    ids = [
        post_webhook(external_id=f"x{n}", **{"from": {"email": f"c{n}@example.com"}}, thread_key=None)[1][
            "conversation_id"
        ]
        for n in range(5)
    ]
    seen, cursor = [], None
    while True:
        event = load_event("api/list_conversations.json")
        event["queryStringParameters"] = {"limit": "2"} | ({"cursor": cursor} if cursor else {})
        status, page = api(event)
        assert status == 200
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(ids))

    foreign = with_claims(load_event("api/list_conversations.json"), **{"custom:tenant_id": "intruder"})
    first = load_event("api/list_conversations.json")
    first["queryStringParameters"] = {"limit": "2"}
    foreign["queryStringParameters"] = {"cursor": api(first)[1]["next_cursor"]}
    status, body = api(foreign)
    assert status == 422
    assert body["error"]["message"].startswith("cursor")


def test_api_publishes_its_openapi_document_and_docs(api):
    status, document = api(api_request("GET", "/openapi.json"))
    assert status == 200
    assert {
        "/inbox/conversations",
        "/inbox/conversations/{conversation_id}",
        "/inbox/integrations",
        "/inbox/me",
        "/inbox/webhooks/custom/{integration_id}",
    } <= set(document["paths"])
    webhook = document["paths"]["/inbox/webhooks/custom/{integration_id}"]["post"]
    assert webhook["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("CustomWebhookMessage")
    assert "from" in document["components"]["schemas"]["CustomWebhookMessage"]["properties"]

    from functions.api import app

    response = app.lambda_handler(api_request("GET", "/docs"), LambdaContext())
    assert response["statusCode"] == 200
    assert "swagger" in response["body"].lower()


def listed(api, **query) -> list[str]:
    event = load_event("api/list_conversations.json")
    event["queryStringParameters"] = query
    status, page = api(event)
    assert status == 200, page
    return [c["id"] for c in page["items"]]


def test_api_filters_conversations_by_folder_channel_assignee_and_contact(aws, api, post_webhook):
    marie = aws.add_person("marie@example.com", "tenant-sample", name="Marie")  # an assignee is a person
    a = post_webhook(external_id="a", thread_key="a")[1]["conversation_id"]
    b = post_webhook(external_id="b", thread_key=None, **{"from": {"email": "b@example.com"}})[1]["conversation_id"]
    orders = api(api_request("POST", "/folders", {"name": "Orders"}))[1]["id"]
    patch = load_event("api/patch_conversation.json", CONVERSATION_ID=a)
    status, moved = api(with_body(patch, {"folder_id": orders, "assignee_id": marie}))
    assert (status, moved["folder_pinned"]) == (200, True)  # a person's choice: classification leaves it there
    status, body = api(with_body(patch, {"folder_id": "no-such-folder"}))
    assert (status, body["error"]["message"]) == (422, "folder_id: no such folder")

    assert listed(api, folder=orders) == [a]
    assert listed(api, folder="inbox") == [b]
    assert listed(api, assignee=marie) == [a]
    assert listed(api, assignee="none") == [b]
    assert set(listed(api, channel="custom")) == {a, b}
    assert listed(api, channel="sms") == []
    assert listed(api, folder=orders, status="new") == [a]
    assert listed(api, folder=orders, status="open") == []
    contact = api(conversation_event("get_conversation.json", b))[1]["conversation"]["contact_id"]
    assert listed(api, contact=contact) == [b]
    assert wiring.store().folder_counters("tenant-sample") == {
        "inbox": {"total": 1, "unread": 1},
        orders: {"total": 1, "unread": 1},
    }


def test_api_refuses_to_clear_what_cannot_be_cleared(api, post_webhook):
    _, accepted = post_webhook()
    event = conversation_event("patch_conversation.json", accepted["conversation_id"])
    for field in ("unread", "status"):
        status, body = api(with_body(event, {field: None}))
        assert status == 422
        assert body["error"]["message"].startswith(f"{field}:")
    assert wiring.store().folder_counters("tenant-sample") == {"inbox": {"total": 1, "unread": 1}}


def test_api_refuses_an_edited_cursor(api, post_webhook):
    import base64
    import json

    for n in range(3):
        post_webhook(external_id=f"x{n}", thread_key=None, **{"from": {"email": f"c{n}@example.com"}})
    event = load_event("api/list_conversations.json")
    event["queryStringParameters"] = {"limit": "1"}
    cursor = api(event)[1]["next_cursor"]
    key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    del key["activity"]
    edited = base64.urlsafe_b64encode(json.dumps(key).encode()).decode()
    event["queryStringParameters"] = {"cursor": edited}
    status, body = api(event)
    assert (status, body["error"]["message"].split(":")[0]) == (422, "cursor")
    event["queryStringParameters"] = {"cursor": "!!!"}
    assert api(event)[0] == 422


def test_api_holds_back_remote_images_until_the_reader_allows_them(api, post_webhook):
    _, accepted = post_webhook(html='<p>Promo</p><img src="https://tracker.example/open.gif?u=42">')
    _, detail = api(conversation_event("get_conversation.json", accepted["conversation_id"]))
    [message] = detail["messages"]
    assert message["remote_images"] is True
    assert ' src="https://tracker.example' not in message["html"]
    assert 'data-blocked-src="https://tracker.example/open.gif?u=42"' in message["html"]


def test_api_deletes_a_conversation_with_what_it_holds_and_its_counters_follow(api, aws, post_webhook):
    _, kept = post_webhook(external_id="keep", thread_key="keep")
    _, gone = post_webhook(external_id="gone", thread_key="gone", **{"from": {"email": "b@example.com"}})
    path = f"/conversations/{gone['conversation_id']}"
    assert api(api_request("POST", f"{path}/notes", {"text": "internal"}))[0] == 201
    delete = api_request("DELETE", path)

    assert api(api_request("DELETE", path, **AGENT))[0] == 403
    assert api(delete)[0] == 202

    assert api(conversation_event("get_conversation.json", gone["conversation_id"]))[0] == 404
    assert run_purges(aws) == []  # what it held goes in the background
    assert api(delete)[0] == 404
    assert not [i for i in aws.all_items() if gone["conversation_id"] in i["PK"]["S"]]
    assert wiring.store().folder_counters("tenant-sample") == {"inbox": {"total": 1, "unread": 1}}
    assert api(conversation_event("get_conversation.json", kept["conversation_id"]))[0] == 200
    _, again = post_webhook(external_id="gone", thread_key="gone", **{"from": {"email": "b@example.com"}})
    assert again["duplicate"] is True  # a redelivery does not bring it back
