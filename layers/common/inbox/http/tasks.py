"""`/inbox/conversations/{id}/tasks` and `/inbox/tasks` (issue 13, item 5): tasks made from a
conversation, listed there and in each person's "My tasks", done, reopened, changed, deleted."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from inbox import wiring
from inbox.http.auth import principal_from_claims
from inbox.http.schemas.tasks import TaskIn, TaskList, TaskOut, TaskPage, TaskPatch
from inbox.models import Principal

router = APIGatewayHttpRouter()

_ID = Path(max_length=64)


def caller() -> Principal:
    return principal_from_claims(router.current_event.request_context.authorizer.jwt_claim)


@router.post(
    "/conversations/<conversation_id>/tasks",
    tags=["tasks"],
    status_code=201,
    summary="Make a task from the conversation: a title, a due date, an assignee (you if left out)",
    description="Its assignee is notified (`task_due`) when it is due. 422 on `due_at` in the past, on "
    "`assignee_id` not a person of the tenant.",
)
def create_task(conversation_id: Annotated[str, _ID], body: Annotated[TaskIn, Body()]) -> TaskOut:
    task = wiring.tasks().create(caller(), conversation_id, body.title, body.due_at, body.assignee_id)
    return TaskOut.of(task)


@router.get(
    "/conversations/<conversation_id>/tasks",
    tags=["tasks"],
    summary="The conversation's tasks: open ones first, each group soonest due first",
)
def conversation_tasks(conversation_id: Annotated[str, _ID]) -> TaskList:
    return TaskList(items=[TaskOut.of(t) for t in wiring.tasks().of_conversation(caller(), conversation_id)])


@router.get("/tasks", tags=["tasks"], summary="A person's open (or done) tasks, soonest due first")
def assigned_tasks(
    assignee: Annotated[str, Query(min_length=1, max_length=64, description="`me`, or a person's id.")] = "me",
    status: Annotated[Literal["open", "done"], Query()] = "open",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> TaskPage:
    items, next_cursor = wiring.tasks().assigned(caller(), assignee, status == "done", limit, cursor)
    return TaskPage(items=[TaskOut.of(t) for t in items], next_cursor=next_cursor)


@router.get("/tasks/<task_id>", tags=["tasks"], summary="One task")
def get_task(task_id: Annotated[str, _ID]) -> TaskOut:
    return TaskOut.of(wiring.tasks().get(caller(), task_id))


@router.patch(
    "/tasks/<task_id>",
    tags=["tasks"],
    summary="Complete (`done: true`), reopen (`done: false`), rename, move or reassign a task",
    description="Its reminder follows its due date and assignee; a done task has none. 422 on `due_at` in the "
    "past, on `assignee_id` not a person of the tenant.",
)
def change_task(task_id: Annotated[str, _ID], changes: Annotated[TaskPatch, Body()]) -> TaskOut:
    return TaskOut.of(wiring.tasks().change(caller(), task_id, changes.model_dump(exclude_unset=True)))


@router.delete("/tasks/<task_id>", tags=["tasks"], summary="Delete a task (and its reminder)")
def delete_task(task_id: Annotated[str, _ID]) -> Response[None]:
    wiring.tasks().delete(caller(), task_id)
    return Response(status_code=204)
