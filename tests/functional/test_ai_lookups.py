"""The AI's lookups (issue 16, item 1), under moto through the API: admins register a business's endpoint,
its secret shown once; a test call POSTs the arguments signed like our custom webhooks to a loopback
endpoint that verifies them; every failure of the endpoint is a call with ok=False and the reason; another
tenant neither sees, changes nor calls them."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from helpers.events import api_request, load_event
from inbox import wiring
from inbox.domain import signatures
from samples import AGENT

OTHER_TENANT = {"custom:tenant_id": "tenant-other", "sub": "u-other-admin"}
ORDER = {"order_number": "12345", "status": "shipped", "shipped_on": "2026-11-28", "tracking": "6A12345678901"}
PARAMETERS = {"type": "object", "properties": {"order_number": {"type": "string", "description": "The order number"}}}


class Shop:
    """The business's endpoint on loopback: verifies the signature with `secret` once it is known, keeps
    what it is sent, and answers `answer` (status, body bytes, seconds to wait first)."""

    def __init__(self) -> None:
        self.secret: str | None = None
        self.answer: tuple[int, bytes, float] = (200, json.dumps(ORDER).encode(), 0.0)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.verified: list[bool] = []
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                shop.requests.append((headers, body))
                if shop.secret is not None:
                    try:
                        signatures.verify(shop.secret, body, headers.get("x-inbox-signature"), time.time())
                        shop.verified.append(True)
                    except Exception:
                        shop.verified.append(False)
                status, answer, wait = shop.answer
                time.sleep(wait)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                with contextlib.suppress(OSError):  # a caller that stopped reading (too large, too slow)
                    self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/lookups/order"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def shop():
    endpoint = Shop()
    yield endpoint
    endpoint.close()


def lookup_body(endpoint: str, **changes: Any) -> dict[str, Any]:
    return {
        "name": "find_order",
        "description": "Find an order by its number",
        "parameters": PARAMETERS,
        "endpoint": endpoint,
    } | changes


def register(api, endpoint: str, **claims: str) -> dict[str, Any]:
    status, created = api(api_request("POST", "/ai/lookups", lookup_body(endpoint), **claims))
    assert status == 201, created
    return created


def test_lookups_a_test_call_is_signed_verified_by_the_endpoint_and_answered(aws, api, shop):
    created = register(api, shop.url)
    shop.secret = created["secret"]
    status, call = api(
        api_request("POST", f"/ai/lookups/{created['id']}/test", {"arguments": {"order_number": "12345"}})
    )
    assert status == 200, call
    assert (call["name"], call["ok"], call["answer"], call["error"]) == ("find_order", True, ORDER, None)
    assert call["summary"].startswith("order_number 12345: status shipped, shipped_on 2026-11-28")
    assert call["duration_ms"] >= 0
    [(headers, body)] = shop.requests
    assert shop.verified == [True]
    assert json.loads(body) == {"parameters": {"order_number": "12345"}, "customer": {"email": None, "phone": None}}
    assert headers["x-inbox-lookup"] == "find_order"
    assert headers["content-type"] == "application/json"
    assert not any("tenant" in name or "tenant-sample" in value for name, value in headers.items())


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, b"oops", "HTTP 500"),
        (404, b'{"error": "order not found"}', "HTTP 404: order not found"),
        (302, b"", "HTTP 302: redirects are not followed"),
        (200, b"<html>shop</html>", "the answer is not a JSON object"),
        (200, b'["shipped"]', "the answer is not a JSON object"),
        (200, json.dumps({"notes": "x" * 20_000}).encode(), "the answer is larger than 16 KB"),
    ],
)
def test_lookups_an_endpoints_failure_is_a_call_not_ok_with_the_reason(aws, api, shop, status, body, error):
    created = register(api, shop.url)
    shop.answer = (status, body, 0.0)
    code, call = api(api_request("POST", f"/ai/lookups/{created['id']}/test", {"arguments": {"order_number": "1"}}))
    assert code == 200, call
    assert (call["ok"], call["answer"], call["error"]) == (False, None, error)
    assert call["summary"] == f"order_number 1: failed ({error})"


def test_lookups_an_endpoint_that_is_gone_is_a_call_not_ok(aws, api, shop):
    created = register(api, shop.url)
    shop.close()
    _, call = api(api_request("POST", f"/ai/lookups/{created['id']}/test", {"arguments": {"order_number": "1"}}))
    assert call["ok"] is False
    assert call["error"] in ("connection refused", "the connection failed")


def test_lookups_a_slow_endpoint_is_a_call_not_ok_within_the_deadline(aws, shop):
    """The service with the adapter's own deadline shortened (the API's is 3 s per read, 5 s in all)."""
    from inbox.adapters.lookup_http import post_lookup
    from inbox.models import Principal, Role
    from inbox.services.ai_lookups import AiLookups

    lookups = wiring.ai_lookups()
    fast = AiLookups(
        lookups._store,
        wiring.cipher(),
        lambda url, body, headers: post_lookup(url, body, headers, wiring.destinations(), timeout=0.5, deadline=1.0),
    )
    who = Principal(user_id="u-admin", tenant_id="tenant-sample", role=Role.ADMIN)
    lookup, _ = fast.create(who, "find_order", "Find an order", PARAMETERS, shop.url)
    shop.answer = (200, b"{}", 2.0)
    started = time.monotonic()
    call = fast.call("tenant-sample", lookup, {"order_number": "1"})
    assert time.monotonic() - started < 1.8
    assert (call.ok, call.error) == (False, "no answer within 0.5 s")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"endpoint": "http://shop.example.com/lookup"}, "endpoint"),  # not https
        ({"endpoint": "https://10.1.2.3/lookup"}, "endpoint"),  # private: refused by the guard
        ({"endpoint": "https://169.254.169.254/latest"}, "endpoint"),  # metadata
        ({"endpoint": "https://user:pw@shop.example.com/"}, "endpoint"),
        ({"parameters": {"type": "string"}}, "parameters"),
        ({"parameters": {"type": "object", "properties": {"order": {"type": "object"}}}}, "parameters"),
        ({"parameters": {"type": "object", "properties": {"ids": {"type": "array"}}}}, "parameters"),
        ({"parameters": {"type": "object", "properties": {"n": {"type": "string", "pattern": ".*"}}}}, "parameters"),
        ({"parameters": {"type": "object", "properties": {}, "required": ["n"]}}, "parameters"),
        ({"parameters": {"type": "object", "additionalProperties": True}}, "parameters"),
        ({"name": "Find Order"}, "name"),
        ({"name": "1order"}, "name"),
        ({"name": "x" * 41}, "name"),
        ({"description": " "}, "description"),
        ({"description": "x" * 501}, "description"),
    ],
)
def test_lookups_bad_input_is_a_422_naming_the_field(aws, api, changes, field):
    status, body = api(api_request("POST", "/ai/lookups", lookup_body("https://shop.example.com/lookups") | changes))
    assert status == 422, body
    assert body["error"]["message"].startswith(f"{field}:"), body


def test_lookups_a_second_lookup_of_the_same_name_is_a_409_and_bad_changes_are_422s(aws, api, shop):
    created = register(api, shop.url)
    status, body = api(api_request("POST", "/ai/lookups", lookup_body("https://shop.example.com/x")))
    assert (status, body["error"]["message"]) == (409, "name: another lookup is named find_order")
    path = f"/ai/lookups/{created['id']}"
    for change, field in (
        ({"endpoint": "https://127.0.0.1.nip.io:99999/x"}, "endpoint"),
        ({"endpoint": "http://shop.example.com/x"}, "endpoint"),
        ({"parameters": {"type": "object", "properties": {"x": {"type": "null"}}}}, "parameters"),
        ({}, "body"),
        ({"secret": "mine"}, "secret"),
    ):
        status, body = api(api_request("PATCH", path, change))
        assert status == 422, (change, body)
        assert body["error"]["message"].startswith(f"{field}"), body
    for arguments, reason in (
        ({}, "arguments: order_number is required"),
        ({"order_number": 12345}, "arguments: order_number must be a string"),
        ({"order_number": "1", "tenant_id": "tenant-other"}, "arguments: 'tenant_id' is not a parameter"),
    ):
        status, body = api(api_request("POST", f"{path}/test", {"arguments": arguments}))
        assert (status, body["error"]["message"]) == (422, reason)
    assert shop.requests == []


def test_lookups_the_secret_is_shown_once_sealed_in_the_table_and_never_in_logs(aws, api, shop, caplog):
    created = register(api, shop.url)
    secret = created["secret"]
    assert secret.startswith("lksec_")
    lookup_id = created["id"]
    _, listed = api(api_request("GET", "/ai/lookups"))
    _, changed = api(api_request("PATCH", f"/ai/lookups/{lookup_id}", {"enabled": False}))
    assert all("secret" not in item for item in [*listed["items"], changed])
    assert secret not in json.dumps(aws.all_items())
    shop.answer = (500, b"", 0.0)
    with caplog.at_level(logging.DEBUG):
        _, call = api(api_request("POST", f"/ai/lookups/{lookup_id}/test", {"arguments": {"order_number": "1"}}))
    assert call["error"] == "HTTP 500"
    assert secret not in caplog.text
    status, rotated = api(api_request("POST", f"/ai/lookups/{lookup_id}/secret"))
    assert status == 200
    assert rotated["secret"].startswith("lksec_")
    assert rotated["secret"] != secret
    shop.secret, shop.answer = rotated["secret"], (200, b"{}", 0.0)
    api(api_request("POST", f"/ai/lookups/{lookup_id}/test", {"arguments": {"order_number": "1"}}))
    assert shop.verified == [True]


def test_lookups_the_tools_are_the_tenants_enabled_ones_and_another_tenant_cannot_use_them(aws, api, shop):
    created = register(api, shop.url)
    register_other = api(api_request("POST", "/ai/lookups", lookup_body(shop.url, name="other_one"), **OTHER_TENANT))
    assert register_other[0] == 201
    lookups = wiring.ai_lookups()
    assert [t.name for t in lookups.tools("tenant-sample")] == ["find_order"]
    assert [t.name for t in lookups.tools("tenant-other")] == ["other_one"]
    [mine] = lookups.tools("tenant-sample")
    call = lookups.call("tenant-other", mine, {"order_number": "12345"})
    assert (call.ok, call.error, call.arguments) == (False, "not this tenant's lookup", {})
    assert shop.requests == []

    path = f"/ai/lookups/{created['id']}"
    for method, suffix, body in (
        ("PATCH", "", {"enabled": False}),
        ("DELETE", "", None),
        ("POST", "/secret", None),
        ("POST", "/test", {"arguments": {"order_number": "1"}}),
    ):
        status, _ = api(api_request(method, path + suffix, body, **OTHER_TENANT))
        assert status == 404, (method, suffix)
    assert [i["name"] for i in api(api_request("GET", "/ai/lookups", **OTHER_TENANT))[1]["items"]] == ["other_one"]
    assert shop.requests == []

    api(api_request("PATCH", path, {"enabled": False}))
    assert lookups.tools("tenant-sample") == []


def test_lookups_a_disabled_lookup_is_not_called_by_the_ai(aws, api, shop):
    created = register(api, shop.url)
    lookups = wiring.ai_lookups()
    [lookup] = lookups.tools("tenant-sample")
    api(api_request("PATCH", f"/ai/lookups/{created['id']}", {"enabled": False}))
    off = lookup.model_copy(update={"enabled": False})
    call = lookups.call("tenant-sample", off, {"order_number": "1"})
    assert (call.ok, call.error) == (False, "the lookup is turned off")
    bad = lookups.call("tenant-sample", lookup, {"order_number": ["1"]})
    assert (bad.ok, bad.error) == (False, "arguments: order_number must be a string")
    assert shop.requests == []


def test_lookups_are_for_admins_agents_get_403(aws, api):
    assert api(api_request("POST", "/ai/lookups", lookup_body("https://shop.example.com/x"), **AGENT))[0] == 403
    assert api(api_request("GET", "/ai/lookups", **AGENT))[0] == 403


def test_lookups_the_samples_register_change_test_and_delete(aws, api):
    status, created = api(load_event("api/create_ai_lookup.json"))
    assert status == 201, created
    assert created["parameters"]["required"] == ["order_number"]
    status, changed = api(load_event("api/update_ai_lookup.json", LOOKUP_ID=created["id"]))
    assert (status, changed["enabled"]) == (200, False)
    assert api(load_event("api/list_ai_lookups.json"))[1]["items"][0]["id"] == created["id"]
    status, call = api(load_event("api/test_ai_lookup.json", LOOKUP_ID=created["id"]))
    assert (status, call["ok"]) == (200, False)  # shop.example.com is no shop
    assert api(load_event("api/rotate_ai_lookup_secret.json", LOOKUP_ID=created["id"]))[0] == 200
    assert api(load_event("api/delete_ai_lookup.json", LOOKUP_ID=created["id"]))[0] == 204
    assert api(load_event("api/list_ai_lookups.json")) == (200, {"items": []})


def test_lookups_a_change_racing_a_delete_answers_404_and_does_not_bring_it_back(aws, api, monkeypatch):
    created = register(api, "https://shop.example.com/x")
    store = wiring.ai_lookups()._store
    seen = store.lookup("tenant-sample", created["id"])
    monkeypatch.setattr(store, "lookup", lambda tenant_id, lookup_id: seen)
    store.delete_lookup("tenant-sample", created["id"])
    status, _ = api(api_request("PATCH", f"/ai/lookups/{created['id']}", {"enabled": False}))
    assert status == 404
    monkeypatch.undo()
    assert store.lookups("tenant-sample") == []


def test_lookups_changes_are_in_the_audit_trail_with_the_secret_masked(aws, api, template):
    """Through the template's stream filter to the audit reader, as test_audit_actions plays them."""
    from test_audit_actions import OTHER_ADMIN, Trail, entries, ok

    trail = Trail(aws, template)
    created = trail.after(
        lambda: ok(api(api_request("POST", "/ai/lookups", lookup_body("https://shop.example.com/x"))), 201)
    )
    path = f"/ai/lookups/{created['id']}"
    trail.after(lambda: ok(api(api_request("PATCH", path, {"endpoint": "https://shop.example.com/y"}))))
    rotated = trail.after(lambda: ok(api(api_request("POST", f"{path}/secret"))))
    trail.after(lambda: ok(api(api_request("DELETE", path, **OTHER_ADMIN)), 204))

    made = list(reversed(entries(api)))
    assert [(e["kind"], e["target"]["type"], e["target"]["id"]) for e in made] == [
        ("ai_lookup.changed", "ai_lookup", created["id"])
    ] * 4
    assert made[-1]["actor"]["id"] == OTHER_ADMIN["sub"]  # removed by whoever removed it
    assert {"field": "secret", "before": None, "after": "••••"} in made[0]["changes"]
    assert {"field": "endpoint", "before": "https://shop.example.com/x", "after": "https://shop.example.com/y"} in (
        made[1]["changes"]
    )
    assert {"field": "secret", "before": "••••", "after": "••••"} in made[2]["changes"]
    text = json.dumps(made)
    for secret in (created["secret"], rotated["secret"], "v1."):
        assert secret not in text
