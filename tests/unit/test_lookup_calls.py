"""The AI's lookups without AWS (issue 16, item 1): the parameters a lookup takes, arguments checked
before anything is sent, an endpoint's answer read or refused, the line shown with a draft, the POST's
deadline and size limit against loopback endpoints, and the audit trail's entry with the secret masked."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.stream_events import item_writes
from inbox.adapters.lookup_http import post_lookup
from inbox.adapters.outbound import Destinations
from inbox.domain import signatures
from inbox.domain.audit import MASK, AuditKind
from inbox.domain.audit_trail import entries_of
from inbox.domain.lookup_answers import arguments_problem, read_answer, summary_of
from inbox.models import Principal, Role
from inbox.models.ai_lookup import AiLookup, parameter_schema
from inbox.services.ai_lookups import AiLookups
from local.event_filters import compile_filters, keeps

LOOPBACK = Destinations(allow_loopback=True)
ORDER = {"type": "object", "properties": {"order_number": {"type": "string"}}}
SEALED = "v1.QUFBQUFBQUFBQUFB.QkJCQkJCQkJCQkJC.Q0NDQ0NDQ0NDQ0ND"
ADMIN = Principal(user_id="u1", tenant_id="t1", role=Role.ADMIN)
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


# ------------------------------------------------------------------ parameters and arguments


def test_parameters_are_written_out_in_full():
    assert parameter_schema(ORDER) == {
        "type": "object",
        "properties": {"order_number": {"type": "string"}},
        "required": ["order_number"],
        "additionalProperties": False,
    }
    optional = {"type": "object", "properties": {"n": {"type": "integer", "enum": [1, 2]}}, "required": []}
    assert parameter_schema(optional)["required"] == []
    assert parameter_schema({"type": "object"})["properties"] == {}


@pytest.mark.parametrize(
    ("schema", "reason"),
    [
        ([], 'must be a JSON schema of type "object"'),
        ({"type": "array"}, 'must be a JSON schema of type "object"'),
        ({"type": "object", "$ref": "#/x"}, "does not take $ref (type, properties, required only)"),
        ({"type": "object", "properties": {"o": {"type": "object"}}}, "parameter o: type must be one of"),
        ({"type": "object", "properties": {"o": {"type": ["string", "null"]}}}, "parameter o: type must be one of"),
        ({"type": "object", "properties": {"o": {"type": "string", "format": "x"}}}, "parameter o: does not take"),
        ({"type": "object", "properties": {"o": {"type": "boolean", "enum": [1]}}}, "parameter o: enum must list"),
        ({"type": "object", "properties": {"o": {"type": "integer", "enum": [True]}}}, "parameter o: enum must list"),
        ({"type": "object", "properties": {"a b": {"type": "string"}}}, "parameter 'a b': a name is"),
        ({"type": "object", "properties": {f"p{n}": {"type": "string"} for n in range(11)}}, "properties must be"),
        ({"type": "object", "properties": {"o": {"type": "string", "description": 3}}}, "parameter o: description"),
        ({"type": "object", "required": "o"}, "required must list names among the properties"),
    ],
)
def test_parameters_that_are_not_an_object_of_simple_types_are_refused(schema, reason):
    with pytest.raises(ValueError, match="^" + reason.replace("$", r"\$").replace("(", r"\(").replace(")", r"\)")):
        parameter_schema(schema)


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"order_number": "12345"}, None),
        ({}, "order_number is required"),
        ({"order_number": None}, "order_number is required"),
        ({"order_number": 12345}, "order_number must be a string"),
        ({"order_number": "1", "tenant_id": "t2"}, "'tenant_id' is not a parameter"),
        ({"order_number": "x" * 501}, "order_number must be at most 500 characters"),
        (["12345"], "must be a JSON object"),
    ],
)
def test_arguments_are_checked_against_the_parameters(arguments, problem):
    assert arguments_problem(parameter_schema(ORDER), arguments) == problem


def test_arguments_of_each_simple_type_and_enums():
    schema = parameter_schema(
        {
            "type": "object",
            "properties": {
                "n": {"type": "integer"},
                "x": {"type": "number"},
                "b": {"type": "boolean"},
                "c": {"type": "string", "enum": ["fr", "en"]},
            },
            "required": ["n"],
        }
    )
    assert arguments_problem(schema, {"n": 1, "x": 1.5, "b": False, "c": "fr"}) is None
    assert arguments_problem(schema, {"n": True}) == "n must be an integer"
    assert arguments_problem(schema, {"n": 1, "x": "1"}) == "x must be a number"
    assert arguments_problem(schema, {"n": 1, "c": "de"}) == "c must be one of the listed values"
    assert arguments_problem(schema, {"n": 1, "c": None}) is None  # an optional one left empty


# ------------------------------------------------------------------ answers and summaries


def test_an_answer_is_a_json_object_or_the_reason_it_is_not():
    assert read_answer(200, b'{"status": "shipped"}', False, 16_384) == ({"status": "shipped"}, None)
    assert read_answer(200, b"[]", False, 16_384) == (None, "the answer is not a JSON object")
    assert read_answer(200, b"\xff\xfe", False, 16_384) == (None, "the answer is not a JSON object")
    assert read_answer(200, b"[" * 100 + b"]" * 100, False, 16_384) == (None, "the answer is not a JSON object")
    assert read_answer(200, b'{"a": NaN}', False, 16_384) == (None, "the answer is not a JSON object")
    assert read_answer(200, b"{}", True, 16_384) == (None, "the answer is larger than 16 KB")
    assert read_answer(503, b"", False, 16_384) == (None, "HTTP 503")
    assert read_answer(404, b'{"error": "order\\nnot   found"}', False, 16_384) == (None, "HTTP 404: order not found")
    assert read_answer(400, b'{"error": {"x": 1}}', False, 16_384) == (None, "HTTP 400")
    assert read_answer(301, b'{"error": "moved"}', False, 16_384) == (None, "HTTP 301: redirects are not followed")


def test_a_summary_is_one_line_of_the_simple_values():
    answer = {"order_number": "12345", "status": "shipped", "items": [{"sku": "x"}], "gift": False, "note": ""}
    assert summary_of({"order_number": "12345"}, answer) == ("order_number 12345: status shipped, gift no")
    assert summary_of({"order_number": "12345"}, {"order_number": "12346"}) == "order_number 12345: order_number 12346"
    assert summary_of({"order_number": "9"}, None, "HTTP 404: order not found") == (
        "order_number 9: failed (HTTP 404: order not found)"
    )
    assert summary_of({}, {"open": True}) == "open yes"
    long = summary_of({"q": "x"}, {"text": "word\n" * 200})
    assert len(long) == 300
    assert long.endswith("…")
    assert "\n" not in long


# ------------------------------------------------------------------ the service, on fakes


class FakeStore:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], AiLookup] = {}

    def lookups(self, tenant_id: str) -> list[AiLookup]:
        return [lookup for (tenant, _), lookup in sorted(self.items.items()) if tenant == tenant_id]

    def lookup(self, tenant_id: str, lookup_id: str) -> AiLookup | None:
        return self.items.get((tenant_id, lookup_id))

    def save_lookup(self, lookup: AiLookup) -> bool:
        """As the table's: a name another lookup of the tenant holds is refused (False)."""
        if any(other.name == lookup.name and other.id != lookup.id for other in self.lookups(lookup.tenant_id)):
            return False
        self.items[(lookup.tenant_id, lookup.id)] = lookup
        return True

    def replace_lookup(self, lookup: AiLookup, renamed_from: str | None = None) -> bool:
        return self.save_lookup(lookup)

    def delete_lookup(self, tenant_id: str, lookup_id: str) -> None:
        self.items.pop((tenant_id, lookup_id), None)


class FakeCipher:
    """Seals by wrapping; opening checks the context, as KMS's encryption context does."""

    def encrypt(self, text: str, context: dict[str, str]) -> str:
        return "sealed:" + json.dumps([text, context])

    def decrypt(self, sealed: str, context: dict[str, str]) -> str:
        text, sealed_for = json.loads(sealed.removeprefix("sealed:"))
        assert sealed_for == context
        return text


class Answer:
    def __init__(self, status: int | None, body: bytes = b"", too_large: bool = False, error: str | None = None):
        self.status, self.body, self.too_large, self.error = status, body, too_large, error


def service(answer: Answer) -> tuple[AiLookups, list[tuple[str, bytes, dict[str, str]]]]:
    sent: list[tuple[str, bytes, dict[str, str]]] = []

    def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
        sent.append((url, body, headers))
        return answer

    ticks = iter([10.0, 10.25])
    return AiLookups(FakeStore(), FakeCipher(), post, clock=lambda: NOW, timer=lambda: next(ticks)), sent


def test_a_call_posts_the_arguments_signed_and_names_the_lookup_only():
    lookups, sent = service(Answer(200, b'{"status": "shipped", "tracking": "6A1"}'))
    lookup, secret = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
    assert lookup.secret != secret
    assert secret.startswith("lksec_")
    call = lookups.call("t1", lookup, {"order_number": "12345"})
    assert call.model_dump() == {
        "name": "find_order",
        "arguments": {"order_number": "12345"},
        "ok": True,
        "answer": {"status": "shipped", "tracking": "6A1"},
        "summary": "order_number 12345: status shipped, tracking 6A1",
        "error": None,
        "duration_ms": 250,
    }
    [(url, body, headers)] = sent
    assert url == "https://shop.example.com/order"
    assert body == b'{"parameters":{"order_number":"12345"},"customer":{"email":null,"phone":null}}'
    signatures.verify(secret, body, headers[signatures.HEADER], NOW.timestamp())
    assert set(headers) == {signatures.HEADER, "X-Inbox-Lookup"}
    assert headers["X-Inbox-Lookup"] == "find_order"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (Answer(None, error="refused: 10.0.0.1 is a private address"), "refused: 10.0.0.1 is a private address"),
        (Answer(None, error="no complete answer within 5 s"), "no complete answer within 5 s"),
        (Answer(502), "HTTP 502"),
        (Answer(200, b"not json"), "the answer is not a JSON object"),
        (Answer(200, b"{}", too_large=True), "the answer is larger than 16 KB"),
    ],
)
def test_an_endpoints_failure_is_a_call_not_ok_never_an_exception(answer, error):
    lookups, _ = service(answer)
    lookup, _ = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
    call = lookups.call("t1", lookup, {"order_number": "1"})
    assert (call.ok, call.answer, call.error, call.duration_ms) == (False, None, error, 250)


def test_another_tenants_lookup_or_bad_arguments_are_never_sent():
    lookups, sent = service(Answer(200, b"{}"))
    lookup, _ = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
    assert lookups.tools("t2") == []
    assert lookups.call("t2", lookup, {"order_number": "1"}).error == "not this tenant's lookup"
    assert lookups.call("t1", lookup, {"order_number": 1}).error == "arguments: order_number must be a string"
    assert lookups.call("t1", lookup, "12345").error == "arguments: must be a JSON object"  # type: ignore[arg-type]
    assert sent == []


def test_a_copied_secret_does_not_open_for_another_lookup():
    lookups, _ = service(Answer(200, b"{}"))
    first, _ = lookups.create(ADMIN, "find_order", "Find an order", ORDER, "https://shop.example.com/order")
    second, _ = lookups.create(ADMIN, "find_booking", "Find a booking", ORDER, "https://shop.example.com/booking")
    forged = second.model_copy(update={"secret": first.secret})
    with pytest.raises(AssertionError):
        lookups.call("t1", forged, {"order_number": "1"})


# ------------------------------------------------------------------ the POST against loopback


@pytest.fixture
def endpoint():
    """A loopback endpoint that reads the request and sends `endpoint.answer` in `endpoint.pieces`, each
    after `endpoint.pause` seconds."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    class State:
        answer = b""
        pieces = 1
        pause = 0.0

    def serve() -> None:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.recv(65_536)
            size = max(1, len(State.answer) // State.pieces)
            for start in range(0, len(State.answer), size):
                time.sleep(State.pause)
                try:
                    conn.sendall(State.answer[start : start + size])
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    State.url = f"http://127.0.0.1:{server.getsockname()[1]}/lookup"  # type: ignore[attr-defined]
    State.start = thread.start  # type: ignore[attr-defined]
    yield State
    server.close()
    thread.join(timeout=10)


def http_answer(body: bytes, chunked: bool = False) -> bytes:
    if chunked:
        chunks = b"".join(
            b"%x\r\n%s\r\n" % (len(body[i : i + 4096]), body[i : i + 4096]) for i in range(0, len(body), 4096)
        )
        return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body


def test_an_answer_is_read_whole(endpoint):
    endpoint.answer = http_answer(b'{"status": "shipped"}', chunked=True)
    endpoint.start()
    answered = post_lookup(endpoint.url, b"{}", {}, LOOPBACK)
    assert (answered.status, answered.body, answered.too_large, answered.error) == (
        200,
        b'{"status": "shipped"}',
        False,
        None,
    )


@pytest.mark.parametrize("chunked", [False, True])
def test_an_answer_past_the_limit_is_cut_and_said_too_large(endpoint, chunked):
    endpoint.answer = http_answer(b"x" * 40_000, chunked=chunked)
    endpoint.start()
    answered = post_lookup(endpoint.url, b"{}", {}, LOOPBACK)
    assert (answered.status, len(answered.body), answered.too_large) == (200, 16_384, True)


def test_a_body_that_trickles_past_the_deadline_is_no_answer(endpoint):
    """Headers at once, then a byte every 0.02 s: never a silence long enough for the per-read timeout."""
    endpoint.answer = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b" " * 100
    endpoint.pieces, endpoint.pause = len(endpoint.answer), 0.02
    endpoint.start()
    started = time.monotonic()
    answered = post_lookup(endpoint.url, b"{}", {}, LOOPBACK, timeout=0.5, deadline=1.0)
    assert time.monotonic() - started < 2.0
    assert (answered.status, answered.error) == (None, "no complete answer within 1 s")


def test_a_private_or_plain_http_endpoint_is_refused_before_any_connection():
    assert post_lookup("https://10.0.0.1/x", b"{}", {}, Destinations()).error == (
        "refused: 10.0.0.1 is a private address, which this deployment does not connect to"
    )
    assert post_lookup("http://127.0.0.1:9/x", b"{}", {}, Destinations()).error == "refused: must be an https URL"


# ------------------------------------------------------------------ the audit trail

_serialize = TypeSerializer().serialize


def stream_record(old: dict | None, new: dict | None) -> dict[str, Any]:
    item = new or old
    stream: dict[str, Any] = {"Keys": {"PK": {"S": item["PK"]}, "SK": {"S": item["SK"]}}}
    stream["ApproximateCreationDateTime"] = NOW.timestamp()
    for name, image in (("OldImage", old), ("NewImage", new and new | {"changed_by": "person:u1"})):
        if image is not None:
            stream[name] = {k: _serialize(v) for k, v in image.items() if v is not None}
    kind = "REMOVE" if new is None else "MODIFY" if old is not None else "INSERT"
    return {"eventID": "r1", "eventName": kind, "dynamodb": stream}


def lookup_item(**changes: Any) -> dict[str, Any]:
    fields = {
        "id": "l1",
        "tenant_id": "t1",
        "name": "find_order",
        "description": "Find an order",
        "parameters": parameter_schema(ORDER),
        "endpoint": "https://shop.example.com/order",
        "enabled": True,
        "secret": SEALED,
        "created_at": NOW.isoformat(),
        "updated_at": NOW.isoformat(),
    } | changes
    return {"PK": keys.ai_lookups_pk("t1"), "SK": keys.ai_lookup_sk("l1"), "type": "ai_lookup", **fields}


def test_a_lookups_changes_are_audited_with_the_secret_masked():
    [rotated] = entries_of(
        item_writes([stream_record(lookup_item(), lookup_item(secret=SEALED + "x", enabled=False))])[0]
    )
    assert (rotated.kind, rotated.target_type, rotated.target_id, rotated.summary) == (
        AuditKind.AI_LOOKUP_CHANGED,
        "ai_lookup",
        "l1",
        "find_order",
    )
    changes = {change.field: (change.before, change.after) for change in rotated.changes}
    assert changes["secret"] == (MASK, MASK)
    assert changes["enabled"] == (True, False)
    assert SEALED not in repr(rotated)


def test_the_events_functions_filter_lets_a_lookups_writes_and_removal_through(template):
    source = template["Resources"]["EventsFunction"]["Properties"]["Events"]["TableChanges"]["Properties"]
    patterns = compile_filters(source["FilterCriteria"])
    assert keeps(patterns, stream_record(None, lookup_item()))
    assert keeps(patterns, stream_record(lookup_item(), None))
