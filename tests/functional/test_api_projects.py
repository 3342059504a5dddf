"""Projects through the API: the team creates and changes them, links conversations (one project
each) and lists a project's conversations in every sort; another tenant's are never seen."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpers.events import api_request, load_event
from helpers.listing import listed, store_conversation
from inbox.models import Channel, Status
from samples import AGENT, NOW, TENANT

INTRUDER = {"custom:tenant_id": "intruder"}


def seed(tenant_id: str, names: str) -> None:
    """One email conversation per letter, an hour apart (the first the oldest); `e` is urgent."""
    for hour, name in enumerate(names):
        status = Status.URGENT if name == "e" else Status.NEW
        store_conversation(tenant_id, name, NOW + timedelta(hours=hour), channel=Channel.EMAIL, status=status)


def create(api, body: dict, **claims) -> dict:
    status, project = api(api_request("POST", "/projects", body, **claims))
    assert status == 201, project
    return project


def link(api, conversation_id: str, project_id: str | None, **claims) -> tuple[int, dict]:
    return api(api_request("PATCH", f"/conversations/{conversation_id}", {"project_id": project_id}, **claims))


def refused(answer: tuple[int, dict], words: str) -> None:
    """A 422 whose message says `words` (the field it names, or why)."""
    status, error = answer
    assert status == 422, error
    assert words in error["error"]["message"], error


@pytest.fixture
def conversations(aws):
    seed(TENANT, "abcdef")


def test_an_agent_creates_a_project_and_changes_it(api, aws):
    project = create(api, {"name": "Kitchen, 12 rue Haute", "external_ref": "JOB-1042"}, **AGENT)
    assert project | {"id": "", "created_at": "", "updated_at": ""} == {
        "id": "",
        "name": "Kitchen, 12 rue Haute",
        "external_ref": "JOB-1042",
        "url": None,
        "archived": False,
        "created_at": "",
        "updated_at": "",
    }
    path = f"/projects/{project['id']}"
    status, changed = api(api_request("PATCH", path, {"url": "https://erp.example.com/jobs/1042"}, **AGENT))
    assert status == 200, changed
    assert (changed["name"], changed["url"]) == ("Kitchen, 12 rue Haute", "https://erp.example.com/jobs/1042")
    status, cleared = api(api_request("PATCH", path, {"external_ref": None}))
    assert (status, cleared["external_ref"], cleared["url"]) == (200, None, "https://erp.example.com/jobs/1042")
    assert api(api_request("GET", path))[1]["external_ref"] is None


def test_projects_are_listed_newest_first_page_by_page(api, aws):
    names = [create(api, {"name": f"Project {n}"})["name"] for n in range(5)]
    seen, cursor = [], None
    while True:
        status, page = api(api_request("GET", "/projects?limit=2" + (f"&cursor={cursor}" if cursor else "")))
        assert status == 200, page
        seen += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(names))


def test_a_project_lists_its_conversations_in_every_sort_and_a_conversation_has_one_project(api, conversations):
    kitchen, roof = create(api, {"name": "Kitchen"}), create(api, {"name": "Roof"})
    for name in "bce":
        status, changed = link(api, name, kitchen["id"], **AGENT)
        assert (status, changed["project_id"]) == (200, kitchen["id"])
    assert link(api, "d", roof["id"])[0] == 200

    assert listed(api, project=kitchen["id"]) == ["e", "c", "b"]
    assert listed(api, project=kitchen["id"], sort="activity", limit=1) == ["b", "c", "e"]
    assert listed(api, project=kitchen["id"], sort="urgency", limit=1) == ["e", "c", "b"]
    assert listed(api, project=kitchen["id"], sort="status") == ["e", "c", "b"]
    assert listed(api, project=kitchen["id"], status="new") == ["c", "b"]

    # Linked to another project, it leaves the first; unlinked, it is in none.
    assert link(api, "c", roof["id"])[0] == 200
    assert listed(api, project=kitchen["id"]) == ["e", "b"]
    assert listed(api, project=roof["id"]) == ["d", "c"]
    status, unlinked = link(api, "b", None)
    assert (status, unlinked["project_id"]) == (200, None)
    assert listed(api, project=kitchen["id"]) == ["e"]
    assert "b" in listed(api)


def test_linking_to_an_unknown_or_archived_project_is_a_422_on_project_id(api, conversations):
    refused(link(api, "a", "no-such-project"), "project_id")
    done = create(api, {"name": "Done"})
    assert api(api_request("PATCH", f"/projects/{done['id']}", {"archived": True}))[0] == 200
    refused(link(api, "a", done["id"]), "archived")
    # Bulk links take the same check.
    bulk = {"ids": ["a", "b"], "changes": {"project_id": "no-such-project"}}
    assert api(api_request("POST", "/conversations/bulk", bulk))[0] == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "a\nb"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Job", "url": "javascript:alert(1)"}, "url"),
        ({"name": "Job", "url": "ftp://files.example.com/x"}, "url"),
        ({"name": "Job", "url": "https://"}, "url"),
        ({"name": "Job", "external_ref": "   "}, "external_ref"),
        ({"name": "Job", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_project_is_a_422_naming_the_field(api, aws, body, field):
    refused(api(api_request("POST", "/projects", body)), field)


def test_a_project_cannot_lose_its_name(api, aws):
    project = create(api, {"name": "Job"})
    refused(api(api_request("PATCH", f"/projects/{project['id']}", {"name": None})), "name")


def test_another_tenants_projects_and_their_conversations_are_never_seen(api, conversations):
    seed("intruder", "xyz")
    mine = create(api, {"name": "Mine"})
    assert link(api, "a", mine["id"])[0] == 200
    theirs = create(api, {"name": "Theirs"}, **INTRUDER)

    path = f"/projects/{mine['id']}"
    assert api(api_request("GET", path, **INTRUDER))[0] == 404
    assert api(api_request("PATCH", path, {"name": "Taken"}, **INTRUDER))[0] == 404
    assert [p["name"] for p in api(api_request("GET", "/projects", **INTRUDER))[1]["items"]] == ["Theirs"]
    status, page = api(api_request("GET", f"/conversations?project={mine['id']}", **INTRUDER))
    assert (status, page["items"]) == (200, [])
    # Nor can a conversation be linked across tenants, either way.
    assert link(api, "x", mine["id"], **INTRUDER)[0] == 422
    assert link(api, "a", theirs["id"])[0] == 422
    assert api(api_request("GET", path))[1]["name"] == "Mine"


def test_the_sample_events_create_link_list_and_archive_a_project(api, conversations):
    status, project = api(load_event("api/create_project.json"))
    assert (status, project["name"], project["external_ref"]) == (201, "Cuisine, 12 rue Haute", "CHANTIER-1042")
    ids = {"PROJECT_ID": project["id"], "CONVERSATION_ID": "c"}
    assert api(load_event("api/list_projects.json"))[1]["items"] == [project]
    assert api(load_event("api/get_project.json", **ids)) == (200, project)
    status, linked = api(load_event("api/link_project.json", **ids))
    assert (status, linked["project_id"]) == (200, project["id"])
    status, page = api(load_event("api/list_project_conversations.json", **ids))
    assert (status, [c["id"] for c in page["items"]]) == (200, ["c"])
    status, archived = api(load_event("api/patch_project.json", **ids))
    assert (status, archived["archived"]) == (200, True)
