"""`/inbox/projects`: everyone on the team lists, creates and changes them; a conversation is linked
to one by PATCH /conversations/{id} {"project_id"}, and a project's conversations are
GET /conversations?project={id}."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.projects import ProjectIn, ProjectOut, ProjectPage, ProjectPatch
from inbox.models import Principal

router = APIGatewayHttpRouter()


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.get("/projects", tags=["projects"], summary="The tenant's projects, newest first")
def list_projects(
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> ProjectPage:
    items, next_cursor = wiring.projects().list(caller(), limit, cursor)
    return ProjectPage(items=[ProjectOut.of(p) for p in items], next_cursor=next_cursor)


@router.post("/projects", tags=["projects"], status_code=201, summary="Add a project")
def create_project(project: Annotated[ProjectIn, Body()]) -> ProjectOut:
    return ProjectOut.of(wiring.projects().create(caller(), project.model_dump()))


@router.get("/projects/<project_id>", tags=["projects"], summary="One project")
def get_project(project_id: Annotated[str, Path(max_length=64)]) -> ProjectOut:
    return ProjectOut.of(wiring.projects().get(caller(), project_id))


@router.patch("/projects/<project_id>", tags=["projects"], summary="Rename, relabel or archive a project")
def change_project(
    project_id: Annotated[str, Path(max_length=64)], changes: Annotated[ProjectPatch, Body()]
) -> ProjectOut:
    return ProjectOut.of(wiring.projects().change(caller(), project_id, changes.model_dump(exclude_unset=True)))
