"""The conversation list's filters and sorts through the API, every combination it offers, against
a reference computed here from what was stored; another tenant's conversations never show."""

from __future__ import annotations

import itertools

import pytest

from helpers.events import api_request
from helpers.listing import ME, listed, seed
from inbox import wiring
from inbox.adapters.dynamodb.conversations import STATUS_ORDER
from inbox.domain.conversations import urgency_rank, view_folder
from inbox.models import Channel, Conversation, Status
from samples import TENANT

INTRUDER = {"custom:tenant_id": "intruder"}

FOLDERS = (None, "inbox", "orders")
STATUSES = (None, Status.NEW, Status.URGENT, Status.RESOLVED)
CHANNELS = (None, Channel.EMAIL, Channel.SMS)
ASSIGNEES = (None, "me", "none", "u-marie")
SORTS = ("-activity", "activity", "urgency", "status")


def expected(stored: list[Conversation], sort: str, folder=None, status=None, channel=None, assignee=None):
    def kept(c: Conversation) -> bool:
        wanted_assignee = {"me": ME, "none": None}.get(assignee, assignee)
        return (
            (folder is None or view_folder(c) == folder)
            and (status is None or c.status == status)
            and (channel is None or c.channel == channel)
            and (assignee is None or c.assignee_id == wanted_assignee)
        )

    found = sorted((c for c in stored if kept(c)), key=lambda c: c.last_activity_at, reverse=True)
    if sort == "activity":
        found.reverse()
    elif sort == "urgency":
        found.sort(key=lambda c: -urgency_rank(c))  # stable: newest first among equals
    elif sort == "status":
        found.sort(key=lambda c: STATUS_ORDER.index(c.status))
    return [c.id for c in found]


@pytest.fixture
def stored(aws):
    seed("intruder", prefix="x-")  # the same shapes in another tenant: none of them may show
    return seed(TENANT)


def test_every_combination_of_filters_and_sort_lists_what_the_reference_says(api, stored):
    for folder, status, channel, assignee, sort in itertools.product(FOLDERS, STATUSES, CHANNELS, ASSIGNEES, SORTS):
        given = {"folder": folder, "status": status, "channel": channel, "assignee": assignee}
        given = {k: str(v) for k, v in given.items() if v is not None}
        assert listed(api, sort=sort, limit=100, **given) == expected(stored, sort, **given), (sort, given)


@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_pages_through_the_list_one_at_a_time(api, stored, sort):
    assert listed(api, sort=sort, limit=1) == expected(stored, sort)
    assert listed(api, sort=sort, limit=2, folder="orders") == expected(stored, sort, folder="orders")
    assert listed(api, sort=sort, limit=1, assignee="me") == expected(stored, sort, assignee="me")


def test_the_sorts_put_urgent_first_and_group_statuses_in_their_order(api, stored):
    assert listed(api, sort="-activity") == ["h", "g", "f", "e", "d", "c", "b", "a"]
    assert listed(api, sort="activity") == ["a", "b", "c", "d", "e", "f", "g", "h"]
    # urgent status or high urgency, then normal or unjudged, then low; newest first in each
    assert listed(api, sort="urgency") == ["e", "b", "h", "f", "d", "c", "g", "a"]
    assert listed(api, sort="status") == ["b", "h", "e", "a", "g", "c", "d", "f"]
    assert listed(api, sort="urgency", contact="k-e") == ["e"]


def test_a_change_of_urgency_moves_the_conversation_in_the_urgency_sort(api, stored):
    store = wiring.store()
    before = store.get_conversation(TENANT, "a")
    store.save_conversation(before, before.model_copy(update={"urgency": "high"}))
    assert listed(api, sort="urgency")[:3] == ["e", "b", "a"]


def test_another_tenant_sees_only_its_own_and_cannot_follow_our_cursors(api, stored):
    for sort in SORTS:
        theirs = ["x-" + cid for cid in expected(stored, sort)]
        assert listed(api, INTRUDER, sort=sort) == theirs
        assert listed(api, INTRUDER, sort=sort, limit=1, assignee="none") == [
            "x-" + cid for cid in expected(stored, sort, assignee="none")
        ]
    for sort, limit in itertools.product(SORTS, (1, 2, 3)):
        # Our cursor in their hands: refused, or (a status group's start names nothing of ours) their own list.
        cursor = api(api_request("GET", f"/conversations?sort={sort}&limit={limit}"))[1]["next_cursor"]
        status, body = api(api_request("GET", f"/conversations?sort={sort}&cursor={cursor}", **INTRUDER))
        if status == 200:
            assert all(c["id"].startswith("x-") for c in body["items"]), (sort, body)
        else:
            assert (status, body["error"]["message"].split(":")[0]) == (422, "cursor"), (sort, body)


def test_a_cursor_continues_only_the_sort_it_came_from(api, stored):
    by_urgency = api(api_request("GET", "/conversations?sort=urgency&limit=1"))[1]["next_cursor"]
    by_status = api(api_request("GET", "/conversations?sort=status&limit=1"))[1]["next_cursor"]
    for sort, cursor in (("-activity", by_urgency), ("urgency", by_status), ("status", by_urgency)):
        status, body = api(api_request("GET", f"/conversations?sort={sort}&cursor={cursor}"))
        assert (status, body["error"]["message"].split(":")[0]) == (422, "cursor"), sort
    assert api(api_request("GET", "/conversations?sort=priority"))[0] == 422
