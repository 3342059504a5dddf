"""Tasks (issue 13, item 5): made from a conversation, with a title, a due date and an assignee (its
creator unless named); done, reopened, changed, deleted; listed per conversation and per person.

Each open task due in the future has one one-time schedule (`task.<tenant>.<task>`) at its due date:
put again when the due date or the assignee changes or the task is reopened, cancelled when it is
done or deleted. When it fires, `remind_due` tells the assignee (a `task_due` notification) unless the
task is gone, done or due at another time now; a due date is reminded once however often it fires.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from inbox.domain.ids import new_id
from inbox.domain.schedule_names import schedule_name
from inbox.errors import InvalidInputError, NotFoundError
from inbox.models import Principal
from inbox.models.jobs import TaskDueJob
from inbox.models.notification import NotificationKind
from inbox.models.task import Task
from inbox.observability import logger

SCHEDULE_KIND = "task"


class Store(Protocol):
    def get_conversation(self, tenant_id: str, conversation_id: str) -> Any: ...


class TaskStore(Protocol):
    def create_task(self, task: Task) -> Task: ...
    def get_task(self, tenant_id: str, task_id: str) -> Task | None: ...
    def save_task(self, before: Task, after: Task) -> Task: ...
    def delete_task(self, task: Task) -> None: ...
    def conversation_tasks(self, tenant_id: str, conversation_id: str) -> list[Task]: ...
    def assigned_tasks(
        self, tenant_id: str, user_id: str, done: bool, limit: int, cursor: str | None = None
    ) -> tuple[list[Task], str | None]: ...


class Schedules(Protocol):
    def put(self, name: str, at: datetime, job: Any) -> None: ...
    def cancel(self, name: str) -> None: ...


class Assignees(Protocol):
    def check_assignee(self, who: Principal, assignee_id: str | None) -> None: ...


class Notifier(Protocol):
    def notify(self, tenant_id: str, user_id: str, kind: NotificationKind, **fields: Any) -> Any: ...


class Tasks:
    def __init__(
        self,
        store: Store,
        tasks: TaskStore,
        schedules: Callable[[], Schedules],
        assignees: Callable[[], Assignees],
        notifications: Callable[[], Notifier],
        clock: Callable[[], datetime],
    ):
        self._store = store
        self._tasks = tasks
        self._schedules = schedules
        self._assignees = assignees  # asks the user pool: built on the first task for someone else
        self._notifications = notifications
        self._clock = clock

    # ------------------------------------------------------------------ reading

    def get(self, who: Principal, task_id: str) -> Task:
        task = self._tasks.get_task(who.tenant_id, task_id)
        if task is None:
            raise NotFoundError(f"task {task_id}")
        return task

    def of_conversation(self, who: Principal, conversation_id: str) -> list[Task]:
        """A conversation's tasks: the open ones first, each group soonest due first."""
        self._conversation(who, conversation_id)
        tasks = self._tasks.conversation_tasks(who.tenant_id, conversation_id)
        return sorted(tasks, key=lambda t: (t.done, t.due_at, t.id))

    def assigned(
        self, who: Principal, assignee: str, done: bool, limit: int, cursor: str | None
    ) -> tuple[list[Task], str | None]:
        """A person's open (or done) tasks, soonest due first; `me` is the caller."""
        user_id = who.user_id if assignee == "me" else assignee
        return self._tasks.assigned_tasks(who.tenant_id, user_id, done, limit, cursor)

    # ------------------------------------------------------------------ writing

    def create(
        self, who: Principal, conversation_id: str, title: str, due_at: datetime, assignee_id: str | None = None
    ) -> Task:
        now = self._clock()
        self._conversation(who, conversation_id)
        due_at = _checked_due(due_at, now)
        assignee = assignee_id or who.user_id
        self._assignees().check_assignee(who, assignee)
        task = Task(
            id=new_id(now.timestamp()),
            tenant_id=who.tenant_id,
            conversation_id=conversation_id,
            title=title,
            due_at=due_at,
            assignee_id=assignee,
            created_by=who.user_id,
            created_at=now,
            updated_at=now,
        )
        # The schedule first (as follow-ups do): a task stored without its reminder would be a 5xx
        # for a task that exists, made twice by the retry; a reminder whose task was never stored
        # fires, finds nothing, and is gone.
        self._schedule(task, now)
        return self._tasks.create_task(task)

    def change(self, who: Principal, task_id: str, changes: dict[str, Any]) -> Task:
        """Only the fields given change: `done` (true completes, false reopens), `title`, `due_at`
        (not in the past), `assignee_id` (a person of the tenant)."""
        now = self._clock()
        before = self.get(who, task_id)
        update: dict[str, Any] = {k: v for k, v in changes.items() if k in ("title", "due_at", "assignee_id")}
        if "due_at" in update and update["due_at"] != before.due_at:
            update["due_at"] = _checked_due(update["due_at"], now)
        if update.get("assignee_id", before.assignee_id) != before.assignee_id:
            self._assignees().check_assignee(who, update["assignee_id"])
        if "done" in changes and changes["done"] != before.done:
            done = bool(changes["done"])
            update |= {"done": done, "done_at": now if done else None, "done_by": who.user_id if done else None}
        after = before.model_copy(update=update)
        if after == before:
            return before
        moved = (after.due_at, after.assignee_id, after.done) != (before.due_at, before.assignee_id, before.done)
        if moved:
            # The reminder moves first: a change whose schedule failed is not saved (the reminder
            # stays right); a save that fails after it puts the reminder back where the task is.
            self._schedule(after, now)
        try:
            return self._tasks.save_task(before, after.model_copy(update={"updated_at": now}))
        except Exception:
            if moved:
                self._put_back(before, now)
            raise

    def delete(self, who: Principal, task_id: str) -> None:
        task = self.get(who, task_id)
        self._tasks.delete_task(task)
        self._schedules().cancel(_schedule_of(task))

    # ------------------------------------------------------------------ the due reminder

    def remind_due(self, job: TaskDueJob) -> str:
        """ScheduledFunction: tell the assignee their task is due; what came of it, for the log."""
        now = self._clock()
        task = self._tasks.get_task(job.tenant_id, job.task_id)
        if task is None:
            return "gone"
        if task.done:
            return "done"
        if task.due_at != job.due_at:
            return "moved"  # its own schedule is at the new date
        if task.reminded_for == task.due_at:
            return "reminded already"
        claimed = self._tasks.save_task(task, task.model_copy(update={"reminded_for": task.due_at}))
        try:
            self._notifications().notify(
                task.tenant_id,
                task.assignee_id,
                NotificationKind.TASK_DUE,
                conversation_id=task.conversation_id,
                task_id=task.id,
                text=task.title,
                now=now,
            )
        except Exception:
            # Not claimed after all, so that Lambda's retry of this run tells them.
            self._tasks.save_task(claimed, claimed.model_copy(update={"reminded_for": None}))
            raise
        return "notified"

    # ------------------------------------------------------------------ helpers

    def _conversation(self, who: Principal, conversation_id: str) -> None:
        if self._store.get_conversation(who.tenant_id, conversation_id) is None:
            raise NotFoundError(f"conversation {conversation_id}")

    def _schedule(self, task: Task, now: datetime) -> None:
        """One schedule per task, at its due date while it is open and due later; none otherwise."""
        name = _schedule_of(task)
        if task.done or task.due_at <= now or task.reminded_for == task.due_at:
            self._schedules().cancel(name)
            return
        job = TaskDueJob(tenant_id=task.tenant_id, task_id=task.id, due_at=task.due_at)
        self._schedules().put(name, task.due_at, job)
        logger.debug("task reminder scheduled", task_id=task.id)

    def _put_back(self, task: Task, now: datetime) -> None:
        """The reminder as the task stored now wants it, after a change of `task` that was not saved
        (someone else's may have been); if even that fails, the caller hears the change's error."""
        try:
            current = self._tasks.get_task(task.tenant_id, task.id)
            if current is None:
                self._schedules().cancel(_schedule_of(task))
            else:
                self._schedule(current, now)
        except Exception:  # logged: the caller hears the change's own error
            logger.exception("task reminder not put back after a failed change", task_id=task.id)


def _schedule_of(task: Task) -> str:
    return task_schedule(task.tenant_id, task.id)


def task_schedule(tenant_id: str, task_id: str) -> str:
    """The name of a task's due reminder (a deleted conversation's purge cancels it by this name)."""
    return schedule_name(SCHEDULE_KIND, tenant_id, task_id)


def _checked_due(due_at: datetime, now: datetime) -> datetime:
    """A due date in the future, in UTC (as every task is stored and shown)."""
    if due_at.tzinfo is None:
        raise InvalidInputError("due_at", "needs a time zone (an offset or Z)")
    if due_at <= now:
        raise InvalidInputError("due_at", "is in the past")
    return due_at.astimezone(UTC)
