import { useState, type FormEvent } from "react";
import { apiErrorText } from "../api/errorText";
import { useMe, useUsers } from "../api/queries";
import { fromLocalInput, presetTime, toLocalInput } from "../followups/time";
import { useI18n } from "../i18n/i18n";
import { PeopleOptions, useAssignee } from "../inbox/AssigneePicker";
import { SectionHead } from "../inbox/SectionHead";
import {
  isOverdue,
  useChangeTask,
  useConversationTasks,
  useCreateTask,
  useDeleteTask,
  type Task,
} from "./queries";

/** The conversation's tasks: open ones first, soonest due first, each completed (or reopened) by its
 * checkbox and deleted by its button; "Add a task" opens a form (title, due date, assignee). */
export function Tasks({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const tasks = useConversationTasks(conversationId);
  const items = tasks.data ?? [];
  return (
    <section className="tasks" aria-labelledby="tasks-title">
      <SectionHead
        className="tasks-head"
        titleId="tasks-title"
        title={t("tasks.title")}
        buttonName="add-task"
        formId="task-form"
        open={open}
        showLabel={t("tasks.new")}
        hideLabel={t("tasks.hideForm")}
        onToggle={() => {
          setOpen((was) => !was);
          setAdded(null);
        }}
      />
      {open && (
        <TaskForm
          conversationId={conversationId}
          onAdded={(title) => {
            setOpen(false);
            setAdded(title);
          }}
        />
      )}
      <p role="status" className="muted task-status">
        {added ? t("tasks.added", { title: added }) : ""}
      </p>
      {tasks.isError && <p className="error">{apiErrorText(tasks.error, t)}</p>}
      {tasks.isSuccess && items.length === 0 && !open && <p className="muted">{t("tasks.none")}</p>}
      {items.length > 0 && (
        <ul className="task-list">
          {items.map((task) => (
            <TaskItem key={task.id} conversationId={conversationId} task={task} />
          ))}
        </ul>
      )}
    </section>
  );
}

function TaskForm({ conversationId, onAdded }: { conversationId: string; onAdded: (title: string) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const people = useUsers(true);
  const create = useCreateTask(conversationId);
  const [title, setTitle] = useState("");
  const [when, setWhen] = useState(() => toLocalInput(presetTime("tomorrow", new Date())));
  const [assignee, setAssignee] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return setProblem(t("tasks.titleRequired"));
    const dueAt = fromLocalInput(when);
    if (!dueAt) return setProblem(t("tasks.whenRequired"));
    if (new Date(dueAt).getTime() <= Date.now()) return setProblem(t("tasks.whenPast"));
    setProblem(null);
    create.mutate(
      { title: title.trim(), due_at: dueAt, assignee_id: assignee || null },
      { onSuccess: (task) => onAdded(task.title) },
    );
  };
  const error = problem ?? (create.error ? apiErrorText(create.error, t) : null);
  return (
    <form id="task-form" className="task-form" onSubmit={submit} aria-busy={create.isPending}>
      <label>
        {t("tasks.taskTitle")}
        <input name="title" required maxLength={300} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        {t("tasks.due")}
        <input type="datetime-local" name="due_at" required value={when} onChange={(e) => setWhen(e.target.value)} />
      </label>
      <label>
        {t("tasks.assignee")}
        <select name="assignee_id" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">{t("people.me")}</option>
          <PeopleOptions people={(people.data ?? []).filter((p) => p.enabled)} meId={me.data?.user_id} />
        </select>
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={create.isPending}>
        {create.isPending ? t("tasks.adding") : t("tasks.add")}
      </button>
    </form>
  );
}

function TaskItem({ conversationId, task }: { conversationId: string; task: Task }) {
  const { t, formatDateTime } = useI18n();
  const change = useChangeTask(conversationId);
  const remove = useDeleteTask(conversationId);
  const assignee = useAssignee(task.assignee_id);
  const overdue = isOverdue(task, new Date());
  const problem = change.error ?? remove.error;
  return (
    <li className={`task${task.done ? " task-done" : ""}${overdue ? " task-overdue" : ""}`} data-task-id={task.id}>
      <label className="checkbox task-check">
        <input
          type="checkbox"
          name="done"
          checked={change.isPending ? Boolean(change.variables?.changes.done) : task.done}
          disabled={change.isPending}
          onChange={() => change.mutate({ id: task.id, changes: { done: !task.done } })}
        />
        <span className="task-title">{task.title}</span>
      </label>
      <span className="muted task-meta">
        <time dateTime={task.due_at}>{formatDateTime(task.due_at)}</time>
        {overdue && <strong className="task-late"> · {t("tasks.overdue")}</strong>}
        {assignee && <> · {assignee.mine ? t("tasks.forMe") : t("tasks.for", { name: assignee.name })}</>}
      </span>
      <button
        type="button"
        className="link"
        aria-label={t("tasks.deleteLabel", { title: task.title })}
        disabled={remove.isPending}
        onClick={() => remove.mutate(task.id)}
      >
        {t("tasks.delete")}
      </button>
      {problem && (
        <span role="alert" className="error">
          {apiErrorText(problem, t)}
        </span>
      )}
    </li>
  );
}
