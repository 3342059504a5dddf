"""Tasks (issue 13, item 5): each under its conversation (`TASK#id`), in its assignee's list of open
or done tasks by due date (GSI1), and named by a pointer (`T#t#TASK#id`) that /tasks/{id} reads.

Stored form: a task's item is the Task under its keys and TaskItem's GSI1 attributes; every write
checks and bumps its version (a due reminder claims a due date once, however often it fires). The
pointer holds the conversation's id and nothing of the task."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from inbox.adapters.dynamodb import keys
from inbox.adapters.dynamodb.table import (
    ConditionsFailedError,
    Table,
    fields_of,
    item_of,
    key,
    put,
)
from inbox.errors import ConcurrentUpdateError, NotFoundError
from inbox.models.task import Task

MAX_PER_CONVERSATION = 200  # a conversation's tasks read at most
TASK_TYPE = "task"  # the item `type` the event stream reads tasks by (domain/events.py)


@dataclass(frozen=True)
class TaskItem:
    """GSI1: the assignee's open or done tasks, soonest due first."""

    TYPE: ClassVar[str] = TASK_TYPE

    GSI1PK: str
    activity: str

    @classmethod
    def of(cls, task: Task, version: int) -> dict[str, Any]:
        record = cls(
            GSI1PK=keys.assigned_tasks_pk(task.tenant_id, task.assignee_id, task.done),
            activity=keys.task_due(task.due_at, task.id),
        )
        stored = task.model_copy(update={"version": version})
        pk = keys.conversation_pk(task.tenant_id, task.conversation_id)
        return item_of(pk, keys.task_sk(task.id), cls.TYPE, stored, asdict(record))

    @classmethod
    def read(cls, item: dict[str, Any]) -> Task:
        return Task.model_validate(fields_of(item, cls))


class TaskStore(Table):
    def create_task(self, task: Task) -> Task:
        """Store a new task and its pointer, with its conversation only (a deleted one has none)."""
        t = task.tenant_id
        pointer = {
            "PK": keys.task_ref_pk(t, task.id),
            "SK": keys.TASK_REF,
            "type": "task_ref",
            "conversation_id": task.conversation_id,
        }
        exists = {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": key(keys.conversation_pk(t, task.conversation_id), keys.CONVERSATION),
                "ConditionExpression": "attribute_exists(PK)",
            }
        }
        item = TaskItem.of(task, version=1)
        try:
            self._transact(
                [
                    put(self._table, item, "attribute_not_exists(PK)"),
                    put(self._table, pointer, "attribute_not_exists(PK)"),
                    exists,
                ]
            )
        except ConditionsFailedError as failed:
            if 2 in failed.indexes:
                raise NotFoundError(f"conversation {task.conversation_id}") from failed
            raise
        return task.model_copy(update={"version": 1})

    def get_task(self, tenant_id: str, task_id: str) -> Task | None:
        pointer = self._get(keys.task_ref_pk(tenant_id, task_id), keys.TASK_REF)
        if pointer is None:
            return None
        item = self._get(keys.conversation_pk(tenant_id, str(pointer["conversation_id"])), keys.task_sk(task_id))
        return TaskItem.read(item) if item else None  # none: its conversation was deleted

    def save_task(self, before: Task, after: Task) -> Task:
        """Write `after` if nobody changed the task since `before` was read (ConcurrentUpdateError
        otherwise; NotFoundError if it was deleted meanwhile)."""
        item = TaskItem.of(after, version=before.version + 1)
        try:
            self._transact([put(self._table, item, "version = :version", version=before.version)])
        except ConditionsFailedError as failed:
            if self.get_task(before.tenant_id, before.id) is None:
                raise NotFoundError(f"task {before.id}") from failed
            raise ConcurrentUpdateError(f"task {after.id}") from failed
        return after.model_copy(update={"version": before.version + 1})

    def delete_task(self, task: Task) -> None:
        """Remove the task and its pointer (either gone already is fine)."""
        t = task.tenant_id
        self._transact(
            [
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": key(keys.conversation_pk(t, task.conversation_id), keys.task_sk(task.id)),
                    }
                },
                {"Delete": {"TableName": self._table, "Key": key(keys.task_ref_pk(t, task.id), keys.TASK_REF)}},
            ]
        )

    def conversation_tasks(self, tenant_id: str, conversation_id: str) -> list[Task]:
        """A conversation's tasks (at most MAX_PER_CONVERSATION), in the order they were made."""
        items = self._first_with_prefix(
            keys.conversation_pk(tenant_id, conversation_id), keys.TASK_PREFIX, MAX_PER_CONVERSATION
        )
        return [TaskItem.read(item) for item in items]

    def assigned_tasks(
        self, tenant_id: str, user_id: str, done: bool, limit: int, cursor: str | None = None
    ) -> tuple[list[Task], str | None]:
        """A person's open (or done) tasks, soonest due first, a page at a time."""
        partition = keys.assigned_tasks_pk(tenant_id, user_id, done)
        prefix = keys.conversation_pk_prefix(tenant_id)
        items, next_cursor = self._item_list_page(partition, prefix, keys.TASK_PREFIX, limit, cursor)
        return [TaskItem.read(item) for item in items], next_cursor
