import { apiErrorText } from "../api/errorText";
import { useI18n } from "../i18n/i18n";
import { isOverdue, useChangeTask, useMyTasks, type Task } from "./queries";

/** "My tasks", in the list's place: the open tasks assigned to me, soonest due first (overdue ones
 * marked), each opening its conversation; its checkbox completes it. */
export function MyTasks({ openId, onOpen }: { openId: string | null; onOpen: (conversationId: string) => void }) {
  const { t } = useI18n();
  const tasks = useMyTasks();
  const items = tasks.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="conversation-list my-tasks" aria-labelledby="my-tasks-title">
      <div className="list-heading">
        <h2 className="pane-heading" id="my-tasks-title">
          {t("tasks.mine")}
        </h2>
      </div>
      {tasks.isPending && <p className="muted">{t("app.loading")}</p>}
      {tasks.isError && <p className="error">{apiErrorText(tasks.error, t)}</p>}
      {tasks.isSuccess && items.length === 0 && <p className="muted">{t("tasks.mineNone")}</p>}
      <ul>
        {items.map((task) => (
          <MyTask key={task.id} task={task} open={task.conversation_id === openId} onOpen={onOpen} />
        ))}
      </ul>
      {tasks.hasNextPage && (
        <button type="button" className="link" disabled={tasks.isFetchingNextPage} onClick={() => void tasks.fetchNextPage()}>
          {t("tasks.more")}
        </button>
      )}
    </section>
  );
}

function MyTask({ task, open, onOpen }: { task: Task; open: boolean; onOpen: (conversationId: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const complete = useChangeTask(task.conversation_id);
  const overdue = isOverdue(task, new Date());
  return (
    <li className={`my-task${overdue ? " task-overdue" : ""}`} data-task-id={task.id}>
      <input
        type="checkbox"
        name="done"
        aria-label={t("tasks.completeLabel", { title: task.title })}
        checked={complete.isPending || complete.isSuccess}
        disabled={complete.isPending}
        onChange={() => complete.mutate({ id: task.id, changes: { done: true } })}
      />
      <button
        type="button"
        className="my-task-open"
        aria-current={open ? "true" : undefined}
        onClick={() => onOpen(task.conversation_id)}
      >
        <span className="task-title">{task.title}</span>
        <span className="muted task-meta">
          <time dateTime={task.due_at}>{formatDateTime(task.due_at)}</time>
          {overdue && <strong className="task-late"> · {t("tasks.overdue")}</strong>}
        </span>
      </button>
      {complete.error && (
        <span role="alert" className="error">
          {apiErrorText(complete.error, t)}
        </span>
      )}
    </li>
  );
}

/** The folder pane's entry to "My tasks". */
export function MyTasksLink({ active, onSelect }: { active: boolean; onSelect: () => void }) {
  const { t } = useI18n();
  return (
    <li>
      <button
        type="button"
        className="pane-item"
        name="my-tasks"
        aria-current={active ? "page" : undefined}
        onClick={onSelect}
      >
        <span className="pane-label">{t("tasks.mine")}</span>
      </button>
    </li>
  );
}
