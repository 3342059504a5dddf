"""The audit trail through the API function under moto (issue 14, item 3): admins read `/audit`,
filtered by person, conversation, kind and period, page by page; an agent gets 403; another tenant's
entries are never listed; a conversation's `/history` is for anyone who may read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpers.events import api_request, load_event
from inbox import wiring
from inbox.domain.audit import AuditChange, AuditEntry, AuditKind
from samples import TENANT

ME = "7c9e6679-7425-40de-944b-e07fc1f90ae7"  # the sample admin's sub (events/api/*.json)
AGENT = {"sub": "agent-1", "cognito:groups": "[agent]"}
T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def entry(n: int, *, tenant: str = TENANT, actor: str = ME, kind=AuditKind.CONVERSATION_STATUS, conv="c1", at=None):
    return AuditEntry(
        id=f"e{n:03d}",
        tenant_id=tenant,
        at=at or T0 + timedelta(hours=n),
        actor_type="person",
        actor_id=actor,
        kind=kind,
        target_type="conversation",
        target_id=conv,
        conversation_id=conv,
        changes=(AuditChange("status", "open", "resolved"),),
    )


def kept(*entries: AuditEntry) -> None:
    wiring.store().put_audit_entries(list(entries), timedelta(days=365))


def page(api, query: str = "", **claims) -> dict:
    status, body = api(api_request("GET", f"/audit{query}", **claims))
    assert status == 200, body
    return body


def test_an_agent_cannot_read_the_audit(api):
    status, body = api(api_request("GET", "/audit", **AGENT))
    assert status == 403, body


def test_entries_newest_first_with_who_what_and_before_after(api):
    kept(entry(1), entry(2, kind=AuditKind.CONVERSATION_ASSIGNED))
    items = page(api, "?from=2026-11-01&to=2026-11-30")["items"]
    assert [i["id"] for i in items] == ["e002", "e001"]
    assert items[1] == {
        "id": "e001",
        "at": "2026-11-28T10:00:00Z",
        "actor": {"type": "person", "id": ME},
        "kind": "conversation.status",
        "conversation_id": "c1",
        "target": {"type": "conversation", "id": "c1"},
        "changes": [{"field": "status", "before": "open", "after": "resolved"}],
        "summary": None,
    }


def test_another_tenants_entries_are_never_listed(api):
    kept(entry(1, tenant="tenant-other"), entry(2, tenant="tenant-other", conv="c9"))
    assert page(api, "?from=2026-11-01&to=2026-11-30")["items"] == []
    assert page(api, "?from=2026-11-01&to=2026-11-30&conversation=c9")["items"] == []


def test_filters_by_person_kind_conversation_and_period(api):
    kept(
        entry(1),
        entry(2, actor="lea"),
        entry(3, kind=AuditKind.CONVERSATION_MOVED),
        entry(4, conv="c2"),
        entry(5, at=datetime(2026, 10, 3, tzinfo=UTC)),  # a month before: another partition
    )

    def ids(query: str) -> list[str]:
        return [i["id"] for i in page(api, query)["items"]]

    assert ids("?from=2026-10-01&to=2026-11-30") == ["e004", "e003", "e002", "e001", "e005"]
    assert ids("?from=2026-10-01&to=2026-11-30&person=lea") == ["e002"]
    assert ids("?from=2026-10-01&to=2026-11-30&kind=conversation.moved") == ["e003"]
    assert ids("?from=2026-10-01&to=2026-11-30&conversation=c2") == ["e004"]
    assert ids("?from=2026-11-28T11:30:00Z&to=2026-11-28T12:59:59") == ["e003"]
    assert ids("?from=2026-11-01&to=2026-11-30&person=lea&kind=conversation.status") == ["e002"]


@pytest.mark.parametrize("query", ["", "&person=" + ME, "&conversation=c1"])
def test_pages_follow_each_other_with_a_cursor(api, query):
    kept(*[entry(n, at=T0 - timedelta(days=n * 4)) for n in range(1, 16)])  # over two months
    seen, cursor = [], None
    for _ in range(20):
        body = page(api, f"?from=2026-09-01&to=2026-11-30&limit=4{query}" + (f"&cursor={cursor}" if cursor else ""))
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [f"e{n:03d}" for n in range(1, 16)]


def test_a_cursor_of_another_list_is_refused(api):
    kept(*[entry(n) for n in range(1, 4)])
    cursor = page(api, "?from=2026-11-01&to=2026-11-30&limit=1")["next_cursor"]
    status, body = api(api_request("GET", f"/audit?from=2026-11-01&to=2026-11-30&conversation=c1&cursor={cursor}"))
    assert status == 422, body
    assert "cursor" in str(body)


def test_bad_dates_are_422_naming_the_field(api):
    for query, field in (
        ("?from=yesterday", "from"),
        ("?to=2026-13-01", "to"),
        ("?from=2026-11-02&to=2026-11-01", "from"),
    ):
        status, body = api(api_request("GET", f"/audit{query}"))
        assert status == 422, (query, body)
        assert field in str(body), (query, body)


@pytest.mark.parametrize(
    ("query", "field"),
    [("?from=0001-01-01T00:00:00%2B05:00", "from"), ("?to=9999-12-31T23:59:59-05:00", "to")],
)
def test_dates_out_of_range_are_422_naming_the_field(api, query, field):
    """Before the first UTC moment there is, or after the last (audit item 5): not a 500."""
    status, body = api(api_request("GET", f"/audit{query}"))
    assert status == 422, body
    assert field in str(body), body


def test_a_period_beyond_what_the_trail_holds_is_read_within_it(api):
    """Clamped to the retention period and now (audit items 5 and 7): the widest period is the
    retention's 13 months, read in a few pages (not 120,000 months of empty pages), without the
    entries past their TTL that DynamoDB has not removed yet."""
    recent = datetime.now(UTC) - timedelta(hours=1)
    kept(entry(1, at=recent), entry(2, at=recent - timedelta(days=40)))
    wiring.store().put_audit_entries([entry(3, at=recent)], timedelta(minutes=30))  # expired half an hour ago
    seen, cursor = [], None
    for _ in range(4):
        body = page(api, "?from=0001-01-01&to=9999-12-31" + (f"&cursor={cursor}" if cursor else ""))
        seen, cursor = seen + [i["id"] for i in body["items"]], body["next_cursor"]
        if not cursor:
            break
    assert (seen, cursor) == (["e001", "e002"], None)
    assert page(api, "?to=0001-01-05") == {"items": [], "next_cursor": None}
    assert [i["id"] for i in page(api)["items"]] == ["e001", "e002"]


def test_a_stale_cursor_outside_the_period_is_refused(api):
    """A cursor whose key is outside the period asked for now (the same month, a shorter period):
    DynamoDB refuses such a start key, a 500 on AWS (audit item 6); 422 naming the cursor."""
    kept(*[entry(n) for n in range(1, 4)])
    cursor = page(api, "?from=2026-11-01&to=2026-11-30&limit=1")["next_cursor"]
    status, body = api(api_request("GET", f"/audit?from=2026-11-01&to=2026-11-27&cursor={cursor}"))
    assert status == 422, body
    assert "cursor" in str(body)


def test_history_of_a_conversation_for_anyone_who_may_read_it(api, post_webhook):
    status, accepted = post_webhook()
    assert status == 202, accepted
    conversation_id = accepted["conversation_id"]
    recent = datetime.now(UTC) - timedelta(hours=1)
    kept(entry(1, conv=conversation_id, at=recent), entry(2, conv="c2", at=recent))
    status, body = api(api_request("GET", f"/conversations/{conversation_id}/history", **AGENT))
    assert status == 200, body
    assert [i["id"] for i in body["items"]] == ["e001"]
    status, body = api(api_request("GET", "/conversations/nope/history", **AGENT))
    assert status == 404, body
    status, body = api(
        api_request("GET", f"/conversations/{conversation_id}/history", **{"custom:tenant_id": "tenant-other"})
    )
    assert status == 404, body


def test_the_samples_read_the_trail_and_a_history(api, post_webhook):
    conversation_id = post_webhook()[1]["conversation_id"]
    kept(entry(1), entry(2, kind=AuditKind.CONVERSATION_MOVED), entry(3, conv=conversation_id, at=datetime.now(UTC)))
    status, body = api(load_event("api/audit.json"))
    assert status == 200, body
    assert [i["id"] for i in body["items"]] == ["e003", "e001"]  # the sample asks for status changes since November
    status, body = api(load_event("api/conversation_history.json", CONVERSATION_ID=conversation_id))
    assert status == 200, body
    assert [i["id"] for i in body["items"]] == ["e003"]
