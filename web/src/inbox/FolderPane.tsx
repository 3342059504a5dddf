import { STATUSES } from "../api/client";
import { apiErrorText } from "../api/errorText";
import { useAssigneeViews, useFolders } from "../api/queries";
import { useI18n } from "../i18n/i18n";
import { MyTasksLink } from "../tasks/MyTasks";
import { orderFolders, sameSelection, type Selection } from "./views";

/** The left pane: folders with their unread counters, then the views and the statuses. */
export function FolderPane({
  selection,
  onSelect,
  tasks,
}: {
  selection: Selection;
  onSelect: (s: Selection) => void;
  /** "My tasks" (issue 13): shown in the list's place while `active`. */
  tasks?: { active: boolean; onSelect: () => void };
}) {
  const { t } = useI18n();
  const folders = useFolders();
  const views = useAssigneeViews();
  const item = (target: Selection, label: string, unread?: number, id?: string, countLabel?: string) => (
    <li key={JSON.stringify(target)}>
      <button
        type="button"
        className="pane-item"
        aria-current={!tasks?.active && sameSelection(selection, target) ? "page" : undefined}
        data-folder-id={id}
        data-view-id={target.kind === "view" ? target.view : undefined}
        onClick={() => onSelect(target)}
      >
        <span className="pane-label">{label}</span>
        {unread ? (
          <span className="count" aria-label={countLabel ?? t("folders.unread", { count: unread })}>
            {unread}
          </span>
        ) : null}
      </button>
    </li>
  );
  const mine = views.data?.mine.total ?? 0;
  const unassigned = views.data?.unassigned.total ?? 0;
  const folderName = (id: string, name: string) =>
    id === "inbox" ? t("folders.inbox") : id === "automated" ? t("folders.automated") : name;
  return (
    <nav className="folder-pane" aria-label={t("folders.title")}>
      <h2 className="pane-heading">{t("folders.title")}</h2>
      {folders.isError && <p className="error">{apiErrorText(folders.error, t)}</p>}
      <ul className="folders">
        {orderFolders(folders.data ?? []).map((folder) =>
          item({ kind: "folder", id: folder.id }, folderName(folder.id, folder.name), folder.unread ?? 0, folder.id),
        )}
      </ul>
      <h2 className="pane-heading">{t("views.title")}</h2>
      <ul className="views">
        {/* Conversations still needing someone (new, open, urgent), counted as the folders' are. */}
        {item({ kind: "view", view: "mine" }, t("views.mine"), mine, undefined, t("views.countMine", { count: mine }))}
        {item(
          { kind: "view", view: "unassigned" },
          t("views.unassigned"),
          unassigned,
          undefined,
          t("views.countUnassigned", { count: unassigned }),
        )}
        {tasks && <MyTasksLink active={tasks.active} onSelect={tasks.onSelect} />}
        {item({ kind: "view", view: "all" }, t("views.all"))}
        {item({ kind: "view", view: "snoozed" }, t("views.snoozed"))}
        {STATUSES.map((status) => item({ kind: "status", status }, t(`status.${status}`)))}
      </ul>
    </nav>
  );
}
